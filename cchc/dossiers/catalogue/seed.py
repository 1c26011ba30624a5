"""The school's procedures packaged with the code (``cchc/dossiers/data/procedures.json``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from cchc.dossiers.catalogue.schema import CatalogueError
from cchc.dossiers.catalogue.validation import validate

__all__ = ["load_seed"]


def load_seed() -> list[dict[str, Any]]:
    """The school's procedures from ``data/procedures.json`` (domain.md §7), checked."""
    path = resources.files("cchc.dossiers").joinpath("data").joinpath("procedures.json")
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CatalogueError(f"Không đọc được danh mục thủ tục gốc: {error}") from error
    if not isinstance(records, list):
        raise CatalogueError("Danh mục thủ tục gốc phải là một danh sách thủ tục.")
    problems = [
        f"Thủ tục thứ {number}: {message}"
        for number, record in enumerate(records, start=1)
        for message in validate(record)
    ]
    # (code or name, valid_from) as the records hold them: either may be missing (None).
    seen: set[tuple[str | None, str | None]] = set()
    for record in records:
        if not isinstance(record, Mapping):
            continue
        version = (record.get("code") or record.get("name"), record.get("valid_from"))
        if version in seen:
            problems.append(f"Thủ tục “{record.get('name')}” có hai phiên bản cùng ngày hiệu lực.")
        seen.add(version)
    if problems:
        raise CatalogueError("Danh mục thủ tục gốc có lỗi: " + " ".join(problems))
    return records

"""Finish or undo uploads a crash interrupted; put unreferenced files aside.

Run by the worker (`cchc uploads sweep --enqueue`, after each nightly backup) and by `cchc
restore`. Safe to run twice or concurrently with the app: moves happen under the storage's lock,
and nothing younger than the grace period is touched (its transaction may still be open).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from cchc.backups.storage import ORPHANS_DIR, CommitSafeStorage

# An upload's transaction is long finished after this; younger files are left alone.
GRACE_SECONDS = 3600
# Unreferenced published files wait this long in .orphans/ before they are deleted.
ORPHAN_KEEP_DAYS = 30


@dataclass
class SweepResult:
    published: list[str] = field(default_factory=list)
    discarded: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    expired_dirs: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "published": len(self.published),
            "discarded": len(self.discarded),
            "set_aside": len(self.set_aside),
            "missing": len(self.missing),
            "expired_dirs": self.expired_dirs,
        }


def file_fields() -> Iterator[tuple[type[models.Model], str]]:
    """Every (model, field name) that stores an uploaded file, in any installed app."""
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                yield model, f.name


def referenced_names(using: str = "default") -> set[str]:
    """The file names committed records point at."""
    names: set[str] = set()
    for model, name in file_fields():
        values = (
            model._base_manager.using(using)
            .exclude(**{name: ""})
            .exclude(**{f"{name}__isnull": True})
            .values_list(name, flat=True)
        )
        names.update(v for v in values.iterator(chunk_size=5000) if v)
    return names


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def sweep_uploads(
    *, grace_seconds: int = GRACE_SECONDS, storage: CommitSafeStorage | None = None
) -> SweepResult:
    """Publish pending files that committed records use, discard the rest, set orphans aside."""
    store = storage or default_storage
    result = SweepResult()
    if not isinstance(store, CommitSafeStorage):
        return result
    referenced = referenced_names()
    now = time.time()
    for name, path in list(store.pending_all()):
        if name in referenced:
            if store.publish(name):
                result.published.append(name)
        elif _age(path, now) >= grace_seconds:
            path.unlink(missing_ok=True)
            result.discarded.append(name)
    stamp = timezone.localdate().strftime("%Y%m%d")
    root = Path(store.location)
    for name, path in list(store.listdir_all()):
        if name in referenced or _age(path, now) < grace_seconds:
            continue
        target = root / ORPHANS_DIR / stamp / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        result.set_aside.append(name)
    result.missing = sorted(n for n in referenced if not store.exists(n))
    orphans = root / ORPHANS_DIR
    if orphans.exists():
        for day in orphans.iterdir():
            if day.is_dir() and _age(day, now) > ORPHAN_KEEP_DAYS * 86400:
                shutil.rmtree(day, ignore_errors=True)
                result.expired_dirs += 1
    return result

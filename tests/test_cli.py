"""The `cchc` console script without ceremony (issue 9, item 6): run as a user would, in a
subprocess, from a directory outside the repository and with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CCHC = Path(sys.executable).parent / "cchc"


def _run(args: list[str], *, var: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env["CCHC_VAR_DIR"] = str(var)
    return subprocess.run(  # noqa: S603 - our own console script
        [str(CCHC), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_works_without_any_configuration(tmp_path) -> None:
    result = _run(["--help"], var=tmp_path / "var", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "workdays" in result.stdout
    assert "plan" in result.stdout
    assert "setup" in result.stdout


def test_missing_secret_key_is_one_vietnamese_line(tmp_path) -> None:
    result = _run(["workdays", "add", "2026-02-10", "5"], var=tmp_path / "var", cwd=tmp_path)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Lỗi cấu hình: chưa có khóa bí mật.")
    assert "SECRET_KEY" in lines[0]


def test_reads_the_secret_key_that_make_demo_wrote(tmp_path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text("k" * 50 + "\n", encoding="utf-8")

    result = _run(["workdays", "add", "2026-02-10", "5"], var=var, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2026-02-24"


@pytest.mark.parametrize("flag", ["--settings=config.settings.test", "--settings"])
def test_settings_option_is_honoured(tmp_path, flag) -> None:
    args = ["check", flag] if "=" in flag else ["check", flag, "config.settings.test"]

    result = _run(args, var=tmp_path / "var", cwd=tmp_path)

    assert result.returncode == 0, result.stderr

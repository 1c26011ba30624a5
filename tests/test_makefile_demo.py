"""`make demo` and `make serve` must run the task worker beside the web server: without it a
requested report stays "Đang lập" and queued mail "Đang chờ gửi" for ever (QA walk)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

MAKEFILE = Path(__file__).resolve().parent.parent / "Makefile"


def _recipe(target: str) -> str:
    """The recipe lines of one target (tab-indented lines up to the next blank line)."""
    text = MAKEFILE.read_text(encoding="utf-8")
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, flags=re.MULTILINE)
    assert match, f"no {target} target"
    return match.group(1)


@pytest.mark.parametrize("target", ["demo", "serve"])
def test_the_server_targets_start_the_task_worker_and_stop_it_with_the_server(target: str) -> None:
    recipe = _recipe(target)
    assert "cchc db_worker" in recipe
    assert re.search(r"db_worker[^\n]*& worker=\$\$!", recipe), "the worker runs in the background"
    trap = next(line for line in recipe.splitlines() if "trap" in line)
    assert "$$worker" in trap, "stopped with the server, as pdf_server is"
    assert "$$pdf" in trap
    # The web server comes last: it runs in the foreground and the trap fires when it ends.
    assert "granian" in recipe.strip().splitlines()[-1]

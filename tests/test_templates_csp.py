"""No template carries inline JavaScript: the CSP (script-src 'self') refuses it.

An inline handler (onclick="window.print()") or an inline <script> is silently blocked by the
browser, so the button does nothing (QA walk: "In phiếu" and "In áp phích"). Behaviour goes in a
static file under static/cchc/js/, wired by a data- attribute.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def _templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", *sorted((base / "cchc").glob("*/templates"))]
    return [path for root in roots for path in sorted(root.rglob("*.html"))]


def test_templates_are_found() -> None:
    names = {path.name for path in _templates()}
    assert {"base.html", "rating_card.html", "poster.html"} <= names


def test_no_template_carries_inline_script() -> None:
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_HANDLER, INLINE_SCRIPT, JS_URL):
            offenders += [f"{path}: {found.group(0)[:80]}" for found in pattern.finditer(text)]
    assert offenders == []


def test_the_patterns_catch_what_the_policy_refuses() -> None:
    assert INLINE_HANDLER.search('<button class="b" onclick="window.print()">')
    assert INLINE_HANDLER.search("<select\n  onchange='this.form.submit()'>")
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/cchc/js/print.js" defer></script>')
    assert not INLINE_HANDLER.search('<button type="button" data-print>In phiếu</button>')

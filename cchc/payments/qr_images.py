"""QR images of a payload by segno (design.md section 3): PNG for papers, SVG for pages."""

from __future__ import annotations

import io

import segno


def qr_png(payload: str, *, scale: int = 6) -> bytes:
    """PNG bytes; error level M, the quiet zone of 4 modules the EMVCo spec asks for."""
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(payload: str, *, scale: int = 4, title: str = "") -> str:
    """An inline SVG (no XML declaration), sized by CSS through its viewBox."""
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(
        out,
        kind="svg",
        scale=scale,
        border=4,
        xmldecl=False,
        svgns=True,
        title=title or None,
        omitsize=True,
        svgclass="qr",
    )
    return out.getvalue().decode("utf-8")

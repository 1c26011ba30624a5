"""unoserver with every document loaded hidden: run by LibreOffice's Python (python3-uno), which
sees only the unoserver package, so this file imports nothing of cchc.

unoserver 3.7 loads a document into the default frame with no `Hidden` property. Writer copes;
LibreOffice 7.4's Calc aborts (SIGABRT in vcl::Window::GetCursor) on the first spreadsheet loaded
that way headless, which killed the warm converter on every tracking book (an XLSX printed by
Calc). A hidden document needs no window, so both components load and print as before.
`cchc pdf_server` starts this instead of `python -m unoserver.server`; the arguments are
unoserver's own.
"""

from __future__ import annotations

from typing import Any

from unoserver import converter, server  # type: ignore[import-untyped]


class _HiddenDesktop:
    """The LibreOffice desktop, with `Hidden=True` added to every load."""

    def __init__(self, desktop: Any) -> None:
        self._desktop = desktop

    def loadComponentFromURL(  # the UNO method's name
        self, url: str, target: str, flags: int, props: Any
    ) -> Any:
        hidden = converter.PropertyValue(Name="Hidden", Value=True)  # imported there after uno
        return self._desktop.loadComponentFromURL(url, target, flags, (*props, hidden))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._desktop, name)


class HiddenConverter(converter.UnoConverter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.desktop: Any = _HiddenDesktop(self.desktop)


if __name__ == "__main__":
    converter.UnoConverter = HiddenConverter
    server.main()

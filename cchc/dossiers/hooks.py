"""Extension points other apps plug into, so that dossiers never imports them.

design.md section 2: domain apps depend on `organizations`, `workdays` and `core`, and
`payments` and `surveys` already import `dossiers` (the bill keeps the dossier's code, the
rating reads the dossier). Calling them from here would close an import cycle, so the
dependency is inverted: they register a listener or a paper note in their
`AppConfig.ready`, and dossiers calls whatever is registered.

- A *receipt listener* runs when a dossier is received (the legal clock starts: counter
  intake, acceptance of an online submission, or of a dossier completed after intake), inside
  the dossier's transaction: if it fails, the receipt is not made either (nothing
  half-written), and a receipt rolled back leaves no bill behind.
- A *paper note* is a QR code with a few lines beside it that an app adds to a paper handed to
  the applicant (the fee's VietQR on the receipt, the rating link at return).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cchc.dossiers.papers import CodeNote

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.dossiers.models import Dossier

ReceiptListener = Callable[["Dossier", Any], None]
PaperNoteProvider = Callable[["Dossier", str], "CodeNote | None"]

_receipt_listeners: list[ReceiptListener] = []
_paper_notes: list[PaperNoteProvider] = []


def register_receipt_listener(listener: ReceiptListener) -> None:
    """Call `listener(dossier, actor)` whenever a dossier is received (once per listener)."""
    if listener not in _receipt_listeners:
        _receipt_listeners.append(listener)


def register_paper_note(provider: PaperNoteProvider) -> None:
    """Ask `provider(dossier, kind)` for a note on every paper of `kind` ("tiep-nhan", …)."""
    if provider not in _paper_notes:
        _paper_notes.append(provider)


def dossier_received(dossier: Dossier, actor: User) -> None:
    """Run the receipt listeners; the caller holds the dossier's transaction."""
    for listener in _receipt_listeners:
        listener(dossier, actor)


def paper_notes(dossier: Dossier, kind: str) -> list[CodeNote]:
    """The notes the registered apps print on this paper, in registration order."""
    notes = (provider(dossier, kind) for provider in _paper_notes)
    return [note for note in notes if note is not None]

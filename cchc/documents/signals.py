"""Signals other apps may listen to, so that documents never imports them.

`outgoing_numbered` is sent inside the numbering transaction, after the number is given and
before it commits: a receiver that lays out its own paper for the document (a periodic report
issued through the register) writes the numbered PDF there. A receiver that raises
ValidationError refuses the numbering: nothing is numbered and the counter is not used.

`citizen_mail_text` is asked, before a released document is e-mailed to an address of a
document not sent to a state agency, for a letter's own words to a citizen: a receiver that
owns the document returns `(subject, body)`, any other returns None; with no answer the mail
keeps the agency-to-agency text.

`outgoing_source` is asked by the document's page and its Word download for what another app
made the document from (an apology letter from its dossier): a receiver that owns the document
returns an `OutgoingSource`, any other returns None.

`outgoing_correction` is asked before a draft is sent for review from the register (its page's
"Trình kiểm tra"): a receiver that owns the document and corrects it through a form of its own
(the apology letter, redrafted from the corrected apology) answers an `OutgoingCorrection`; the
page then links there instead of offering the button, and the review is refused (409), so that
a letter sent back is never sent up again unchanged. Any other receiver returns None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal


@dataclass(frozen=True)
class OutgoingSource:
    """Where a document came from, as the owning app answers for one user: a link back to it
    (empty when this user may not open it) and the Word file of the form its PDF was laid out
    from (None when its PDF is the Decree 30 layout of the document itself)."""

    label: str
    url: str
    docx: Callable[[], tuple[bytes, str]] | None = None
    # The form's name in the downloads' names ("mau-04-xin-loi"): the PDF and the Word file
    # of one letter carry the same clean name (`OutgoingDocument.file_name`).
    form_name: str = ""
    # The stored PDF carries a citizen's personal data (the apology's addressee, address and
    # phone) this user may not see: the same paper without them, served instead (PDF bytes).
    without_personal: Callable[[], bytes] | None = None
    # Served that paper, this user is told what it is (the link's words: a copy to read,
    # without the personal data and without the signatures) and gets it under a name of its
    # own: the signed letter's name would promise a signature the copy does not carry.
    view_copy_label: str = ""
    view_copy_form_name: str = ""


@dataclass(frozen=True)
class OutgoingCorrection:
    """Where a draft owned by another app is corrected and sent up again: `message` says so in
    the words of the refusal, `url` and `label` are the link the document's page shows."""

    message: str
    url: str
    label: str


# Sent with sender=OutgoingDocument, doc=<the numbered document>, actor=<who numbered it>.
outgoing_numbered = Signal()

# Sent with sender=OutgoingDocument, doc=<the released document>; answers (subject, body)|None.
citizen_mail_text = Signal()

# Sent with sender=OutgoingDocument, doc=<the document>, user=<who asks>; answers
# OutgoingSource|None.
outgoing_source = Signal()

# Sent with sender=OutgoingDocument, doc=<the draft>; answers OutgoingCorrection|None.
outgoing_correction = Signal()

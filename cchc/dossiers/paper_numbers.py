"""Numbers of the supplement request (Mẫu 02) and the refusal (Mẫu 03), given when issued.

Mẫu 01 takes its number from the tracking-book entry. Mẫu 02 and 03 have their own codes in the
number box ("Số: 07/PBS-THCSNTB", "Số: 02/PTC-THCSNTB": domain-2025.md 4, common header) and,
like every paper a unit issues, a number in order of issue within the calendar year, unique in
it (Decree 30 Art. 15, domain.md 6.3). The system gives it inside the transaction that issues
the paper: the counter row lock (`services.next_number`, the one the book entries and outgoing
documents use) makes two clerks issuing at once queue, so they get distinct numbers; the
database's unique constraint (`PaperNumber`) is the last word, and a loser of a race on it is
answered 409 (`Conflict`), never a 500, with nothing of the issue written.

Papers issued before numbering existed keep a blank number (no data migration): they were
handed over, and where signed stored, without one; a number given now would make a re-download
differ from the paper the citizen holds and from the signed PDF, which cannot change.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from cchc.core.conflicts import unique_or_conflict
from cchc.core.timezones import VN
from cchc.dossiers.models import Dossier, PaperForm, PaperNumber

#: The paper kinds (`papers_service.KINDS`) numbered here, and their form.
FORM_OF = {"bo-sung": PaperForm.SUPPLEMENT, "tu-choi": PaperForm.REFUSAL}

TAKEN = "Số phiếu vừa được cấp cho phiếu khác cùng lúc; chưa lưu gì. Hãy thử lại."


def subject_for_pause(pause_pk: int) -> str:
    """The supplement request of one pause ("pause:12"), as `SignedPaper.subject` names it."""
    return f"pause:{pause_pk}"


def issue(dossier: Dossier, kind: str, *, at: datetime, subject: str = "") -> PaperNumber:
    """Give the paper the next number of its unit, year and form, in the caller's transaction.

    The year is that of the issue in Vietnam time. The counter is never behind a number already
    given (it takes the larger of the two), so a counter reset or a number written otherwise
    cannot make every later issue collide; a concurrent write that still takes the same number
    loses on the unique constraint: Conflict (409)."""
    from cchc.dossiers.services import next_number

    form = FORM_OF[kind]
    year = at.astimezone(VN).year
    unit = dossier.unit
    counted = next_number(unit, f"paper{form}:{year}")
    given = (
        PaperNumber.objects.filter(unit=unit, year=year, form=form).aggregate(top=Max("number"))[
            "top"
        ]
        or 0
    )
    number = max(counted, given + 1)
    if number != counted:
        from cchc.dossiers.models import Counter

        Counter.objects.filter(unit=unit, scope=f"paper{form}:{year}").update(last=number)
    with unique_or_conflict(TAKEN):
        return PaperNumber.objects.create(
            unit=unit,
            form=form,
            year=year,
            number=number,
            dossier=dossier,
            subject=subject,
            issued_at=at,
        )


def number_of(dossier: Dossier, kind: str, subject: str = "") -> str | None:
    """The paper's number as printed ("07"), or None when it has none (issued before numbering,
    or not a numbered form)."""
    form = FORM_OF.get(kind)
    if form is None:
        return None
    found = (
        PaperNumber.objects.filter(dossier=dossier, form=form, subject=subject)
        .values_list("number", flat=True)
        .first()
    )
    return f"{found:02d}" if found is not None else None

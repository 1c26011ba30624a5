"""The demo school started signing its one-stop papers (Mẫu 01–03) a few weeks ago.

Without it the indicator `one_stop_paper_signed_rate` reads 0 % on the demo, beside a plan whose
target 8 says every officer signs digitally: a school trying the demo would see a broken figure.
A real school does not sign its whole year at once either: it starts one day and signs from then
on. So for each dossier received in the last `SIGNING_WEEKS` weeks, the officer each paper names
(`paper_signing.signer_of`) signs its receipt (Mẫu 01), its supplement request (Mẫu 02) and its
refusal (Mẫu 03) through the desk's own path
(`paper_signing.sign_paper`: his certificate from the documents demo, the demo PIN), a few
minutes after the paper was issued; the older papers stay unsigned, as they were handed over.

Speed: a paper is a DOCX converted by LibreOffice, 1–3 s each when cold, and no warm converter
runs while the demo is seeded. The DOCX of every paper to sign is built first and the whole batch
converted in one LibreOffice run; each PDF is stored, in a store of the seeding's own, under its
DOCX's content, where `papers_service.paper_pdf` (inside `sign_paper`) finds it instead of
converting the paper again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from django.test.utils import override_settings
from django.utils import timezone

from cchc.core.official_docs import converter
from cchc.core.timezones import VN
from cchc.dossiers import paper_signing, papers_service
from cchc.dossiers.models import Dossier, SignedPaper
from cchc.organizations.models import Unit

if TYPE_CHECKING:
    from cchc.accounts.models import User

T = TypeVar("T")

SCHOOL_CODE = "000.31.41.H29"
# The school signs the papers of the dossiers received in the last six weeks.
SIGNING_WEEKS = 6
# The officer signs a few minutes after handing the paper over or printing it.
SIGN_AFTER = timedelta(minutes=4)


def _with_clock(moment: datetime, action: Callable[[], T]) -> T:
    original = timezone.now
    timezone.now = lambda: moment
    try:
        return action()
    finally:
        timezone.now = original


def _issued_at(dossier: Dossier, kind: str) -> datetime | None:
    """When the paper was issued: the receipt at reception, the supplement request when the
    (latest) request was made, the refusal when the dossier was refused."""
    if kind == "tiep-nhan":
        return dossier.received_at
    if kind == "bo-sung":
        pause = dossier.pauses.order_by("-started_at").first()
        return pause.started_at if pause is not None else None
    return dossier.stopped_at or dossier.result_at


def _papers_to_sign(school: Unit, since: datetime) -> list[tuple[Dossier, str, datetime, User]]:
    now = timezone.now()
    found: list[tuple[Dossier, str, datetime, User]] = []
    dossiers = (
        Dossier.objects.filter(unit=school, received_at__gte=since, received_by__isnull=False)
        .select_related("unit", "received_by__staff", "procedure")
        .order_by("received_at", "pk")
    )
    for dossier in dossiers:
        for kind, _label in papers_service.available(dossier):
            issued = _issued_at(dossier, kind) if kind in paper_signing.SIGNABLE else None
            if issued is None or issued + SIGN_AFTER >= now:
                continue
            # The officer the paper names signs it; one without a certificate hands his
            # papers over unsigned.
            signer = paper_signing.signer_of(dossier, kind)
            if signer is None or signer.user is None:
                continue
            if paper_signing.certificate_of(signer, school.pk) is None:
                continue
            found.append((dossier, kind, issued + SIGN_AFTER, signer.user))
    return found


def seed_signed_papers(**_options: object) -> list[str]:
    """Sign the demo school's recent one-stop papers (once: nothing when one is signed)."""
    from cchc.documents.demo import DEMO_PIN, _docx_many_to_pdf

    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    if school is None or SignedPaper.objects.filter(dossier__unit=school).exists():
        return []
    today = timezone.localdate()
    start = today - timedelta(weeks=SIGNING_WEEKS)
    since = datetime.combine(start, datetime.min.time(), tzinfo=VN)
    jobs = _papers_to_sign(school, since)
    if not jobs:
        return []
    # Each paper as it reads when signed: built under the signing moment's clock, stored under
    # its content's key, where `paper_pdf` finds it when the officer signs it.
    docxs = [
        _with_clock(moment, partial(papers_service.paper_docx, dossier, kind, show_personal=True))
        for dossier, kind, moment, _signer in jobs
    ]
    signed = 0
    with (
        tempfile.TemporaryDirectory(prefix="cchc-demo-papers-") as store,
        override_settings(PDF_STORE_DIR=store),
    ):
        for docx, pdf in zip(docxs, _docx_many_to_pdf(docxs), strict=True):
            converter.store_paper(converter.paper_key(docx), pdf)
        for dossier, kind, moment, officer in jobs:
            _with_clock(
                moment,
                partial(
                    paper_signing.sign_paper,
                    actor=officer,
                    dossier=dossier,
                    kind=kind,
                    pin=DEMO_PIN,
                ),
            )
            signed += 1
    return [
        f"Đã ký số {signed} giấy tờ một cửa (Mẫu 01, 02, 03) của hồ sơ tiếp nhận từ "
        f"{start:%d/%m/%Y} (các giấy tờ trước ngày đó giao bản chưa ký số)."
    ]

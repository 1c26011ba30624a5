"""A year of incoming and outgoing documents for the demo school, through the real services.

Certificates come from a demo CA generated at seeding time (no private key is committed; the
keys live only encrypted in the database, with the PIN printed for the demo). Outgoing
documents are rendered in the Decree 30 layout (one LibreOffice run for the whole batch),
really signed (PAdES, signer then seal) and "sent" to a mail backend held in memory during
seeding, so the KPIs of targets 7, 8 and 9 show live figures. The clock is moved by hand so
every step happens on a working day at office hours.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from cryptography.x509.oid import NameOID
from django.core.files.base import ContentFile
from django.test.utils import override_settings
from django.utils import timezone

from cchc.accounts.models import Role, User
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.documents import democa, mailing, services, signing
from cchc.documents.models import (
    OfficialMailDomain,
    OutgoingDocument,
    SigningCertificate,
    TrustedRoot,
)
from cchc.documents.workflow import OutgoingStatus
from cchc.organizations.models import Staff, Unit
from cchc.workdays.services import calendar_for_unit

SCHOOL_CODE = "000.31.41.H29"
DEMO_PIN = "123456"
T = TypeVar("T")

AUTHORS = [
    ("UBND xã Bình Hưng", "UBND"),
    ("Sở Giáo dục và Đào tạo TP. Hồ Chí Minh", "SGDĐT"),
    ("Phòng Văn hóa - Xã hội xã Bình Hưng", "VHXH"),
    ("Ban Chỉ đạo CCHC xã Bình Hưng", "BCĐ"),
    ("Công đoàn Giáo dục xã Bình Hưng", "CĐGD"),
]
INCOMING_SUBJECTS = [
    ("KH", "Kế hoạch cải cách hành chính năm {y}"),
    ("CV", "V/v báo cáo công tác CCHC quý"),
    ("TB", "Thông báo lịch tiếp công dân"),
    ("QĐ", "Quyết định kiện toàn Ban Chỉ đạo CCHC"),
    ("HD", "Hướng dẫn tuyển sinh lớp 6 năm học {y}-{y1}"),
    ("GM", "Giấy mời dự hội nghị"),
    ("KH", "Kế hoạch chuyển đổi số trong giáo dục năm {y}"),
    ("CV", "V/v rà soát thủ tục hành chính"),
]
# The school's periodic reform report: drawn like the others, sent as the `Report` of its
# period (reports.demo_reports).
PERIODIC_REPORT = ("BC", "Kết quả công tác CCHC quý")
OUTGOING_SUBJECTS = [
    ("KH", "Thực hiện cải cách hành chính năm {y}"),
    PERIODIC_REPORT,
    ("TB", "Lịch trực của nhà trường"),
    ("QĐ", "Thành lập Tổ kiểm tra nội bộ"),
    ("", "V/v đăng ký danh sách học sinh dự thi"),
    ("KH", "Ứng dụng chữ ký số năm {y}"),
    ("BB", "Họp Hội đồng trường"),
    ("GM", "Họp phụ huynh học sinh"),
]


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _with_clock(moment: datetime, action: Callable[[], T]) -> T:
    original = timezone.now
    timezone.now = lambda: moment
    try:
        return action()
    finally:
        timezone.now = original


def seed_demo_data(*, documents: int = 20, **_options: object) -> list[str]:
    school = Unit.objects.filter(code=SCHOOL_CODE).select_related("parent").first()
    # Other apps' demos may have drafted letters already (the dossiers' apologies, approved and
    # waiting for a number): the register itself is seeded once, when nothing is numbered yet.
    numbered = OutgoingDocument.objects.filter(unit=school, number__isnull=False)
    if school is None or numbered.exists():
        return []
    clerk = User.objects.filter(username="thuyltt").first()
    people = {
        r: list(Staff.objects.filter(unit=school, role_assignments__role=r, is_active=True))
        for r in (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.CLERK)
    }
    if clerk is None or not people[Role.PRINCIPAL]:
        return []
    # The clerk signs the papers she receives (Mẫu 01) with her own certificate, as the leaders.
    signers = people[Role.PRINCIPAL] + people[Role.VICE_PRINCIPAL] + people[Role.CLERK]
    ca = democa.make_ca()
    _certificates(ca, school, signers, seal="TRƯỜNG THCS NTB")
    if school.parent is not None:
        # The commune issues papers too (its consolidated reform report): its chair signs, its
        # clerk receives and releases them with the commune's seal.
        commune_signers = list(
            Staff.objects.filter(
                unit=school.parent,
                is_active=True,
                role_assignments__role__in=[Role.PRINCIPAL, Role.CLERK],
            ).distinct()
        )
        _certificates(ca, school.parent, commune_signers, seal="UBND XÃ BÌNH HƯNG")
    if school.parent_id:
        OfficialMailDomain.objects.get_or_create(unit=school.parent, domain="binhhung.example")
    rng = random.Random(2026)  # noqa: S311 - reproducible demo data, not security
    calendar = calendar_for_unit(school)
    today = timezone.localdate()
    days = [
        d
        for d in (today.replace(month=1, day=2) + timedelta(n) for n in range(366))
        if d < today and calendar.is_working_day(d)
    ]
    incoming = _incoming(school, clerk, people, rng, days, calendar, count=documents * 3)
    outgoing = _outgoing(school, clerk, people, rng, days, calendar, count=documents)
    audit_record(
        actor=None,
        verb=AuditVerb.SEED_DEMO_DOCUMENTS,
        unit=school,
        object_type="documents",
        after={"incoming": incoming, "outgoing": outgoing},
    )
    return [
        f"Đã tạo {incoming} văn bản đến và {outgoing} văn bản đi (ký số thật, CA thử nghiệm "
        f"“{_common_name(ca)}”) cho {school.short_name}; mã PIN chữ ký số mẫu: {DEMO_PIN}."
    ]


def _common_name(ca: democa.Issued) -> str:
    return str(ca.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def _certificates(ca: democa.Issued, unit: Unit, signers: list[Staff], *, seal: str) -> None:
    """A certificate from the demo CA for each of `signers` and the unit's seal."""
    TrustedRoot.objects.get_or_create(
        fingerprint=signing.fingerprint(ca.pem),
        defaults={"name": "CA thử nghiệm của bản demo", "certificate_pem": ca.pem},
    )
    owners: list[Staff | None] = [*signers, None]
    for seed, owner in enumerate(owners):
        name = owner.full_name if owner else unit.name
        issued = democa.issue(
            ca,
            name,
            unit.name,
            days=730,
            starts=datetime.now(tz=timezone.get_current_timezone()) - timedelta(days=365),
            curve=True,
        )
        data = democa.to_pkcs12(issued, ca, DEMO_PIN)
        info = signing.read_pkcs12(data, DEMO_PIN)
        SigningCertificate.objects.create(
            unit=unit,
            staff=owner,
            kind="pkcs12",
            pkcs12_encrypted=signing.encrypt_blob(data),
            certificate_pem=info.pem,
            chain_pem=info.chain_pem,
            subject=info.subject,
            issuer=info.issuer,
            serial=info.serial,
            not_before=info.not_before,
            not_after=info.not_after,
            image=democa.signature_png(seed) if owner else democa.seal_png(seal),
        )


def _incoming(
    school: Unit,
    clerk: User,
    people: dict,
    rng: random.Random,
    days: list[date],
    calendar: Any,
    *,
    count: int,
) -> int:
    leader = people[Role.PRINCIPAL][0].user
    staff = list(Staff.objects.filter(unit=school, is_active=True))
    made = 0
    for day in sorted(rng.choice(days) for _ in range(count)):
        author, code = rng.choice(AUTHORS)
        type_code, subject = rng.choice(INCOMING_SUBJECTS)
        issued = day - timedelta(days=rng.randint(0, 3))
        while not calendar.is_working_day(issued):
            issued -= timedelta(days=1)
        ref = (
            f"{rng.randint(1, 450)}/{type_code}-{code}"
            if type_code != "CV"
            else f"{rng.randint(1, 900)}/{code}-VP"
        )
        secret = rng.random() < 0.03
        received = _at(day, rng.choice([7, 8, 9, 10, 13, 14, 15]), rng.randint(0, 59))
        data = {
            "author": author,
            "reference": ref,
            "issued_on": issued,
            "summary": subject.format(y=day.year, y1=day.year + 1),
            "channel": "paper" if secret or rng.random() < 0.12 else "electronic",
            "secrecy": "mat" if secret else "",
            "urgency": "khan" if rng.random() < 0.1 else "",
        }
        doc = _with_clock(
            received,
            partial(
                services.incoming_register,
                actor=clerk,
                unit=school,
                data=data,
                received_at=received,
            ),
        )
        made += 1
        if doc.channel == "electronic":
            _with_clock(
                received + timedelta(minutes=20),
                partial(services.incoming_confirm_receipt, actor=clerk, doc=doc),
            )
        if day >= timezone.localdate() - timedelta(days=1) and rng.random() < 0.5:
            continue  # still waiting to be presented
        presented = _at(calendar.add_working_days(day, rng.choice([0, 0, 1])), 8, 15)
        doc = _with_clock(presented, partial(services.incoming_present, actor=clerk, doc=doc))
        lead = rng.choice(staff)
        due = calendar.add_working_days(presented.date(), rng.choice([3, 5, 10, 15]))
        doc = _with_clock(
            presented + timedelta(hours=1),
            partial(
                services.incoming_assign,
                actor=leader,
                doc=doc,
                instructions="Giao đồng chí chủ trì thực hiện, báo cáo kết quả đúng hạn.",
                lead=lead,
                collaborators=[],
                due_on=due,
            ),
        )
        finish_day = calendar.add_working_days(presented.date(), rng.choice([2, 4, 8, 12, 16]))
        if finish_day < timezone.localdate():
            _with_clock(
                _at(finish_day, 16, 0),
                partial(services.incoming_finish, actor=lead.user or leader, doc=doc),
            )
    return made


def _outgoing(
    school: Unit,
    clerk: User,
    people: dict,
    rng: random.Random,
    days: list[date],
    calendar: Any,
    *,
    count: int,
) -> int:
    principal = people[Role.PRINCIPAL][0]
    vices = people[Role.VICE_PRINCIPAL]
    from cchc.reports import demo_reports as reports_demo
    from cchc.reports.issuing import summary_of

    drafted: list[tuple[OutgoingDocument, date]] = []
    reported: set[str] = set()
    for day in sorted(rng.choice(days) for _ in range(count)):
        type_code, subject = rng.choice(OUTGOING_SUBJECTS)
        signer = principal if not vices or rng.random() < 0.6 else rng.choice(vices)
        secret = rng.random() < 0.05
        # A periodic reform report names its period and is sent as the reports app sends it:
        # the principal signs, the document is the `Report` of that period (reports.demo_reports).
        window = None
        if (type_code, subject) == PERIODIC_REPORT:
            window = reports_demo.closed_window(school, day, reported)
            if window is None:  # every closed period is reported already: another paper
                type_code, subject = OUTGOING_SUBJECTS[2]
            else:
                reported.add(window.period)
                subject, signer, secret = summary_of(window.period), principal, False
        data = {
            "type_code": type_code,
            "drafting_unit": "" if type_code else "VP",
            "summary": subject.format(y=day.year),
            "head_title": "Hiệu trưởng",
            "authority": "" if signer == principal else "KT.",
            "body": "Căn cứ Kế hoạch số 211/KH-UBND ngày 19/01/2026 của UBND xã Bình Hưng.\n\n"
            "Nhà trường triển khai thực hiện như sau.",
            "recipients": "Phòng Văn hóa - Xã hội xã;\nBan Giám hiệu;\nLưu: VT.",
            "recipient_emails": "" if secret else "vanthu@binhhung.example",
            "to_state_agency": rng.random() < 0.8,
            "secrecy": "mat" if secret else "",
        }
        start = _at(day, 8, rng.randint(0, 40))

        def steps(d=data, s=signer, t=start, w=window) -> OutgoingDocument:
            doc = services.outgoing_create(actor=clerk, unit=school, data=d, signer=s)
            if w is not None and s.user is not None:
                reports_demo.link_report(doc, w, s.user, built_at=t)
            doc = services.outgoing_transition(actor=clerk, doc=doc, to=OutgoingStatus.REVIEW)
            timezone.now = lambda: t + timedelta(hours=1)
            doc = services.outgoing_transition(actor=s.user, doc=doc, to=OutgoingStatus.APPROVED)
            return doc

        drafted.append((_with_clock(start, steps), day))
    drafted = _number_in_date_order(school, clerk, calendar, drafted)
    to_sign = [(doc, day) for doc, day in drafted if not doc.is_secret]
    # A document whose app laid out its own numbered paper (an apology letter) keeps it.
    to_render = [doc for doc, _ in to_sign if not doc.pdf]
    pdfs = dict(
        zip(
            [doc.pk for doc in to_render],
            _docx_many_to_pdf([services.render_docx(doc) for doc in to_render]),
            strict=True,
        )
    )
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for doc, day in to_sign:
            if doc.pk in pdfs:
                doc.pdf.save(f"{doc.year}-{doc.number:02d}.pdf", ContentFile(pdfs[doc.pk]))
            signed_at = _at(day, 10, rng.randint(0, 59))
            signer = doc.signer.user if doc.signer is not None else None
            if signer is None:
                continue  # every demo leader has an account; one without could not sign
            doc = _with_clock(
                signed_at, partial(services.outgoing_sign, actor=signer, doc=doc, pin=DEMO_PIN)
            )
            released = _at(day, 14, rng.randint(0, 59))
            doc = _with_clock(
                released,
                partial(services.outgoing_release, actor=clerk, doc=doc, unit_pin=DEMO_PIN),
            )
            for delivery in doc.deliveries.exclude(status="sent"):
                mailing.attempt(delivery, now=released + timedelta(minutes=1))
    for doc, day in drafted:
        if doc.is_secret:
            _with_clock(
                _at(day, 15, 0), partial(services.outgoing_release_secret, actor=clerk, doc=doc)
            )
    return len(drafted)


def _number_in_date_order(
    school: Unit, clerk: User, calendar: Any, drafted: list[tuple[OutgoingDocument, date]]
) -> list[tuple[OutgoingDocument, date]]:
    """The clerk numbers the approved documents in date order: the demo's own, and the letters
    other apps' demos drafted and approved (the apologies of late dossiers), each of those the
    working day after it was drafted, so the register runs in date order as a real one does."""
    today = timezone.localdate()
    mine = {doc.pk for doc, _ in drafted}
    waiting = [
        (doc, calendar.next_working_day(timezone.localtime(doc.created_at).date()))
        for doc in OutgoingDocument.objects.filter(
            unit=school, status=OutgoingStatus.APPROVED, number__isnull=True
        ).exclude(pk__in=mine)
    ]
    events = sorted(
        [*drafted, *((doc, day) for doc, day in waiting if day < today)],
        key=lambda pair: (pair[1], pair[0].created_at, pair[0].pk),
    )
    numbered: list[tuple[OutgoingDocument, date]] = []
    for doc, day in events:
        moment = max(_at(day, 9, 30), timezone.localtime(doc.created_at) + timedelta(hours=1.5))
        doc = _with_clock(moment, partial(services.outgoing_number, actor=clerk, doc=doc))
        numbered.append((doc, day))
    return numbered


def _docx_many_to_pdf(docs: list[bytes]) -> list[bytes]:
    """One LibreOffice run for the whole batch (a process per file would take a minute)."""
    if not docs:
        return []
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        from cchc.core.official_docs import docx_to_pdf

        return [docx_to_pdf(d) for d in docs]  # raises the usual Vietnamese message
    with tempfile.TemporaryDirectory(prefix="cchc-demo-docs-") as tmp:
        work = Path(tmp)
        sources = []
        for index, data in enumerate(docs):
            source = work / f"{index:04d}.docx"
            source.write_bytes(data)
            sources.append(source)
        subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [
                binary,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--invisible",
                "--nodefault",
                "--nolockcheck",
                "--nologo",
                "--norestore",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                str(work / "pdf"),
                *map(str, sources),
            ],
            cwd=work,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=600,
            check=False,
        )
        return [(work / "pdf" / f"{s.stem}.pdf").read_bytes() for s in sources]

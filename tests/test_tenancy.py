"""Tenancy: a user of one school never reaches another school's staff pages or API."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.fixtures import client_for

# Every staff-facing URL name, with how to build it for a given unit. A new staff view that is not
# listed here fails test_every_staff_url_is_covered, so tenancy is tested for each one.
STAFF_URLS = {
    "core:home": lambda unit: reverse("core:home"),
    "audit:audit_list": lambda unit: reverse("audit:audit_list") + f"?don_vi={unit.pk}",
    "organizations:unit_list": lambda unit: reverse("organizations:unit_list"),
    "organizations:unit_detail": lambda unit: reverse("organizations:unit_detail", args=[unit.pk]),
    "workdays:year": lambda unit: reverse("workdays:year") + f"?don_vi={unit.pk}",
    "workdays:override_create": lambda unit: reverse("workdays:override_create"),
    "workdays:override_delete": lambda unit: reverse(
        "workdays:override_delete", args=[_override_of(unit).pk]
    ),
    "plans:list": lambda unit: reverse("plans:list"),
    "plans:import": lambda unit: reverse("plans:import"),
    "plans:import_review": lambda unit: reverse("plans:import_review", args=[_plan_of(unit)[3].pk]),
    "plans:detail": lambda unit: reverse("plans:detail", args=[_plan_of(unit)[0].pk]),
    "plans:export": lambda unit: reverse("plans:export", args=[_plan_of(unit)[0].pk, "docx"]),
    "plans:task_detail": lambda unit: reverse("plans:task_detail", args=[_plan_of(unit)[1].pk]),
    "plans:task_progress": lambda unit: reverse("plans:task_progress", args=[_plan_of(unit)[1].pk]),
    "plans:task_plan": lambda unit: reverse("plans:task_plan", args=[_plan_of(unit)[1].pk]),
    "plans:task_evidence": lambda unit: reverse("plans:task_evidence", args=[_plan_of(unit)[1].pk]),
    "plans:task_comment": lambda unit: reverse("plans:task_comment", args=[_plan_of(unit)[1].pk]),
    "plans:occurrence_toggle": lambda unit: reverse(
        "plans:occurrence_toggle", args=[_plan_of(unit)[2].pk]
    ),
    "plans:my_work": lambda unit: reverse("plans:my_work"),
    "plans:activity_list": lambda unit: reverse("plans:activity_list"),
    "plans:initiative_status": lambda unit: reverse(
        "plans:initiative_status", args=[_plan_of(unit)[4].pk]
    ),
    "plans:evidence_file": lambda unit: reverse(
        "plans:evidence_file", args=[_evidence_of(unit).pk]
    ),
    "plans:activity_file": lambda unit: reverse(
        "plans:activity_file", args=[_activity_file_of(unit).pk]
    ),
    "dossiers:queue": lambda unit: reverse("dossiers:queue"),
    "dossiers:intake": lambda unit: reverse("dossiers:intake"),
    "dossiers:book": lambda unit: reverse("dossiers:book") + "?q=",
    "dossiers:procedures": lambda unit: reverse("dossiers:procedures"),
    "dossiers:detail": lambda unit: reverse("dossiers:detail", args=[_dossier_of(unit).pk]),
    "dossiers:act": lambda unit: reverse("dossiers:act", args=[_dossier_of(unit).pk]),
    "dossiers:paper": lambda unit: reverse(
        "dossiers:paper", args=[_dossier_of(unit).pk, "tiep-nhan", "docx"]
    ),
    "dossiers:attachment": lambda unit: reverse(
        "dossiers:attachment", args=[_attachment_of(unit).pk]
    ),
    # Issue 9: first run, landing page, staff pages.
    "kpi:overview": lambda unit: reverse("kpi:overview") + f"?don_vi={unit.pk}",
    "organizations:staff_new": lambda unit: reverse("organizations:staff_new"),
    "organizations:staff_import": lambda unit: reverse("organizations:staff_import"),
    "organizations:staff_template": lambda unit: reverse("organizations:staff_template"),
    "organizations:staff_edit": lambda unit: reverse(
        "organizations:staff_edit", args=[_staff_of(unit).pk]
    ),
    "organizations:staff_account": lambda unit: reverse(
        "organizations:staff_account", args=[_staff_of(unit).pk]
    ),
    # issue 8 (one-stop desk, second pass)
    "dossiers:undated": lambda unit: reverse("dossiers:undated"),
}
# Backups: system-wide, superuser only (cchc/backups).
STAFF_URLS |= {
    "backups:status": lambda unit: reverse("backups:status"),
    # Feedback (issue 12)
    "feedback:list": lambda unit: reverse("feedback:list") + "?q=Nguyễn",
    "feedback:intake": lambda unit: reverse("feedback:intake"),
    "feedback:inspection": lambda unit: reverse("feedback:inspection"),
    "feedback:register": lambda unit: reverse("feedback:register"),
    "feedback:detail": lambda unit: reverse("feedback:detail", args=[_feedback_of(unit).pk]),
    "feedback:act": lambda unit: reverse("feedback:act", args=[_feedback_of(unit).pk]),
    "feedback:settings": lambda unit: reverse("feedback:settings"),
    "feedback:attachment": lambda unit: reverse(
        "feedback:attachment", args=[_feedback_attachment_of(unit).pk]
    ),
}
# Surveys (issue 13)
STAFF_URLS |= {
    "surveys:campaigns": lambda unit: reverse("surveys:campaigns"),
    "surveys:create": lambda unit: reverse("surveys:create"),
    "surveys:templates": lambda unit: reverse("surveys:templates"),
    "surveys:version": lambda unit: reverse(
        "surveys:version", args=[_campaign_of(unit).template_id]
    ),
    "surveys:rating_card": lambda unit: reverse("surveys:rating_card", args=[_dossier_of(unit).pk]),
    "surveys:detail": lambda unit: reverse("surveys:detail", args=[_campaign_of(unit).pk]),
    "surveys:act": lambda unit: reverse("surveys:act", args=[_campaign_of(unit).pk]),
    "surveys:poster": lambda unit: reverse("surveys:poster", args=[_campaign_of(unit).pk]),
    "surveys:slips": lambda unit: reverse("surveys:slips", args=[_campaign_of(unit).pk]),
    "surveys:export": lambda unit: reverse("surveys:export", args=[_campaign_of(unit).pk, "xlsx"]),
}
# Payments (issue 15): fees, bills, receipts, statements, the unmatched queue, figures.
STAFF_URLS |= {
    "payments:bills": lambda unit: reverse("payments:bills"),
    "payments:bill_detail": lambda unit: reverse(
        "payments:bill_detail", args=[_payments_of(unit)["bill"].pk]
    ),
    "payments:bill_cash": lambda unit: reverse(
        "payments:bill_cash", args=[_payments_of(unit)["bill"].pk]
    ),
    "payments:fees": lambda unit: reverse("payments:fees"),
    "payments:fee_bill": lambda unit: reverse(
        "payments:fee_bill", args=[_payments_of(unit)["fee"].pk]
    ),
    "payments:notices": lambda unit: reverse(
        "payments:notices", args=[_payments_of(unit)["fee"].pk, "docx"]
    ),
    "payments:receipt": lambda unit: reverse(
        "payments:receipt", args=[_payments_of(unit)["receipt"].pk, "docx"]
    ),
    "payments:statements": lambda unit: reverse("payments:statements"),
    "payments:queue": lambda unit: reverse("payments:queue"),
    "payments:line_match": lambda unit: reverse(
        "payments:line_match", args=[_payments_of(unit)["line"].pk]
    ),
    "payments:line_ignore": lambda unit: reverse(
        "payments:line_ignore", args=[_payments_of(unit)["line"].pk]
    ),
    "payments:dashboard": lambda unit: reverse("payments:dashboard"),
    # E-office pages of the documents app.
    "documents:incoming": lambda unit: reverse("documents:incoming") + "?q=",
    "documents:incoming_detail": lambda unit: reverse(
        "documents:incoming_detail", args=[_incoming_of(unit).pk]
    ),
    "documents:incoming_act": lambda unit: reverse(
        "documents:incoming_act", args=[_incoming_of(unit).pk]
    ),
    "documents:incoming_file": lambda unit: reverse(
        "documents:incoming_file", args=[_incoming_of(unit).pk]
    ),
    "documents:outgoing": lambda unit: reverse("documents:outgoing"),
    "documents:outgoing_new": lambda unit: reverse("documents:outgoing_new"),
    "documents:outgoing_detail": lambda unit: reverse(
        "documents:outgoing_detail", args=[_outgoing_of(unit).pk]
    ),
    "documents:outgoing_act": lambda unit: reverse(
        "documents:outgoing_act", args=[_outgoing_of(unit).pk]
    ),
    "documents:outgoing_file": lambda unit: reverse(
        "documents:outgoing_file", args=[_outgoing_of(unit).pk]
    ),
    "documents:outgoing_docx": lambda unit: reverse(
        "documents:outgoing_docx", args=[_outgoing_of(unit).pk]
    ),
    # The binary books are checked for tenancy in cchc/documents/tests/test_pages.py.
    "documents:register_export": lambda unit: reverse(
        "documents:register_export", args=["den", "csv"]
    ),
    "documents:certificates": lambda unit: reverse("documents:certificates"),
    "documents:verify": lambda unit: reverse("documents:verify"),
}
# KPI pages (issue 16): a unit's indicators (?don_vi= names one), the commune roll-up.
STAFF_URLS |= {
    "kpi:unit": lambda unit: reverse("kpi:unit") + f"?don_vi={unit.pk}",
    "kpi:rollup": lambda unit: reverse("kpi:rollup"),
}
# POST-only views: an outsider's POST naming another unit must be refused without effect.
POST_URLS = {
    "payments:bill_cash",
    "payments:line_match",
    "payments:line_ignore",
    "organizations:staff_account",
    "dossiers:act",
    "feedback:act",
    "workdays:override_create",
    "workdays:override_delete",
    "plans:task_progress",
    "plans:task_plan",
    "plans:task_evidence",
    "plans:task_comment",
    "plans:occurrence_toggle",
    "plans:initiative_status",
    "surveys:act",
    "documents:incoming_act",
    "documents:outgoing_act",
}
UNIT_OBJECT_URLS = [
    "payments:bill_detail",
    "payments:fee_bill",
    "payments:notices",
    "payments:receipt",
    "organizations:staff_edit",
    "dossiers:detail",
    "dossiers:paper",
    "plans:import_review",
    "plans:detail",
    "plans:export",
    "plans:task_detail",
    "plans:evidence_file",
    "plans:activity_file",
    "dossiers:attachment",
    "feedback:detail",
    "feedback:attachment",
    "surveys:version",
    "surveys:rating_card",
    "surveys:detail",
    "surveys:poster",
    "surveys:slips",
    "surveys:export",
    "documents:incoming_detail",
    "documents:incoming_file",
    "documents:outgoing_detail",
    "documents:outgoing_file",
    "documents:outgoing_docx",
]
# URLs that name a unit explicitly: another school's must answer 403 or 404.
UNIT_SCOPED = [
    "organizations:unit_detail",
    "workdays:year",
    "kpi:overview",
    "kpi:unit",
    *UNIT_OBJECT_URLS,
]
API_UNIT_SCOPED = ["/api/v1/units/{id}", "/api/v1/units/{id}/staff"]
# "setup" is the first-run page: public while no unit exists, 404 for ever after.
PUBLIC_NAMESPACES = {"portal", "accounts", "admin", "api", "setup"}
# KPI: the 766 index and the reform-index self-assessment (issue 16, items 3 and 4).
STAFF_URLS |= {
    "kpi:index766": lambda unit: reverse("kpi:index766") + f"?don_vi={unit.pk}",
    "kpi:assessment": lambda unit: reverse("kpi:assessment") + f"?don_vi={unit.pk}&nam=2026",
    "kpi:assessment_list": lambda unit: reverse("kpi:assessment_list") + "?nam=2026",
    "kpi:assessment_start": lambda unit: reverse("kpi:assessment_start"),
    "kpi:assessment_act": lambda unit: reverse(
        "kpi:assessment_act", args=[_assessment_of(unit).pk]
    ),
}
POST_URLS |= {"kpi:assessment_start", "kpi:assessment_act"}
UNIT_SCOPED += ["kpi:index766", "kpi:assessment"]
# Periodic reports (issue 16, item 5): a school its own unit, the commune any unit below.
STAFF_URLS |= {
    "reports:index": lambda unit: reverse("reports:index"),
    "reports:download": lambda unit: reverse("reports:download") + f"?don_vi={unit.pk}&ky=2026",
}
UNIT_SCOPED += ["reports:download"]
# Per-person scorecards (issue 16 item 6): own card; a unit's ranking for its leaders.
STAFF_URLS |= {
    "kpi:scorecard_mine": lambda unit: reverse("kpi:scorecard_mine"),
    "kpi:scorecard_list": lambda unit: reverse("kpi:scorecard_list") + f"?don_vi={unit.pk}",
    "kpi:scorecard_xlsx": lambda unit: reverse("kpi:scorecard_xlsx") + f"?don_vi={unit.pk}",
    "kpi:scorecard_detail": lambda unit: reverse("kpi:scorecard_detail", args=[_staff_of(unit).pk]),
    "kpi:scorecard_paper": lambda unit: reverse(
        "kpi:scorecard_paper", args=[_staff_of(unit).pk, "docx"]
    ),
}
UNIT_SCOPED += [
    "kpi:scorecard_list",
    "kpi:scorecard_xlsx",
    "kpi:scorecard_detail",
    "kpi:scorecard_paper",
]
# Stored reports and the reporting calendar (issue 16, items 5 and 7).
STAFF_URLS |= {
    "reports:request": lambda unit: reverse("reports:request"),
    "reports:file": lambda unit: reverse("reports:file", args=[_report_of(unit).pk, "docx"]),
    "reports:calendar": lambda unit: reverse("reports:calendar"),
    "reports:calendar_edit": lambda unit: reverse("reports:calendar_edit") + f"?don_vi={unit.pk}",
}
POST_URLS |= {"reports:request", "reports:calendar_edit"}
UNIT_SCOPED += ["reports:calendar_edit"]
UNIT_SCOPED += ["reports:file"]
# Admission windows of a procedure "theo kế hoạch" (the plan's dates).
STAFF_URLS |= {
    "dossiers:procedure_windows": lambda unit: reverse(
        "dossiers:procedure_windows", args=[_window_of(unit).procedure_id]
    ),
    "dossiers:window_delete": lambda unit: reverse(
        "dossiers:window_delete", args=[_window_of(unit).pk]
    ),
}
POST_URLS |= {"dossiers:window_delete"}
UNIT_OBJECT_URLS += ["dossiers:procedure_windows"]
UNIT_SCOPED += ["dossiers:procedure_windows"]
# The apology letter of a late dossier (Mẫu 04 issued, signed and sent): send for signature,
# record the hand-over, download the letter.
STAFF_URLS |= {
    "dossiers:apology_issue": lambda unit: reverse(
        "dossiers:apology_issue", args=[_apology_of(unit).dossier_id]
    ),
    "dossiers:apology_hand_over": lambda unit: reverse(
        "dossiers:apology_hand_over", args=[_apology_of(unit).dossier_id]
    ),
    "dossiers:apology_pdf": lambda unit: reverse(
        "dossiers:apology_pdf", args=[_apology_of(unit).dossier_id]
    ),
    # The officer's signature on forms 01–03.
    "dossiers:paper_sign": lambda unit: reverse(
        "dossiers:paper_sign", args=[_dossier_of(unit).pk, "tiep-nhan"]
    ),
}
POST_URLS |= {"dossiers:apology_issue", "dossiers:apology_hand_over", "dossiers:paper_sign"}
UNIT_OBJECT_URLS += ["dossiers:apology_pdf"]
UNIT_SCOPED += ["dossiers:apology_pdf"]
# Correcting an apology whose letter the head sent back, and sending it again.
STAFF_URLS |= {
    "dossiers:apology_revise": lambda unit: reverse(
        "dossiers:apology_revise", args=[_apology_of(unit).dossier_id]
    ),
}
POST_URLS |= {"dossiers:apology_revise"}


def _apology_of(unit):
    """An apology of a dossier of `unit` (without its letter), created directly."""
    from datetime import timedelta

    from cchc.dossiers.models import Apology

    dossier = _dossier_of(unit)
    return Apology.objects.get_or_create(
        dossier=dossier,
        defaults={
            "reason": "Chờ",
            "original_due_at": dossier.due_at,
            "new_due_at": dossier.due_at + timedelta(days=3),
            "signer_name": "",
        },
    )[0]


def _window_of(unit):
    """An admission window of `unit`, created directly."""
    from datetime import date

    from cchc.dossiers.models import IntakeWindow, Procedure

    procedure = Procedure.objects.get_or_create(
        unit=unit,
        name="Tuyển sinh riêng",
        valid_from=date(2025, 1, 1),
        defaults={"time_limit_unit": "plan"},
    )[0]
    return IntakeWindow.objects.get_or_create(
        procedure=procedure,
        opens_on=date(2026, 7, 1),
        defaults={
            "closes_on": date(2026, 7, 10),
            "results_on": date(2026, 7, 20),
            "basis": "Kế hoạch",
        },
    )[0]


# A unit's deadline rule and receipt cut-off (on the calendar page).
STAFF_URLS |= {"workdays:rules": lambda unit: reverse("workdays:rules")}
POST_URLS |= {"workdays:rules"}
# A report's page and its issue through the outgoing register (issue 16, QA item 5).
STAFF_URLS |= {
    "reports:detail": lambda unit: reverse("reports:detail", args=[_report_of(unit).pk]),
    "reports:issue": lambda unit: reverse("reports:issue", args=[_report_of(unit).pk]),
}
POST_URLS |= {"reports:issue"}
UNIT_SCOPED += ["reports:detail"]
# The drafter's two sections of a report before submission (QA walk, commune report item 3).
STAFF_URLS |= {
    "reports:sections": lambda unit: reverse("reports:sections", args=[_report_of(unit).pk]),
}
POST_URLS |= {"reports:sections"}


def _report_of(unit):
    from cchc.reports.models import Report

    return Report.objects.get_or_create(unit=unit, period="2026", defaults={"status": "ready"})[0]


# Procedure review and simplification (issue 17): reviews and a procedure's page of one school.
STAFF_URLS |= {
    "simplification:list": lambda unit: reverse("simplification:list"),
    "simplification:detail": lambda unit: reverse(
        "simplification:detail", args=[_review_of(unit).pk]
    ),
    "simplification:edit": lambda unit: reverse("simplification:edit", args=[_review_of(unit).pk]),
    "simplification:act": lambda unit: reverse("simplification:act", args=[_review_of(unit).pk]),
    "simplification:export": lambda unit: reverse(
        "simplification:export", args=[_review_of(unit).pk, "docx"]
    ),
    "simplification:procedure": lambda unit: reverse(
        "simplification:procedure", args=[_dossier_of(unit).procedure_id]
    ),
}
POST_URLS |= {"simplification:edit", "simplification:act"}
UNIT_SCOPED += ["simplification:detail", "simplification:export", "simplification:procedure"]


def _review_of(unit):
    """A draft review of a procedure of `unit`, created directly."""
    from cchc.simplification.models import Review

    procedure = _dossier_of(unit).procedure
    return Review.objects.get_or_create(
        unit=unit,
        procedure=procedure,
        defaults={"year": 2026, "wage_per_hour_vnd": 30000, "yearly_volume": 1},
    )[0]


def _assessment_of(unit):
    from cchc.kpi.models import Assessment

    return Assessment.objects.get_or_create(
        unit=unit, year=2026, defaults={"rubric_code": "thu", "rubric_version": "1"}
    )[0]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    """Files the builders store (attachments, evidence) go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _staff_of(unit):
    """A person of `unit` without an account (issue 9: staff pages)."""
    from cchc.organizations.models import Staff

    return Staff.objects.get_or_create(
        unit=unit, full_name="Người riêng của đơn vị", defaults={"email": ""}
    )[0]


def _override_of(unit):
    from datetime import date

    from cchc.workdays.models import CalendarOverride

    return CalendarOverride.objects.get_or_create(
        unit=unit, date=date(2026, 11, 20), defaults={"is_working": False, "reason": "Thử"}
    )[0]


def _plan_of(unit):
    """A plan of `unit` with a task, a period, a pending import and an initiative."""
    from datetime import date

    from cchc.plans.models import (
        Activity,
        Plan,
        PlanImport,
        Recurrence,
        Task,
        TaskOccurrence,
    )

    plan = Plan.objects.filter(unit=unit).first() or Plan.objects.create(
        unit=unit, title="Kế hoạch bí mật của trường khác", year=2026
    )
    task = Task.objects.get_or_create(
        plan=plan, number="1.1", defaults={"title": "Nhiệm vụ riêng", "recurrence": Recurrence.ONCE}
    )[0]
    occurrence = TaskOccurrence.objects.get_or_create(
        task=task,
        period_label="Quý I",
        period_start=date(2026, 1, 1),
        defaults={"due_on": date(2026, 3, 31)},
    )[0]
    pending = PlanImport.objects.get_or_create(
        unit=unit, filename="kh.txt", defaults={"text": "x", "parsed": {}}
    )[0]
    activity = Activity.objects.get_or_create(
        unit=unit,
        title="Sáng kiến riêng",
        defaults={
            "kind": "initiative",
            "held_on": date(2026, 3, 1),
            "initiative_status": "submitted",
        },
    )[0]
    return plan, task, occurrence, pending, activity


def _dossier_of(unit):
    """A dossier of `unit` (with its procedure), created directly."""
    from datetime import date

    from django.utils import timezone

    from cchc.dossiers.models import Dossier, Procedure

    procedure = Procedure.objects.get_or_create(
        unit=unit, name="Thủ tục riêng", valid_from=date(2025, 1, 1)
    )[0]
    return Dossier.objects.get_or_create(
        code=f"{unit.code}-261120-0001",
        defaults={
            "unit": unit,
            "procedure": procedure,
            "channel": "in_person",
            "status": "accepted",
            "applicant_name": "Người dân trường khác",
            "received_at": timezone.now(),
            "due_at": timezone.now(),
        },
    )[0]


def _feedback_of(unit):
    """A feedback item of `unit` about staff conduct, with the sender's personal data."""
    from django.utils import timezone

    from cchc.feedback.models import Feedback

    return Feedback.objects.get_or_create(
        tracking_code=f"PA26-T{unit.pk:05d}",
        defaults={
            "unit": unit,
            "year": 2026,
            "register_number": 1,
            "channel": "letter",
            "classification": "conduct",
            "status": "inspection",
            "sender_name": "Nguyễn Phụ Huynh Bí Mật",
            "sender_phone": "0912345678",
            "title": "Phản ánh riêng của trường khác",
            "content": "Nội dung riêng",
            "due_at": timezone.now(),
        },
    )[0]


def _feedback_attachment_of(unit):
    """A file a sender attached to a feedback item of `unit`."""
    from cchc.feedback.models import FeedbackAttachment

    attachment = FeedbackAttachment.objects.get_or_create(
        feedback=_feedback_of(unit), name="don.pdf"
    )[0]
    _stored(attachment.file, "don.pdf")
    return attachment


def _campaign_of(unit):
    """An open anonymous survey campaign of `unit` on its shipped education template."""
    from datetime import date

    from cchc.surveys import services
    from cchc.surveys.models import Campaign

    template = next(
        t
        for t in services.templates_install_defaults(actor=None, unit=unit)
        if t.key == "dich-vu-giao-duc"
    )
    return Campaign.objects.get_or_create(
        unit=unit,
        title="Khảo sát riêng của trường khác",
        defaults={
            "template": template,
            "version": template.current_version(),
            "audience": "all_parents",
            "starts_on": date(2026, 11, 1),
            "ends_on": date(2026, 12, 31),
            "status": "open",
        },
    )[0]


def _payments_of(unit):
    """A fee, a bill paid in cash (with its receipt) and an unmatched credit of `unit`."""
    from datetime import date

    from cchc.payments.models import (
        Bill,
        Fee,
        Payment,
        Receipt,
        Statement,
        StatementLine,
    )

    fee = Fee.objects.get_or_create(
        unit=unit,
        name="Khoản thu riêng",
        defaults={"amount_vnd": 100000, "due_on": date(2026, 9, 30)},
    )[0]
    bill = Bill.objects.get_or_create(
        code=f"HP26{unit.pk:06d}"[:10],
        defaults={
            "unit": unit,
            "fee": fee,
            "reason": "Khoản thu riêng",
            "amount_vnd": 100000,
            "payer_name": "Phụ huynh trường khác",
            "student_name": "Học sinh trường khác",
            "class_name": "6A",
            "issued_on": date(2026, 9, 7),
            "due_on": date(2026, 9, 30),
        },
    )[0]
    payment = Payment.objects.get_or_create(
        unit=unit,
        bill=bill,
        defaults={
            "amount_vnd": 1000,
            "method": "cash",
            "paid_on": date(2026, 9, 8),
            "cash_reason": "Thử",
        },
    )[0]
    receipt = Receipt.objects.get_or_create(
        payment=payment,
        defaults={"unit": unit, "year": 2026, "number": 1, "issued_at": payment.created_at},
    )[0]
    statement = Statement.objects.get_or_create(
        unit=unit,
        content_hash=f"{unit.pk:064d}",
        defaults={"filename": "sk.csv", "format_code": "x"},
    )[0]
    line = StatementLine.objects.get_or_create(
        unit=unit,
        fingerprint=f"{unit.pk:064d}",
        defaults={
            "statement": statement,
            "row_number": 2,
            "posted_on": date(2026, 9, 9),
            "amount_vnd": 100000,
            "description": "Chuyển khoản riêng",
        },
    )[0]
    return {"fee": fee, "bill": bill, "receipt": receipt, "line": line}


def _stored(field, name: str) -> None:
    """Store a small file under MEDIA_ROOT for `field` unless it already has one."""
    from django.core.files.base import ContentFile

    if not field:
        field.save(name, ContentFile(b"%PDF-1.4 tai lieu rieng cua truong khac"), save=True)


def _attachment_of(unit):
    """A scanned attachment (with a file on disk) of a dossier of `unit`."""
    from cchc.dossiers.models import DossierAttachment

    attachment = DossierAttachment.objects.get_or_create(
        dossier=_dossier_of(unit), document_name="Căn cước công dân"
    )[0]
    _stored(attachment.file, "cccd.pdf")
    return attachment


def _evidence_of(unit):
    """A task evidence file of `unit`."""
    from cchc.plans.models import Evidence

    evidence = Evidence.objects.get_or_create(task=_plan_of(unit)[1], title="Minh chứng riêng")[0]
    _stored(evidence.file, "minh-chung.pdf")
    return evidence


def _activity_file_of(unit):
    """An activity of `unit` with an evidence file."""
    activity = _plan_of(unit)[4]
    _stored(activity.evidence_file, "hoat-dong.pdf")
    return activity


def _incoming_of(unit):
    """An incoming document of `unit` with a stored file."""
    from datetime import date

    from django.utils import timezone

    from cchc.documents.models import IncomingDocument

    doc = IncomingDocument.objects.get_or_create(
        unit=unit,
        year=2026,
        incoming_number=1,
        defaults={
            "received_at": timezone.now(),
            "author": "UBND xã",
            "reference": "7/KH-UBND",
            "reference_normalized": "07/KH-UBND",
            "issued_on": date(2026, 3, 2),
            "doc_type": "Kế hoạch",
            "summary": "Văn bản riêng của trường khác",
            "channel": "electronic",
        },
    )[0]
    _stored(doc.file, "den.pdf")
    return doc


def _outgoing_of(unit):
    """A numbered outgoing document of `unit` with a stored PDF."""
    from cchc.documents.models import OutgoingDocument

    doc = OutgoingDocument.objects.get_or_create(
        unit=unit,
        year=2026,
        number=1,
        defaults={
            "status": "approved",
            "doc_type": "Kế hoạch",
            "type_code": "KH",
            "summary": "Văn bản đi riêng của trường khác",
            "recipients": "Lưu: VT.",
            "symbol": "01/KH-X",
        },
    )[0]
    _stored(doc.pdf, "di.pdf")
    return doc


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            names |= _names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def test_every_staff_url_is_covered() -> None:
    staff_names = {
        n for n in _names(get_resolver()) if n.split(":")[0] not in PUBLIC_NAMESPACES and ":" in n
    }

    assert staff_names - set(STAFF_URLS) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("name", UNIT_SCOPED)
def test_outsider_gets_404_on_other_school_pages(name, outsider, school, principal) -> None:
    response = client_for(outsider).get(STAFF_URLS[name](school))

    assert response.status_code in (403, 404)
    assert principal.full_name not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_URLS))
def test_outsider_post_to_other_school_changes_nothing(name, outsider, school) -> None:
    from cchc.core.models import AuditEvent

    url = STAFF_URLS[name](school)
    events = AuditEvent.objects.count()

    response = client_for(outsider).post(
        url,
        {
            "don_vi": school.pk,
            "date": "2026-12-01",
            "is_working": "0",
            "reason": "Xâm nhập",
            "status": "done",
            "progress": "100",
            "version": "1",
            "title": "Xâm nhập",
            "url": "https://x.example",
            "text": "Xâm nhập",
            "done": "1",
            "recurrence": "once",
            "action": "return",
        },
    )

    assert response.status_code in (403, 404)
    assert AuditEvent.objects.count() == events  # no service wrote anything


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(STAFF_URLS) - POST_URLS))
def test_outsider_never_sees_other_school_data(name, outsider, school, principal) -> None:
    response = client_for(outsider).get(STAFF_URLS[name](school), follow=True)

    assert response.status_code in (200, 403, 404)
    body = response.content.decode(errors="replace")  # a download (XLSX template) is binary
    assert principal.full_name not in body
    assert school.name not in body


@pytest.mark.django_db
@pytest.mark.parametrize("template", API_UNIT_SCOPED)
def test_outsider_gets_404_from_api_for_other_school(template, outsider, school) -> None:
    response = client_for(outsider).get(template.format(id=school.pk))

    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy dữ liệu."


@pytest.mark.django_db
def test_outsider_unit_list_shows_only_own_school(outsider, school, other_school) -> None:
    response = client_for(outsider).get(reverse("organizations:unit_list"))

    body = response.content.decode()
    assert other_school.name in body
    assert school.name not in body


@pytest.mark.django_db
def test_commune_officer_sees_every_school_below(commune_officer, school, other_school) -> None:
    client = client_for(commune_officer)

    listing = client.get(reverse("organizations:unit_list")).content.decode()
    api_units = {u["name"] for u in client.get("/api/v1/units").json()}
    detail = client.get(reverse("organizations:unit_detail", args=[other_school.pk]))

    assert school.name in listing
    assert other_school.name in listing
    assert {school.name, other_school.name, commune_officer.unit.name} == api_units
    assert detail.status_code == 200


@pytest.mark.django_db
def test_school_staff_cannot_see_commune_above(principal, commune) -> None:
    response = client_for(principal).get(reverse("organizations:unit_detail", args=[commune.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(citizen, school) -> None:
    response = citizen.get(reverse("organizations:unit_detail", args=[school.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_missing_unit_is_a_vietnamese_404(principal) -> None:
    response = client_for(principal).get(reverse("organizations:unit_detail", args=[999999]))

    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()

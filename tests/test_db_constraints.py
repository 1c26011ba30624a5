"""The database refuses bad rows written around the services (admin, imports, data migrations).

Each case writes one valid row directly with the ORM, then turns one field bad with a bare
`UPDATE` (no model validation, no service) and expects the database's IntegrityError: on
SQLite and on PostgreSQL (DATABASE_URL=postgres://…). A last test makes sure every constraint
declared with `cchc.core.constraints` has a case here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, migrations, models, transaction
from django.db.models import Q

from cchc.accounts.models import RoleAssignment
from cchc.core.constraints import existing_rows_check
from cchc.core.timezones import VN
from cchc.documents.models import IncomingDocument, OutgoingDocument, SigningCertificate
from cchc.dossiers.channels import Channel
from cchc.dossiers.models import (
    Apology,
    Dossier,
    DossierEvent,
    DossierPause,
    IntakeWindow,
    PaperNumber,
    Procedure,
)
from cchc.feedback.models import Feedback, FeedbackEvent
from cchc.payments.models import Bill, Payment, Statement, StatementLine
from cchc.plans.models import Activity, Plan, Task, TaskOccurrence
from cchc.surveys.models import Campaign, Response, SurveyTemplate, TemplateVersion

AT = datetime(2026, 9, 8, 9, 0, tzinfo=VN)


class Rows:
    """One valid row of each constrained model, made on first use (only what a case needs)."""

    def __init__(self, school: Any, principal: Any) -> None:
        self.school, self.principal = school, principal
        self._made: dict[str, models.Model] = {}

    def __getitem__(self, key: str) -> models.Model:
        if key not in self._made:
            self._made[key] = getattr(self, f"_{key}")()
        return self._made[key]

    def _procedure(self) -> Procedure:
        return Procedure.objects.create(
            unit=self.school, name="Thủ tục thử", valid_from=date(2026, 1, 1)
        )

    def _dossier(self) -> Dossier:
        return Dossier.objects.create(
            unit=self.school,
            procedure=self["procedure"],
            code="T.1-260908-0001",
            channel=Channel.IN_PERSON,
            applicant_name="Nguyễn Văn An",
        )

    def _dossier_event(self) -> DossierEvent:
        return DossierEvent.objects.create(dossier=self["dossier"], to_status="new")

    def _pause(self) -> DossierPause:
        return DossierPause.objects.create(dossier=self["dossier"], started_at=AT, reason="Thiếu")

    def _apology(self) -> Apology:
        return Apology.objects.create(
            dossier=self["dossier"],
            reason="Chờ xác minh",
            original_due_at=AT,
            new_due_at=AT + timedelta(days=2),
            signer_name="Nguyễn Thị Thanh Trang",
        )

    def _paper_number(self) -> PaperNumber:
        return PaperNumber.objects.create(
            unit=self.school,
            form="02",
            year=2026,
            number=1,
            dossier=self["dossier"],
            subject="pause:1",
            issued_at=AT,
        )

    def _window(self) -> IntakeWindow:
        return IntakeWindow.objects.create(
            procedure=self["procedure"],
            opens_on=date(2026, 7, 1),
            closes_on=date(2026, 7, 10),
            results_on=date(2026, 7, 20),
            basis="Kế hoạch tuyển sinh",
        )

    def _plan(self) -> Plan:
        return Plan.objects.create(unit=self.school, title="Kế hoạch CCHC 2026", year=2026)

    def _task(self) -> Task:
        return Task.objects.create(plan=self["plan"], number="1", title="Rà soát thủ tục")

    def _occurrence(self) -> TaskOccurrence:
        return TaskOccurrence.objects.create(
            task=self["task"],
            period_label="Quý III",
            period_start=date(2026, 7, 1),
            due_on=date(2026, 9, 30),
        )

    def _activity(self) -> Activity:
        return Activity.objects.create(
            unit=self.school, kind="training", title="Tập huấn", held_on=date(2026, 9, 8)
        )

    def _feedback(self) -> Feedback:
        return Feedback.objects.create(
            unit=self.school,
            year=2026,
            register_number=1,
            tracking_code="PA-TEST-1",
            access_key="k" * 40,
            channel="web",
            title="Phản ánh",
            content="Nội dung",
            due_at=AT + timedelta(days=21),
        )

    def _feedback_event(self) -> FeedbackEvent:
        return FeedbackEvent.objects.create(feedback=self["feedback"], to_status="received")

    def _campaign(self) -> Campaign:
        template = SurveyTemplate.objects.create(
            unit=self.school, key="thu", name="Phiếu thử", purpose="other"
        )
        version = TemplateVersion.objects.create(template=template, number=1)
        return Campaign.objects.create(
            unit=self.school,
            title="Khảo sát thử",
            template=template,
            version=version,
            audience="citizens",
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 9, 30),
        )

    def _response(self) -> Response:
        campaign = self["campaign"]
        return Response.objects.create(campaign=campaign, version=campaign.version, channel="link")

    def _bill(self) -> Bill:
        return Bill.objects.create(
            unit=self.school,
            code="HP-TEST-1",
            reason="Học phí",
            amount_vnd=120000,
            payer_name="Trần Thị Bình",
            issued_on=date(2026, 9, 1),
            due_on=date(2026, 9, 30),
        )

    def _payment(self) -> Payment:
        return Payment.objects.create(
            unit=self.school,
            bill=self["bill"],
            amount_vnd=120000,
            method="transfer",
            paid_on=date(2026, 9, 8),
        )

    def _line(self) -> StatementLine:
        statement = Statement.objects.create(
            unit=self.school, filename="saoke.csv", content_hash="0" * 64, format_code="generic"
        )
        return StatementLine.objects.create(
            unit=self.school,
            statement=statement,
            row_number=1,
            fingerprint="f" * 64,
            posted_on=date(2026, 9, 8),
            amount_vnd=120000,
            description="HP-TEST-1",
        )

    def _incoming(self) -> IncomingDocument:
        return IncomingDocument.objects.create(
            unit=self.school,
            year=2026,
            incoming_number=1,
            received_at=AT,
            author="UBND xã",
            reference="12/UBND",
            reference_normalized="12/UBND",
            issued_on=date(2026, 9, 7),
            doc_type="Công văn",
            summary="V/v rà soát",
            channel="paper",
        )

    def _outgoing(self) -> OutgoingDocument:
        return OutgoingDocument.objects.create(
            unit=self.school, doc_type="Công văn", summary="V/v báo cáo", recipients="UBND xã"
        )

    def _certificate(self) -> SigningCertificate:
        return SigningCertificate.objects.create(
            unit=self.school,
            kind="pkcs12",
            certificate_pem="-----BEGIN CERTIFICATE-----",
            subject="CN=Trường THCS",
            issuer="CN=CA",
            serial="01",
            not_before=AT,
            not_after=AT + timedelta(days=365),
        )

    def _role(self) -> RoleAssignment:
        return RoleAssignment.objects.filter(staff=self.principal).first()


# (row, constraint name or the rule it stands for, a bad value for one field)
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("procedure", "procedure_valid_to_not_before_valid_from", {"valid_to": date(2025, 12, 31)}),
    ("procedure", "procedure_time_limit_unit_valid", {"time_limit_unit": "weeks"}),
    ("procedure", "procedure_online_level_valid", {"online_level": "level4"}),
    ("procedure", "procedure_supplement_rule_valid", {"supplement_rule": "ignore"}),
    ("procedure", "fee >= 0 (PositiveBigIntegerField)", {"fee_vnd": -1}),
    ("dossier", "dossier_status_valid", {"status": "lost"}),
    ("dossier", "dossier_channel_valid", {"channel": "1"}),
    ("dossier", "dossier_step_valid", {"step": "nowhere"}),
    ("dossier", "dossier_result_delivery_valid", {"result_delivery": "fax"}),
    ("dossier_event", "dossier_event_to_status_valid", {"to_status": "lost"}),
    ("dossier_event", "dossier_event_from_status_valid", {"from_status": "lost"}),
    ("pause", "dossier_pause_ends_after_start", {"ended_at": AT - timedelta(hours=1)}),
    ("apology", "apology_new_due_after_original", {"new_due_at": AT}),
    ("paper_number", "paper_number_form_valid", {"form": "01"}),
    ("window", "intake_window_closes_after_opening", {"closes_on": date(2026, 6, 30)}),
    ("window", "intake_window_results_after_closing", {"results_on": date(2026, 7, 9)}),
    ("plan", "plan_status_valid", {"status": "forgotten"}),
    ("task", "task_status_valid", {"status": "forgotten"}),
    ("task", "task_recurrence_valid", {"recurrence": "hourly"}),
    ("task", "task_progress_percent", {"progress": 101}),
    ("occurrence", "occurrence_status_valid", {"status": "forgotten"}),
    ("occurrence", "occurrence_due_not_before_start", {"due_on": date(2026, 6, 30)}),
    ("activity", "activity_kind_valid", {"kind": "party"}),
    ("activity", "activity_initiative_status_valid", {"initiative_status": "famous"}),
    ("feedback", "feedback_status_valid", {"status": "lost"}),
    ("feedback", "feedback_channel_valid", {"channel": "pigeon"}),
    ("feedback", "feedback_kind_valid", {"kind": "rumour"}),
    ("feedback", "feedback_classification_valid", {"classification": "spam"}),
    ("feedback", "feedback_rating_valid", {"rating": "meh"}),
    ("feedback_event", "feedback_event_to_status_valid", {"to_status": "lost"}),
    ("feedback_event", "feedback_event_from_status_valid", {"from_status": "lost"}),
    ("campaign", "survey_campaign_status_valid", {"status": "stopped"}),
    ("campaign", "survey_campaign_kind_valid", {"kind": "poll"}),
    ("campaign", "survey_campaign_audience_valid", {"audience": "aliens"}),
    ("campaign", "survey_campaign_access_valid", {"access": "open"}),
    ("campaign", "survey_campaign_period_valid", {"ends_on": date(2026, 8, 31)}),
    ("response", "survey_response_channel_valid", {"channel": "fax"}),
    ("bill", "bill_status_valid", {"status": "forgiven"}),
    ("bill", "bill_kind_valid", {"kind": "bribe"}),
    ("bill", "bill_amount_positive", {"amount_vnd": 0}),
    ("bill", "paid >= 0 (PositiveBigIntegerField)", {"paid_vnd": -1}),
    ("payment", "payment_method_valid", {"method": "barter"}),
    ("payment", "payment_amount_positive", {"amount_vnd": 0}),
    ("line", "line_status_valid", {"status": "lost"}),
    ("line", "line_match_rule_valid", {"match_rule": "guess"}),
    ("incoming", "documents_incoming_status_valid", {"status": "lost"}),
    ("incoming", "documents_incoming_channel_valid", {"channel": "fax"}),
    ("incoming", "documents_incoming_urgency_valid", {"urgency": "whenever"}),
    ("incoming", "documents_incoming_secrecy_valid", {"secrecy": "public"}),
    ("outgoing", "documents_outgoing_status_valid", {"status": "lost"}),
    ("outgoing", "documents_outgoing_urgency_valid", {"urgency": "whenever"}),
    ("outgoing", "documents_outgoing_secrecy_valid", {"secrecy": "public"}),
    ("certificate", "documents_cert_validity_range", {"not_after": AT - timedelta(days=1)}),
    ("role", "role_assignment_role_valid", {"role": "janitor"}),
]


@pytest.fixture
def rows(school, principal) -> Rows:
    return Rows(school, principal)


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "rule", "bad"), CASES, ids=[c[1] for c in CASES])
def test_the_database_refuses_a_bad_row_written_directly(
    rows: Rows, row: str, rule: str, bad: dict[str, Any]
) -> None:
    instance = rows[row]
    manager = type(instance)._base_manager

    with pytest.raises(IntegrityError), transaction.atomic():
        manager.filter(pk=instance.pk).update(**bad)

    field = next(iter(bad))
    stored = manager.filter(pk=instance.pk).values_list(field, flat=True).get()
    assert stored == getattr(instance, field)


@pytest.mark.django_db
def test_the_edges_of_the_ranges_are_allowed(rows: Rows) -> None:
    task, pause, procedure = rows["task"], rows["pause"], rows["procedure"]

    for progress in (0, 100):
        Task.objects.filter(pk=task.pk).update(progress=progress)
    DossierPause.objects.filter(pk=pause.pk).update(ended_at=pause.started_at)
    Procedure.objects.filter(pk=procedure.pk).update(valid_to=procedure.valid_from)
    Dossier.objects.filter(pk=rows["dossier"].pk).update(step="", result_delivery="")

    assert Task.objects.get(pk=task.pk).progress == 100


def test_every_declared_constraint_has_a_case() -> None:
    """Constraints built by `cchc.core.constraints` (they carry a Vietnamese message)."""
    declared = {
        constraint.name
        for model in apps.get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
        and constraint.violation_error_message != constraint.default_violation_error_message
    }
    assert declared - {rule for _, rule, _ in CASES} == set()


@pytest.mark.django_db
def test_a_migration_stops_on_existing_rows_that_break_a_new_constraint(rows: Rows) -> None:
    task = rows["task"]
    Task.objects.filter(pk=task.pk).update(progress=60)
    stricter = migrations.AddConstraint(
        model_name="task",
        constraint=models.CheckConstraint(condition=Q(progress__lte=50), name="task_half_done"),
    )

    check: Callable[[Any, Any], None] = existing_rows_check("plans", [stricter])
    with pytest.raises(
        RuntimeError, match=rf"plans_task: 1 dòng vi phạm task_half_done \(id {task.pk}\)"
    ):
        check(apps, SimpleNamespace(connection=connection))

    Task.objects.filter(pk=task.pk).update(progress=50)
    check(apps, SimpleNamespace(connection=connection))  # nothing to fix: passes

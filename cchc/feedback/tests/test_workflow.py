"""Feedback lifecycle: numbering, deadlines over a holiday, transitions, e-mails, permissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.core.models import AuditEvent
from cchc.feedback import selectors, services
from cchc.feedback.models import Feedback, FeedbackSettings
from cchc.feedback.tests.conftest import SENDER, answered, at, later
from cchc.feedback.workflow import ALLOWED_TRANSITIONS, FeedbackStatus, InvalidTransition

S = FeedbackStatus


@pytest.mark.django_db
def test_register_numbers_are_continuous_per_year(clerk, school) -> None:
    with later(at(2026, 12, 30, 9, 0)):
        first = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )
        second = services.feedback_receive(
            actor=clerk.user, unit=school, channel="phone", data=dict(SENDER)
        )
    with later(at(2027, 1, 4, 9, 0)):
        third = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )

    assert (first.register_number, second.register_number) == (1, 2)
    assert (third.year, third.register_number) == (2027, 1)
    assert first.tracking_code != second.tracking_code


@pytest.mark.django_db
def test_answer_deadline_skips_the_tet_holiday(clerk, school) -> None:
    with later(at(2026, 2, 12, 9, 0)):  # Thursday before Tết (14–22/02/2026 off)
        item = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )

    assert item.due_at == at(2026, 3, 12, 17, 0)  # 15 working days, holiday not counted


@pytest.mark.django_db
def test_deadlines_are_configurable_per_unit(clerk, principal, colleague, school) -> None:
    FeedbackSettings.objects.create(unit=school, answer_within_days=10, publish_within_days=1)
    with later(at(2026, 2, 12, 9, 0)):
        item = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )
    item = answered(item, clerk, principal, colleague, when=(2026, 2, 13, 10, 0))

    assert item.due_at == at(2026, 3, 5, 17, 0)
    assert item.publish_due_at == at(2026, 2, 23, 17, 0)  # 1 working day after the holiday


@pytest.mark.django_db
def test_full_lifecycle_is_audited_and_published_redacted(
    item, clerk, principal, colleague
) -> None:
    item = answered(item, clerk, principal, colleague)
    question, answer = services.public_versions(item)
    with later(at(2026, 3, 4, 9, 0)):
        item = services.feedback_publish(
            actor=principal.user, item=item, public_question=question, public_answer=answer
        )

    assert item.status == S.PUBLISHED
    assert "0912" not in item.public_answer + item.public_question
    assert "Bình" not in item.public_answer + item.public_question
    assert "[số điện thoại]" in item.public_answer
    verbs = set(AuditEvent.objects.filter(object_id=str(item.pk)).values_list("verb", flat=True))
    assert {
        "feedback.receive",
        "feedback.classify",
        "feedback.draft",
        "feedback.approve",
        "feedback.publish",
    } <= verbs
    assert selectors.public_list(item.unit, "thu tien hoc them").get() == item


@pytest.mark.django_db
def test_publish_refuses_text_that_still_leaks(item, clerk, principal, colleague) -> None:
    item = answered(item, clerk, principal, colleague)

    item = services.feedback_publish(
        actor=principal.user,
        item=item,
        public_question="Câu hỏi",
        public_answer="Gọi số 0 9 1 2 . 3 4 5 . 6 7 8 hoặc binh (at) example chấm vn",
    )

    assert "0 9 1 2" not in item.public_answer
    assert "example" not in item.public_answer


@pytest.mark.django_db
def test_rejects_transition_outside_the_table(item, principal) -> None:
    with pytest.raises(InvalidTransition):
        services.feedback_approve(actor=principal.user, item=item)

    item.refresh_from_db()
    assert item.status == S.RECEIVED


def test_final_statuses_lead_nowhere() -> None:
    assert ALLOWED_TRANSITIONS[S.REJECTED] == frozenset()
    assert ALLOWED_TRANSITIONS[S.FORWARDED] == frozenset()
    assert set(ALLOWED_TRANSITIONS) == set(S.values)


@pytest.mark.django_db
def test_stale_version_is_refused(item, clerk, colleague) -> None:
    services.feedback_classify(
        actor=clerk.user, item=item, classification="competent", assignee=colleague
    )

    with pytest.raises(services.StaleFeedback):
        services.feedback_request_info(
            actor=clerk.user, item=item, note="Thêm lớp", expected_version=1
        )


@pytest.mark.django_db
def test_missing_contact_is_recorded_as_invalid_not_dropped(school) -> None:
    data = {"title": "Góp ý", "content": "Nhà trường nên mở thêm cổng phụ cho học sinh."}

    item = services.feedback_submit_public(unit=school, data=data)

    assert Feedback.objects.filter(pk=item.pk).exists()
    assert item.status == S.REJECTED
    assert "Nghị định 20/2008" in item.decision_reason


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("", "content"),
        ("x" * 5001, "content"),
        ("Привет, это не вьетнамский текст совсем", "content"),
        ("$$$ ### !!! 1234567 %%%% ^^^^ &&&&", "content"),
        ("Nội dung\x00ẩn", "content"),
    ],
)
def test_bad_content_is_refused_with_a_message(school, content, field) -> None:
    with pytest.raises(ValidationError) as error:
        services.feedback_submit_public(unit=school, data={**SENDER, "content": content})

    assert field in error.value.message_dict
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_classification_needs_reason_or_destination(item, clerk) -> None:
    with pytest.raises(ValidationError) as rejected:
        services.feedback_classify(actor=clerk.user, item=item, classification="invalid")
    with pytest.raises(ValidationError) as forwarded:
        services.feedback_classify(actor=clerk.user, item=item, classification="outside")

    assert "reason" in rejected.value.message_dict
    assert "forwarded_to" in forwarded.value.message_dict


@pytest.mark.django_db
def test_external_code_is_unique_per_unit(clerk, school) -> None:
    services.feedback_receive(
        actor=clerk.user,
        unit=school,
        channel="national_portal",
        data=dict(SENDER),
        external_code="PAKN-2026-000123",
    )

    with pytest.raises(services.Conflict):
        services.feedback_receive(
            actor=clerk.user,
            unit=school,
            channel="national_portal",
            data=dict(SENDER),
            external_code="PAKN-2026-000123",
        )


@pytest.mark.django_db
def test_dispute_reopens_and_reaches_inspection(
    item, clerk, principal, colleague, inspection_head
) -> None:
    item = answered(item, clerk, principal, colleague)
    question, answer = services.public_versions(item)
    item = services.feedback_publish(
        actor=principal.user, item=item, public_question=question, public_answer=answer
    )

    first_due = item.due_at
    with later(at(2026, 4, 1, 9, 0)):
        item = services.feedback_dispute(item=item, reason="Câu trả lời chưa nêu rõ mức thu.")
    services.finding_add(
        actor=inspection_head.user, item=item, text="Đề nghị nhà trường công khai bảng thu."
    )

    assert item.status == S.REOPENED
    assert item.due_at == at(2026, 4, 22, 17, 0) > first_due  # a fresh 15 working days
    assert item.rating == "unsatisfied"
    assert item in selectors.inspection_list(user=inspection_head.user)
    assert item.findings.count() == 1


@pytest.mark.django_db
def test_teacher_cannot_see_conduct_complaints(item, clerk, colleague, outsider) -> None:
    services.feedback_classify(actor=clerk.user, item=item, classification="conduct")

    assert not selectors.feedback_list_for_user(user=colleague.user).exists()
    assert not selectors.feedback_list_for_user(user=outsider.user).exists()
    assert selectors.feedback_list_for_user(user=clerk.user).count() == 1


@pytest.mark.django_db
def test_teacher_cannot_approve_or_classify(item, colleague, outsider) -> None:
    with pytest.raises(PermissionDenied):
        services.feedback_classify(
            actor=colleague.user, item=item, classification="invalid", reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.feedback_classify(
            actor=outsider.user, item=item, classification="invalid", reason="x"
        )


@pytest.mark.django_db
def test_acknowledgement_and_answer_mails_through_smtp(
    school, clerk, principal, colleague, smtp_server, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = services.feedback_submit_public(unit=school, data=dict(SENDER))
    assert smtp_server.received.wait(5)
    smtp_server.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answered(item, clerk, principal, colleague)
    assert smtp_server.received.wait(5)

    ack, answer = smtp_server.messages
    assert item.tracking_code in ack["Subject"]
    assert "Đã tiếp nhận" in ack["Subject"]
    assert f"k={item.access_key}" in ack.get_content()
    assert "khoản thu theo Nghị quyết" in answer.get_content()
    assert smtp_server.envelopes[1][1] == ["binh.nguyen@example.vn"]

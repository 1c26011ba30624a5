"""The dossier lifecycle through the services: codes, deadlines, supplements, apologies,
results, stops, concurrency and the audit trail."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from cchc.core.audit import audit_verify
from cchc.core.models import AuditEvent
from cchc.dossiers import services
from cchc.dossiers.models import Dossier, SupplementRule
from cchc.dossiers.tests.factories import APPLICANT, VN, at, frozen_at, receive_dossier
from cchc.dossiers.workflow import ALLOWED_TRANSITIONS, DossierStatus, InvalidTransition

S = DossierStatus
# ---------------------------------------------------------------- receipt, codes, due dates


@pytest.mark.django_db
def test_receipt_gets_official_code_due_date_and_book_entry(clerk, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))  # Monday

    assert dossier.code == f"{school.code}-260302-0001"
    assert dossier.status == S.ACCEPTED
    assert dossier.due_at == at(2026, 3, 9, 17, 0)  # 5 working days, day of receipt not counted
    assert dossier.book_entry == 1
    assert dossier.events.get().receiver == clerk.full_name


@pytest.mark.django_db
def test_receipt_after_cutoff_counts_from_next_day_where_the_procedure_says_so(
    clerk, school, transfer
) -> None:
    transfer.cutoff = datetime(2026, 1, 1, 15, 0).time()
    transfer.save()
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 16, 0))

    assert dossier.due_at.astimezone(VN).date().isoformat() == "2026-03-10"


@pytest.mark.django_db
def test_days_procedure_without_a_cutoff_counts_from_the_day_of_receipt(
    clerk, school, transfer
) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 16, 0))

    assert dossier.due_at == at(2026, 3, 9, 17, 0)


@pytest.mark.django_db
def test_due_date_skips_tet_2026(clerk, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 2, 10, 9, 0))

    assert dossier.due_at.astimezone(VN).date().isoformat() == "2026-02-24"


@pytest.mark.django_db
def test_same_day_procedure_cutoff(clerk, school, copy_from_register) -> None:
    before = receive_dossier(clerk, copy_from_register, at(2026, 3, 3, 14, 0))
    after = receive_dossier(clerk, copy_from_register, at(2026, 3, 3, 15, 30))

    assert before.due_at.astimezone(VN).date().isoformat() == "2026-03-03"
    assert after.due_at.astimezone(VN).date().isoformat() == "2026-03-04"
    assert after.code.endswith("-260303-0002")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"applicant_id_number": "12345"}, "applicant_id_number"),
        ({"applicant_phone": "123"}, "applicant_phone"),
        ({"applicant_name": "  "}, "applicant_name"),
    ],
)
def test_bad_applicant_data_is_refused_and_nothing_saved(
    clerk, school, transfer, extra, field
) -> None:
    with pytest.raises(ValidationError) as raised:
        receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0), applicant={**APPLICANT, **extra})

    assert field in raised.value.message_dict
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_missing_required_document_is_refused(clerk, school, transfer) -> None:
    with pytest.raises(ValidationError, match="Thiếu giấy tờ bắt buộc"):
        services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant=APPLICANT,
            provided_documents=[],
        )

    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_teacher_cannot_receive(colleague, school, transfer) -> None:
    with pytest.raises(PermissionDenied):
        services.dossier_receive(
            actor=colleague.user,
            unit=school,
            procedure=transfer,
            applicant=APPLICANT,
            provided_documents=[d["name"] for d in transfer.documents],
        )


@pytest.mark.django_db
def test_external_codes_are_normalised_and_checked(clerk, school, transfer) -> None:
    dossier = receive_dossier(
        clerk, transfer, at(2026, 3, 2, 9, 0), external_code=f" {school.code.lower()}-260302-0099 "
    )

    assert dossier.code == f"{school.code.upper()}-260302-0099"
    for bad in ("A/B-260302-0001", "x" * 70, "abc"):
        with pytest.raises(ValidationError):
            receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0), external_code=bad)


@pytest.mark.django_db
def test_nul_and_bad_email_are_refused(clerk, transfer) -> None:
    applicant = {**APPLICANT, "applicant_name": "A\x00B", "applicant_email": "x"}

    with pytest.raises(ValidationError) as raised:
        receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0), applicant=applicant)

    assert {"applicant_name", "applicant_email"} <= set(raised.value.message_dict)
    assert not Dossier.objects.exists()


# ---------------------------------------------------------------- workflow


@pytest.mark.django_db
def test_full_lifecycle_on_time(clerk, principal, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    with frozen_at(at(2026, 3, 2, 10, 0)):
        services.dossier_hand_over(
            actor=clerk.user, dossier=dossier, to_staff=principal, step="appraisal"
        )
    with frozen_at(at(2026, 3, 5, 11, 0)):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)
    with frozen_at(at(2026, 3, 6, 8, 0)):
        services.dossier_return(actor=clerk.user, dossier=dossier)

    dossier.refresh_from_db()
    assert dossier.status == S.RETURNED
    assert not dossier.is_late()
    results = list(dossier.events.values_list("to_status", "result"))
    assert results == [
        ("accepted", ""),
        ("processing", "early"),
        ("done", "early"),
        ("returned", ""),
    ]
    assert audit_verify().ok


@pytest.mark.django_db
@pytest.mark.parametrize(
    "from_status", [s for s in S.values if ALLOWED_TRANSITIONS[s] != set(S.values)]
)
def test_every_forbidden_transition_is_refused(clerk, school, transfer, from_status) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    Dossier.objects.filter(pk=dossier.pk).update(status=from_status)
    dossier.refresh_from_db()
    forbidden = [
        s for s in S.values if s not in ALLOWED_TRANSITIONS[from_status] and s != from_status
    ]

    for target in forbidden:
        with pytest.raises(InvalidTransition):
            services._move(actor=clerk.user, dossier=dossier, to_status=target)

    assert Dossier.objects.get(pk=dossier.pk).status == from_status


@pytest.mark.django_db
def test_return_before_result_is_refused_with_history_intact(clerk, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    events = dossier.events.count()

    with pytest.raises(InvalidTransition, match="Đã trả kết quả"):
        services.dossier_return(actor=clerk.user, dossier=dossier)

    assert dossier.events.count() == events
    assert Dossier.objects.get(pk=dossier.pk).status == S.ACCEPTED


@pytest.mark.django_db
def test_stale_version_is_refused(clerk, principal, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    services.dossier_hand_over(
        actor=clerk.user, dossier=dossier, to_staff=principal, step="appraisal", expected_version=1
    )

    with pytest.raises(services.StaleDossier):
        services.dossier_decide(
            actor=principal.user, dossier=dossier, granted=True, expected_version=1
        )

    assert Dossier.objects.get(pk=dossier.pk).status == S.PROCESSING


# ---------------------------------------------------------------- supplements


@pytest.mark.django_db
def test_supplement_after_three_working_days_is_refused(clerk, principal, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))

    with (
        frozen_at(at(2026, 3, 9, 16, 0)),
        pytest.raises(ValidationError, match="Đã quá hạn yêu cầu bổ sung"),
    ):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="muộn"
        )


@pytest.mark.django_db
def test_accept_cannot_rewrite_the_receipt_time(clerk, principal, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    with frozen_at(at(2026, 3, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )

    with frozen_at(at(2026, 3, 30, 9, 0)), pytest.raises(InvalidTransition):
        services.dossier_accept(actor=clerk.user, dossier=dossier)

    dossier.refresh_from_db()
    assert dossier.received_at == at(2026, 3, 2, 9, 0)


@pytest.mark.django_db
def test_supplement_restarts_the_clock_and_only_once(clerk, principal, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    with frozen_at(at(2026, 3, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="Thiếu học bạ"
        )
    with frozen_at(at(2026, 3, 6, 9, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
    dossier.refresh_from_db()

    assert dossier.status == S.PROCESSING
    assert dossier.due_at == at(2026, 3, 13, 17, 0)  # 5 working days from 06/03
    assert dossier.pauses.get().ended_at == at(2026, 3, 6, 9, 0)
    with pytest.raises(ValidationError, match="chỉ được yêu cầu bổ sung 1 lần"):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Giấy khác"], reason="Lần hai"
        )


@pytest.mark.django_db
def test_supplement_pause_rule_adds_the_waiting_days(clerk, principal, school, transfer) -> None:
    transfer.supplement_rule = SupplementRule.PAUSE
    transfer.save()
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    with frozen_at(at(2026, 3, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="Thiếu"
        )
    with frozen_at(at(2026, 3, 5, 9, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
    dossier.refresh_from_db()

    assert dossier.due_at == at(2026, 3, 11, 17, 0)  # 09/03 moved by the 2 working days paused


# ---------------------------------------------------------------- apologies


@pytest.mark.django_db
def test_apology_once_keeps_original_due_date(clerk, principal, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))  # due 09/03
    with frozen_at(at(2026, 3, 5, 9, 0)):
        services.dossier_apologize(
            actor=principal.user,
            dossier=dossier,
            reason="Chờ học bạ",
            new_due_at=at(2026, 3, 12, 17, 0),
        )
    dossier.refresh_from_db()
    with frozen_at(at(2026, 3, 11, 9, 0)):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)
    dossier.refresh_from_db()

    assert dossier.due_at == at(2026, 3, 9, 17, 0)
    assert dossier.new_due_at == at(2026, 3, 12, 17, 0)
    assert dossier.is_late()  # the apology does not make it on time
    with frozen_at(at(2026, 3, 5, 10, 0)), pytest.raises(ValidationError):
        services.dossier_apologize(
            actor=principal.user,
            dossier=dossier,
            reason="lần hai",
            new_due_at=at(2026, 3, 20, 17, 0),
        )


@pytest.mark.django_db
def test_second_apology_is_refused(clerk, principal, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    with frozen_at(at(2026, 3, 4, 9, 0)):
        services.dossier_apologize(
            actor=principal.user, dossier=dossier, reason="A", new_due_at=at(2026, 3, 12, 17, 0)
        )
        with pytest.raises(ValidationError, match="chỉ được hẹn lại một lần"):
            services.dossier_apologize(
                actor=principal.user, dossier=dossier, reason="B", new_due_at=at(2026, 3, 13, 17, 0)
            )


@pytest.mark.django_db
def test_apology_after_its_deadline_is_made_and_recorded_as_late_issued(
    clerk, principal, school, transfer
) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))  # due Mon 09/03

    with frozen_at(at(2026, 3, 10, 8, 0)):  # already late: the citizen is still owed the apology
        apology = services.dossier_apologize(
            actor=principal.user, dossier=dossier, reason="Muộn", new_due_at=at(2026, 3, 12, 17, 0)
        )

    assert apology.issued_late
    assert apology.original_due_at == at(2026, 3, 9, 17, 0)
    # The step is public: the late issue is the staff's to see (on the apology), not the
    # citizen's.
    note = dossier.events.last().note
    assert "gửi muộn" not in note
    # not "sent": the letter is sent once signed and released (domain.md 1.4)
    assert note.startswith(
        "Đơn vị hẹn lại ngày trả kết quả: 12/03/2026 17:00; văn bản xin lỗi đang trình ký."
    )
    from cchc.dossiers.selectors import public_lookup

    public = public_lookup(dossier.code, phone_last4=APPLICANT["applicant_phone"][-4:])
    assert public is not None
    shown = [step.note for step in public.steps if "xin lỗi" in step.note]
    assert shown
    assert all("gửi muộn" not in text for text in shown)


@pytest.mark.django_db
def test_apology_steps_written_before_are_reworded_for_the_public(
    clerk, principal, school, transfer
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("cchc.dossiers.migrations.0013_apology_step_public_words")
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    with frozen_at(at(2026, 3, 10, 8, 0)):
        services.dossier_apologize(
            actor=principal.user, dossier=dossier, reason="Muộn", new_due_at=at(2026, 3, 12, 17, 0)
        )
    event = dossier.events.last()
    event.note = "Xin lỗi, hẹn lại ngày 12/03/2026: Muộn (gửi muộn)"
    event.save()

    migration.reword(apps, None)

    event.refresh_from_db()
    assert (
        event.note
        == "Đơn vị gửi văn bản xin lỗi, hẹn trả kết quả ngày 12/03/2026 17:00. Lý do: Muộn"
    )


# ---------------------------------------------------------------- stop, refusal, online


@pytest.mark.django_db
def test_stop_is_impossible_once_a_result_exists(clerk, principal, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    with frozen_at(at(2026, 3, 3, 9, 0)):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)

    with pytest.raises(ValidationError, match="đã có kết quả"):
        services.dossier_stop(actor=principal.user, dossier=dossier, reason="Rút")


@pytest.mark.django_db
def test_refusal_after_appraisal_needs_a_written_reason(clerk, principal, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))

    with pytest.raises(ValidationError):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=False, note="")
    services.dossier_decide(
        actor=principal.user,
        dossier=dossier,
        granted=False,
        note="Không đủ điều kiện chuyển trường",
    )

    assert Dossier.objects.get(pk=dossier.pk).result_kind == "refused"


@pytest.mark.django_db
def test_online_submission_clock_starts_at_acceptance(clerk, school, transfer, smtp_server) -> None:
    transfer.online_level = "full"
    transfer.channels = ["in_person", "online"]
    transfer.save()
    with frozen_at(at(2026, 3, 1, 20, 0)):  # Sunday evening
        dossier = services.dossier_submit_online(
            unit=school, procedure=transfer, applicant=APPLICANT
        )
    assert dossier.status == S.NEW
    assert dossier.due_at is None
    with frozen_at(at(2026, 3, 2, 8, 0)):
        services.dossier_accept(actor=clerk.user, dossier=dossier)
    dossier.refresh_from_db()

    assert dossier.code.endswith("-260301-0001")
    assert dossier.due_at == at(2026, 3, 9, 17, 0)


@pytest.mark.django_db
def test_applicant_is_mailed_when_result_is_ready(
    clerk, principal, school, transfer, smtp_server, django_capture_on_commit_callbacks
) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))

    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)

    assert smtp_server.received.wait(5)
    message = smtp_server.messages[0]
    assert dossier.code in message["Subject"]
    assert "đã có kết quả" in message.get_content()


# ---------------------------------------------------------------- concurrency


@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_get_distinct_consecutive_codes(clerk, school, transfer) -> None:
    codes: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            dossier = services.dossier_receive(
                actor=clerk.user,
                unit=school,
                procedure=transfer,
                applicant=APPLICANT,
                provided_documents=[d["name"] for d in transfer.documents],
            )
            codes.append(dossier.code)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    day = timezone.now().astimezone(VN).strftime("%y%m%d")
    assert errors == []
    assert sorted(codes) == [f"{school.code}-{day}-{n:04d}" for n in range(1, 21)]
    assert sorted(Dossier.objects.values_list("book_entry", flat=True)) == list(range(1, 21))


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_exactly_one_wins(clerk, principal, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def worker(granted: bool) -> None:
        try:
            barrier.wait()
            services.dossier_decide(
                actor=principal.user,
                dossier=dossier,
                granted=granted,
                note="lý do",
                expected_version=1,
            )
            outcomes.append("ok")
        except (services.StaleDossier, InvalidTransition):
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(flag,)) for flag in (True, False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ok", "refused"]
    assert Dossier.objects.get(pk=dossier.pk).events.filter(to_status=S.DONE).count() == 1
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db
def test_every_change_is_audited(clerk, principal, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)

    verbs = list(
        AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk))
        .order_by("seq")
        .values_list("verb", flat=True)
    )

    assert verbs == ["dossier.receive", "dossier.decide"]
    assert audit_verify().ok


def test_time_in_tests_is_not_naive() -> None:
    assert at(2026, 1, 1).tzinfo is not None
    assert timedelta(days=1).days == 1

"""Issue 8 points 5-6: an apology for every late dossier, with a new date that makes sense."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.dossiers import services
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.factories import at, frozen_at
from cchc.kpi.registry import Period, measure
from cchc.organizations.models import Unit
from tests.fixtures import client_for


@pytest.fixture
def late_dossier(clerk, school, transfer) -> Dossier:
    """Received Mon 30/11/2026 09:00, due Mon 07/12/2026 17:00; looked at on Tue 08/12."""
    with frozen_at(at(2026, 11, 30, 9, 0)):
        return services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
            provided_documents=[d["name"] for d in transfer.documents],
        )


@pytest.mark.django_db
def test_a_late_dossier_is_offered_the_apology_with_no_past_deadline(
    principal, late_dossier
) -> None:
    with frozen_at(at(2026, 12, 8, 9, 0)):
        page = client_for(principal).get(reverse("dossiers:detail", args=[late_dossier.pk]))

    body = page.content.decode()
    assert 'value="apologize"' in body
    assert "đã quá thời điểm chậm nhất 04/12/2026" in body
    assert "(chậm nhất 04/12/2026)" not in body


@pytest.mark.django_db
def test_the_apology_is_not_offered_once_made(principal, late_dossier) -> None:
    with frozen_at(at(2026, 12, 8, 9, 0)):
        services.dossier_apologize(
            actor=principal.user,
            dossier=late_dossier,
            reason="Chờ học bạ",
            new_due_at=at(2026, 12, 10, 17, 0),
        )
        page = client_for(principal).get(reverse("dossiers:detail", args=[late_dossier.pk]))

    assert 'value="apologize"' not in page.content.decode()


@pytest.mark.django_db
def test_a_sunday_is_refused_on_the_form_which_stays_open(principal, late_dossier) -> None:
    with frozen_at(at(2026, 12, 8, 9, 0)):
        response = client_for(principal).post(
            reverse("dossiers:act", args=[late_dossier.pk]),
            {
                "action": "apologize",
                "version": late_dossier.version,
                "reason": "Chờ học bạ",
                "new_due_at": "2026-12-13",
            },
        )

    body = response.content.decode()
    assert response.status_code == 422
    assert "Ngày 13/12/2026 là Chủ nhật, không phải ngày làm việc." in body
    assert '<details id="apology" open>' in body
    assert 'id="apology_new_due_at_error"' in body
    assert not hasattr(Dossier.objects.get(pk=late_dossier.pk), "apology")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new_day", "message"),
    [
        (at(2026, 12, 8, 17, 0), "phải sau ngày hôm nay"),
        (at(2026, 12, 7, 17, 0), "phải sau ngày hôm nay"),
    ],
)
def test_the_new_date_is_a_working_day_after_today(principal, late_dossier, new_day, message):
    with frozen_at(at(2026, 12, 8, 9, 0)), pytest.raises(ValidationError, match=message):
        services.dossier_apologize(
            actor=principal.user, dossier=late_dossier, reason="Chờ", new_due_at=new_day
        )


@pytest.mark.django_db
def test_the_new_date_is_after_the_current_due_date(principal, late_dossier) -> None:
    with frozen_at(at(2026, 12, 2, 9, 0)), pytest.raises(ValidationError, match="07/12/2026"):
        services.dossier_apologize(
            actor=principal.user,
            dossier=late_dossier,
            reason="Chờ",
            new_due_at=at(2026, 12, 4, 17, 0),
        )


@pytest.mark.django_db
def test_apologies_made_late_are_counted_as_late_issued(
    clerk, principal, school, transfer, late_dossier
) -> None:
    with frozen_at(at(2026, 12, 1, 9, 0)):
        early = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Trần Văn Bình"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    with frozen_at(at(2026, 12, 2, 9, 0)):  # due 08/12: in time
        services.dossier_apologize(
            actor=principal.user, dossier=early, reason="Chờ", new_due_at=at(2026, 12, 10, 17)
        )
    with frozen_at(at(2026, 12, 8, 9, 0)):  # due 07/12: already late
        services.dossier_apologize(
            actor=principal.user,
            dossier=late_dossier,
            reason="Chờ",
            new_due_at=at(2026, 12, 10, 17),
        )

    rate = measure("apology_on_time_rate", Unit.objects.filter(pk=school.pk), Period.year(2026))

    assert (rate.numerator, rate.denominator) == (1, 2)


@pytest.mark.django_db
def test_a_same_day_dossier_is_never_told_its_apology_was_due_before_it_arrived(
    principal, clerk, copy_from_register
) -> None:
    """QA: received Mon 30/11 12:34, due the same day; the day "before the due date" (Fri 27/11)
    precedes the dossier, so the apology is due by the due time, not already late."""
    from cchc.dossiers import deadlines
    from cchc.dossiers.tests.factories import receive_dossier

    dossier = receive_dossier(clerk, copy_from_register, at(2026, 11, 30, 12, 34))

    assert deadlines.apology_deadline(dossier) == dossier.due_at
    with frozen_at(at(2026, 11, 30, 13, 0)):
        body = client_for(principal).get(reverse("dossiers:detail", args=[dossier.pk]))
    assert "27/11/2026" not in body.content.decode()
    assert "đã quá thời điểm chậm nhất" not in body.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "latest", "refused"),
    [
        # Before the due date (07/12): 5 working days again after it, Mon 14/12.
        (at(2026, 12, 2, 9, 0), at(2026, 12, 14, 17, 0), at(2026, 12, 15, 17, 0)),
        # After it, late: counted from today (08/12), Tue 15/12.
        (at(2026, 12, 8, 9, 0), at(2026, 12, 15, 17, 0), at(2026, 12, 16, 17, 0)),
    ],
)
def test_the_new_date_is_at_most_the_procedures_time_again(
    principal, late_dossier, asked, latest, refused
) -> None:
    """domain.md 1.3-1.4: the one new appointment (Decree 61 Art. 19(9)) gives at most the
    procedure's own processing time again (5 working days for a transfer)."""
    with frozen_at(asked), pytest.raises(ValidationError) as error:
        services.dossier_apologize(
            actor=principal.user, dossier=late_dossier, reason="Chờ", new_due_at=refused
        )
    after = "hạn trả kết quả 07/12/2026" if asked.day == 2 else "hôm nay (08/12/2026)"
    assert error.value.message_dict["new_due_at"] == [
        f"Ngày hẹn mới không được muộn hơn {latest:%d/%m/%Y}: chỉ hẹn lại một lần, tối đa "
        f"5 ngày làm việc sau {after} (bằng thời hạn giải quyết của thủ tục)."
    ]
    with frozen_at(asked):
        apology = services.dossier_apologize(
            actor=principal.user, dossier=late_dossier, reason="Chờ", new_due_at=latest
        )
    assert apology.new_due_at == latest


@pytest.mark.django_db
def test_a_same_day_procedure_gets_a_working_week_not_months(
    clerk, principal, school, copy_from_register
) -> None:
    """The QA walk's case: a copy made the same day was given 01/06/2027. The bound is then
    the floor, one working week (5 working days) after the due day; the form says so (422)."""
    with frozen_at(at(2026, 11, 30, 9, 0)):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=copy_from_register,
            applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
            provided_documents=[d["name"] for d in copy_from_register.documents],
        )
    assert dossier.due_at == at(2026, 11, 30, 17, 0)
    url = reverse("dossiers:act", args=[dossier.pk])
    with frozen_at(at(2026, 11, 30, 10, 0)):
        page = client_for(principal).get(reverse("dossiers:detail", args=[dossier.pk]))
        assert 'max="2026-12-07"' in page.content.decode()  # the date picker stops there
        form = {"action": "apologize", "version": dossier.version, "reason": "Chờ sổ gốc"}
        refused = client_for(principal).post(url, {**form, "new_due_at": "2027-06-01"})
        assert refused.status_code == 422
        assert (
            "Ngày hẹn mới không được muộn hơn 07/12/2026: chỉ hẹn lại một lần, tối đa 5 ngày làm "
            "việc sau hạn trả kết quả 30/11/2026 (một tuần làm việc)."
        ) in refused.content.decode()
        assert not hasattr(Dossier.objects.get(pk=dossier.pk), "apology")
        refused = client_for(principal).post(url, {**form, "new_due_at": "2026-12-08"})
        assert refused.status_code == 422
        assert (
            client_for(principal).post(url, {**form, "new_due_at": "2026-12-07"}).status_code == 302
        )
    dossier.refresh_from_db()
    assert dossier.new_due_at == at(2026, 12, 7, 17, 0)

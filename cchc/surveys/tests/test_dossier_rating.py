"""The per-dossier rating: a signed token per dossier, once, after the result; low → principal."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from cchc.kpi.registry import Period, measure
from cchc.organizations.models import Unit
from cchc.surveys import services
from cchc.surveys.models import Response
from cchc.surveys.tests.conftest import RATING


@pytest.mark.django_db
def test_link_rates_the_dossier_once(make_dossier) -> None:
    dossier = make_dossier()
    link = services.survey_rating_link_for_dossier(dossier)
    token = link.rsplit("/", 2)[-2]
    assert "/danh-gia/" in link
    response = services.dossier_rating_submit(token=token, answers=RATING)
    assert response.dossier == dossier
    with pytest.raises(services.AlreadyAnswered):
        services.dossier_rating_submit(token=token, answers=RATING)
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_forged_token_and_unfinished_dossier_are_refused(make_dossier) -> None:
    dossier = make_dossier(done=False)
    token = services.rating_token(dossier)
    with pytest.raises(services.RatingNotYet, match="sau khi nhận kết quả"):
        services.dossier_rating_submit(token=token, answers=RATING)
    forged = dossier.code + ":" + "A" * 27
    with pytest.raises(ValidationError, match="không đúng"):
        services.dossier_rating_submit(token=forged, answers=RATING)
    # Someone else's dossier code with this dossier's signature does not verify either.
    other = token.replace(dossier.code, dossier.code[:-1] + "9")
    with pytest.raises(ValidationError, match="không đúng"):
        services.dossier_rating_submit(token=other, answers=RATING)
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_low_rating_mails_the_principal(
    make_dossier, principal, smtp_server, django_capture_on_commit_callbacks
) -> None:
    principal.email = "hieutruong@thcs-thu.edu.vn"
    principal.save()
    dossier = make_dossier()
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_rating_submit(
            token=services.rating_token(dossier),
            answers={**RATING, "overall": "2", "attitude": "1", "comment": "Phải chờ rất lâu"},
        )
    assert smtp_server.received.wait(5)
    message = smtp_server.messages[0]
    assert message["To"] == "hieutruong@thcs-thu.edu.vn"
    assert dossier.code in message["Subject"]
    body = message.get_content()
    assert "Rất không hài lòng" in body
    assert "Phải chờ rất lâu" in body


@pytest.mark.django_db
def test_good_rating_mails_nobody(
    make_dossier, principal, smtp_server, django_capture_on_commit_callbacks
) -> None:
    principal.email = "hieutruong@thcs-thu.edu.vn"
    principal.save()
    dossier = make_dossier()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.dossier_rating_submit(token=services.rating_token(dossier), answers=RATING)
    assert callbacks == []
    assert not smtp_server.received.wait(0.5)


@pytest.mark.django_db
def test_satisfaction_kpi_counts_dossier_ratings_with_interval(make_dossier, school, commune):
    # Two ratings: overall 5 / attitude 5 and overall 3 / attitude 4 / publicity "Không ý kiến".
    # Valid scale answers: 5,5,3,4 → satisfied 3 of 4 = 75%.
    first, second = make_dossier(), make_dossier()
    services.dossier_rating_submit(token=services.rating_token(first), answers=RATING)
    services.dossier_rating_submit(
        token=services.rating_token(second),
        answers={**RATING, "overall": "3", "attitude": "4", "publicity": "0"},
    )
    year = Period.year(timezone.localdate().year)
    value = measure("satisfaction_rate", Unit.objects.filter(pk=school.pk), year)
    assert (value.numerator, value.denominator) == (3, 4)
    assert value.display().startswith("75% (3/4); khoảng tin cậy 95%: ")
    # The commune sees the school's answers rolled up.
    rolled = measure("satisfaction_rate", Unit.objects.filter(path__startswith=commune.path), year)
    assert rolled.denominator == 4
    # Out of the period: nothing.
    last_year = Period.year(timezone.localdate().year - 1)
    assert (
        measure("satisfaction_rate", Unit.objects.filter(pk=school.pk), last_year).denominator == 0
    )


@pytest.mark.django_db
def test_766_proxy_subtracts_dislikes(make_dossier, school) -> None:
    dossiers = [make_dossier() for _ in range(4)]
    services.dossier_rating_submit(
        token=services.rating_token(dossiers[0]), answers={**RATING, "overall": "1"}
    )
    services.dossier_rating_submit(token=services.rating_token(dossiers[1]), answers=RATING)
    year = Period.year(timezone.localdate().year)
    value = measure("satisfaction_766_rate", Unit.objects.filter(pk=school.pk), year)
    # 4 handled, none overdue, 1 disliked → (4 − 0 − 1) / 4 = 75%
    assert (value.numerator, value.denominator) == (3, 4)


@pytest.mark.django_db(transaction=True)
def test_one_dossier_rated_concurrently_counts_once(make_dossier) -> None:
    dossier = make_dossier()
    token = services.rating_token(dossier)
    services.dossier_campaign(dossier.unit)
    outcomes: list[str] = []
    barrier = threading.Barrier(3)

    def worker() -> None:
        try:
            barrier.wait()
            services.dossier_rating_submit(token=token, answers=RATING)
            outcomes.append("ok")
        except services.AlreadyAnswered:
            outcomes.append("refused")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused"]
    assert Response.objects.filter(dossier=dossier).count() == 1
    assert timezone.now() - Response.objects.get().submitted_at < timedelta(minutes=1)


@pytest.mark.django_db
def test_result_mail_carries_the_rating_link(
    school, clerk, principal, procedure, smtp_server, django_capture_on_commit_callbacks
) -> None:
    from cchc.dossiers import services as dossier_services

    dossier = dossier_services.dossier_receive(
        actor=clerk.user,
        unit=school,
        procedure=procedure,
        applicant={"applicant_name": "Võ Thị Hồng", "applicant_email": "hong@example.vn"},
        provided_documents=[d["name"] for d in procedure.documents],
    )
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)
    assert smtp_server.received.wait(5)
    body = smtp_server.messages[0].get_content()
    link = services.survey_rating_link_for_dossier(dossier)
    assert link in body
    assert services.dossier_for_token(link.rsplit("/", 2)[-2]) == dossier

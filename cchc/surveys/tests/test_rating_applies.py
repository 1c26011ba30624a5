"""The resolution rating is offered only for a dossier that was handled (accepted).

A dossier refused at the counter (Mẫu 03) or guided with Mẫu 02 and never completed has no
resolution: no rating link on its page, card, public page or API, and its refusal paper points
to the unit's feedback page instead. A dossier that was accepted, including one refused after
appraisal and one accepted after guidance, is still rated (domain.md 1.2, 1.9).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cchc.dossiers import services as dossier_services
from cchc.surveys import services
from cchc.surveys.models import Response
from cchc.surveys.tests.conftest import RATING
from tests.fixtures import client_for

APPLICANT = {"applicant_name": "Võ Thị Hồng", "applicant_phone": "0912345678"}


@pytest.fixture
def refused_at_counter(clerk, school, procedure):
    return dossier_services.dossier_counter_refusal(
        actor=clerk.user,
        unit=school,
        procedure=procedure,
        applicant=APPLICANT,
        provided_documents=[],
        reason="Không thuộc thẩm quyền giải quyết của trường",
    )


@pytest.fixture
def guided(clerk, school, procedure):
    return dossier_services.dossier_counter_guidance(
        actor=clerk.user,
        unit=school,
        procedure=procedure,
        applicant=APPLICANT,
        provided_documents=[],
    )


@pytest.mark.django_db
def test_dossiers_never_accepted_cannot_be_rated(refused_at_counter, guided) -> None:
    client = Client()
    for dossier in (refused_at_counter, guided):
        assert not services.rating_applies(dossier)
        assert not services.rating_open_for(dossier)
        token = services.rating_token(dossier)
        with pytest.raises(services.RatingNotApplicable, match="không được tiếp nhận"):
            services.dossier_rating_submit(token=token, answers=RATING)
        page = client.get(reverse("portal:survey_rate", args=[token]))
        assert page.status_code == 409
        text = page.content.decode()
        assert "không có kết quả giải quyết để đánh giá" in text
        assert 'name="q_overall"' not in text
        feedback = reverse("portal:unit_feedback_submit", args=[dossier.unit.code])
        assert f'href="{feedback}"' in text
        api = client.post(
            "/api/v1/public/dossier-ratings",
            {"token": token, "answers": RATING},
            content_type="application/json",
        )
        assert api.status_code == 409, api.content
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_staff_pages_offer_no_rating_card_for_a_refusal_at_the_counter(
    clerk, refused_at_counter, make_dossier
) -> None:
    client = client_for(clerk)
    detail = client.get(reverse("dossiers:detail", args=[refused_at_counter.pk])).content.decode()
    assert 'id="rating-card"' not in detail
    card = client.get(reverse("surveys:rating_card", args=[refused_at_counter.pk]))
    assert card.status_code == 200
    assert services.rating_token(refused_at_counter) not in card.content.decode()
    assert "không có kết quả giải quyết để đánh giá" in card.content.decode()
    # The other way: an accepted dossier keeps its card.
    handled = make_dossier()
    detail = client.get(reverse("dossiers:detail", args=[handled.pk])).content.decode()
    assert 'id="rating-card"' in detail
    card = client.get(reverse("surveys:rating_card", args=[handled.pk])).content.decode()
    assert services.rating_token(handled) in card


@pytest.mark.django_db
def test_refusal_paper_at_the_counter_offers_feedback_not_the_rating(refused_at_counter) -> None:
    note = services.rating_paper_note(refused_at_counter, "tu-choi")
    assert note.caption == services.FEEDBACK_CAPTION
    assert note.payload == services.feedback_link_for_unit(refused_at_counter.unit)
    assert services.rating_token(refused_at_counter) not in note.payload


@pytest.mark.django_db
def test_refused_after_appraisal_and_accepted_after_guidance_are_rated(
    make_dossier, guided, clerk, principal
) -> None:
    refused = make_dossier(done=False)
    refused = dossier_services.dossier_decide(
        actor=principal.user, dossier=refused, granted=False, note="Không đủ điều kiện"
    )
    note = services.rating_paper_note(refused, "tu-choi")
    assert note.payload == services.survey_rating_link_for_dossier(refused)
    services.dossier_rating_submit(token=services.rating_token(refused), answers=RATING)

    accepted = dossier_services.dossier_supplement_received(actor=clerk.user, dossier=guided)
    assert services.rating_applies(accepted)
    with pytest.raises(services.RatingNotYet):
        services.dossier_rating_submit(token=services.rating_token(accepted), answers=RATING)
    done = dossier_services.dossier_decide(actor=principal.user, dossier=accepted, granted=True)
    services.dossier_rating_submit(token=services.rating_token(done), answers=RATING)
    assert Response.objects.count() == 2

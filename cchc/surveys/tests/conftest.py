from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cchc.surveys import services
from cchc.surveys.definitions import EDUCATION_TEMPLATE_KEY
from cchc.surveys.models import AccessMode, Audience, CampaignStatus


@pytest.fixture
def templates(school, principal):
    return {
        t.key: t for t in services.templates_install_defaults(actor=principal.user, unit=school)
    }


def make_campaign(principal, school, template, **kwargs):
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=principal.user,
        unit=school,
        template=template,
        title=kwargs.pop("title", "Khảo sát cha mẹ học sinh học kỳ I"),
        audience=kwargs.pop("audience", Audience.ALL_PARENTS),
        starts_on=kwargs.pop("starts_on", today - timedelta(days=7)),
        ends_on=kwargs.pop("ends_on", today + timedelta(days=14)),
        **kwargs,
    )
    return services.campaign_set_status(
        actor=principal.user, campaign=campaign, status=CampaignStatus.OPEN
    )


@pytest.fixture
def campaign(principal, school, templates):
    """An open anonymous survey of all parents, one response per device."""
    return make_campaign(principal, school, templates[EDUCATION_TEMPLATE_KEY])


@pytest.fixture
def token_campaign(principal, school, templates):
    return make_campaign(
        principal,
        school,
        templates[EDUCATION_TEMPLATE_KEY],
        title="Khảo sát cha mẹ lớp 8A",
        audience=Audience.CLASS_PARENTS,
        audience_detail="8A",
        access=AccessMode.TOKEN,
    )


# A complete, valid education-survey answer set (required questions answered).
GOOD = {"respondent": "Cha mẹ học sinh", "overall": "5", "safety": "4", "toilets": "2"}


@pytest.fixture
def procedure(school, clerk):
    from cchc.dossiers import procedures

    made = procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
    return next(p for p in made if p.name.startswith("Chuyển trường"))


@pytest.fixture
def make_dossier(school, clerk, principal, procedure):
    """A dossier received now; `done=True` also decides it (so it can be rated)."""
    from cchc.dossiers import services as dossier_services

    def make(done: bool = True):
        dossier = dossier_services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=procedure,
            applicant={"applicant_name": "Võ Thị Hồng", "applicant_phone": "0912345678"},
            provided_documents=[d["name"] for d in procedure.documents],
        )
        if done:
            dossier = dossier_services.dossier_decide(
                actor=principal.user, dossier=dossier, granted=True
            )
        return dossier

    return make


# The per-dossier rating's required questions, all satisfied.
RATING = {"visits": "1 lần", "attitude": "5", "on_time": "Sớm hơn hoặc đúng hẹn", "overall": "5"}

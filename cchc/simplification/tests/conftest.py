from __future__ import annotations

from datetime import datetime

import pytest

from cchc.dossiers import procedures
from cchc.dossiers import services as dossier_services
from cchc.dossiers.deadlines import VN
from cchc.simplification import services


@pytest.fixture
def procedure(school, clerk):
    """The transfer procedure of the packaged catalogue, loaded for the test school."""
    loaded = procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
    return next(p for p in loaded if p.name.startswith("Chuyển trường"))


@pytest.fixture
def dossiers(procedure, clerk, school):
    """Three dossiers received at the counter on working days of November 2026."""
    made = []
    for day in (9, 10, 11):
        made.append(
            dossier_services.dossier_receive(
                actor=clerk.user,
                unit=school,
                procedure=procedure,
                applicant={"applicant_name": f"Trần Văn Học {day}"},
                provided_documents=[d["name"] for d in procedure.documents],
                received_at=datetime(2026, 11, day, 8, 30, tzinfo=VN),
            )
        )
    return made


@pytest.fixture
def review(procedure, dossiers, clerk):
    return services.review_open(actor=clerk.user, procedure=procedure, wage_per_hour_vnd=25_000)


def complete(review, actor, effective_on) -> None:
    """Fill a draft so that it can be approved: one grounded proposal, an "after" line, a date."""
    services.finding_save(
        actor=actor,
        review=review,
        expected_version=None,
        part="documents",
        finding="Bản sao giấy khai sinh bị yêu cầu bổ sung nhiều nhất.",
        proposal="Không yêu cầu bản sao giấy khai sinh.",
        legal_ground="Nghị định số 45/2020/NĐ-CP.",
    )
    services.cost_line_add(
        actor=actor,
        review=review,
        expected_version=None,
        scenario="after",
        activity="Nộp trực tuyến",
        hours="0,5",
    )
    services.review_update(
        actor=actor,
        review=review,
        expected_version=None,
        wage_per_hour_vnd=25_000,
        effective_on=effective_on,
    )

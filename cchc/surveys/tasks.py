"""Background job: tell the principal at once when a citizen rates a dossier low."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from cchc.accounts.models import Role
from cchc.organizations.models import Staff
from cchc.surveys.models import SCALE, Response


def principal_addresses(unit_id: int) -> list[str]:
    people = Staff.objects.filter(
        unit_id=unit_id, is_active=True, role_assignments__role=Role.PRINCIPAL
    ).select_related("user")
    addresses = []
    for person in people:
        address = person.email or (person.user.email if person.user is not None else "")
        if address and address not in addresses:
            addresses.append(address)
    return addresses


@task()
def notify_low_rating(response_id: int) -> int:
    """One e-mail to the unit's principal(s): the dossier, the low criteria, the comment."""
    response = (
        Response.objects.select_related("campaign__unit", "dossier__procedure")
        .filter(pk=response_id, dossier__isnull=False)
        .first()
    )
    if response is None or response.dossier is None:
        return 0
    dossier = response.dossier
    addresses = principal_addresses(response.campaign.unit_id)
    if not addresses:
        return 0
    answers = list(response.answers.select_related("question").order_by("question__order"))
    low = [
        (a.question.text, SCALE[a.scale]) for a in answers if a.scale is not None and a.scale <= 2
    ]
    comments = [a.text for a in answers if a.text]
    body = render_to_string(
        "surveys/email/low_rating.txt",
        {
            "response": response,
            "dossier": dossier,
            "low": low,
            "comments": comments,
            "site_name": settings.CCHC_SITE_NAME,
            "detail_path": settings.CCHC_PUBLIC_URL.rstrip("/")
            + reverse("dossiers:detail", args=[dossier.pk]),
        },
    )
    subject = f"[CCHC] Hồ sơ {dossier.code} bị đánh giá không hài lòng"
    return send_mail(subject, body, None, addresses)

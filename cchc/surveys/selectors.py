"""Read access to surveys: staff see their own units' campaigns (the commune sees its schools'),
the public sees only open campaigns by their unguessable key and published results."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from cchc.accounts import permissions
from cchc.organizations.models import Unit
from cchc.surveys.models import Campaign, CampaignKind, Invitation, Response, SurveyTemplate

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def campaigns_for_user(*, user: AnyUser) -> QuerySet[Campaign]:
    permissions.require(user, permissions.VIEW_SURVEYS)
    return (
        permissions.scope_to_units(Campaign.objects.all(), user)
        .select_related("unit", "template", "version")
        .annotate(n_responses=Count("responses"))
        .order_by("kind", "-starts_on", "-id")
    )


def campaign_get_for_user(*, user: AnyUser, pk: int) -> Campaign:
    """404 for another unit's campaign: its existence is not disclosed."""
    permissions.require(user, permissions.VIEW_SURVEYS)
    return get_object_or_404(
        permissions.scope_to_units(Campaign.objects.select_related("unit", "template"), user),
        pk=pk,
    )


def templates_for_unit(unit: Unit) -> QuerySet[SurveyTemplate]:
    return SurveyTemplate.objects.filter(unit=unit).prefetch_related("versions")


def template_get_for_user(*, user: AnyUser, pk: int) -> SurveyTemplate:
    permissions.require(user, permissions.VIEW_SURVEYS)
    return get_object_or_404(permissions.scope_to_units(SurveyTemplate.objects.all(), user), pk=pk)


def responses_of(campaign: Campaign) -> QuerySet[Response]:
    return Response.objects.filter(campaign=campaign)


_KEY = re.compile(r"[A-Za-z0-9_-]{8,32}")


def _key(key: str) -> str:
    """Keys are URL-safe tokens; anything else (NUL, overlong) is simply not found."""
    if not _KEY.fullmatch(key):
        raise Http404("Không tìm thấy đợt khảo sát.")
    return key


def public_campaign(key: str) -> Campaign:
    key = _key(key)
    campaign = (
        Campaign.objects.select_related("unit", "version")
        .filter(public_key=key[:32], kind=CampaignKind.SURVEY)
        .first()
    )
    if campaign is None:
        raise Http404("Không tìm thấy đợt khảo sát.")
    return campaign


def kiosk_campaign(key: str) -> Campaign:
    key = _key(key)
    campaign = (
        Campaign.objects.select_related("unit", "version")
        .filter(kiosk_key=key, kind=CampaignKind.SURVEY)
        .first()
    )
    if campaign is None:
        raise Http404("Không tìm thấy đợt khảo sát.")
    return campaign


def invitation_by_token(token: str) -> Invitation:
    token = _key(token)
    invitation = (
        Invitation.objects.select_related("campaign__unit", "campaign__version")
        .filter(token=token[:32])
        .first()
    )
    if invitation is None:
        raise Http404("Mã phiếu mời không đúng.")
    return invitation


def published_campaigns(unit: Unit) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(unit=unit, results_published=True)
        .annotate(n_responses=Count("responses"))
        .order_by("-published_at")
    )


def published_campaign(key: str) -> Campaign:
    key = _key(key)
    return get_object_or_404(
        Campaign.objects.select_related("unit"), public_key=key[:32], results_published=True
    )


def device_has_answered(campaign: Campaign, device_id: str) -> bool:
    """Whether this browser has used up the campaign's answers per device (its device limit).

    The link page asks before showing the questionnaire, and the service before recording one,
    so a parent who already answered is thanked instead of filling in a form that is refused.
    """
    from cchc.surveys.services import device_hash

    digest = device_hash(device_id)
    if not digest:
        return False
    used = Response.objects.filter(campaign=campaign, device_hash=digest).count()
    return used >= campaign.device_limit

"""`{% load surveys %}{% survey_rating_link dossier %}`: the dossier's rating link, for the
templates of other apps (the result e-mail, the dossier page) without importing this app."""

from __future__ import annotations

from typing import Any

from django import template

from cchc.surveys.services import survey_rating_link_for_dossier

register = template.Library()


@register.simple_tag
def survey_rating_link(dossier: Any) -> str:
    return survey_rating_link_for_dossier(dossier)

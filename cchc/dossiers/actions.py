"""Running a dossier action from the staff page or the API through the one table
(`workflow.ACTIONS`), and the one mapping of what the services raise to an HTTP status.

The page and the API differ only in how they read the input (a Django form, a JSON schema) and
how they show a refusal (a Vietnamese message on the page, JSON); which service runs, who may
run it and what a refusal means are decided here and in the table.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from cchc.dossiers import forms as dossier_forms
from cchc.dossiers.workflow import ACTIONS, Action, offered_actions

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.utils.datastructures import MultiValueDict

    from cchc.accounts.models import User
    from cchc.dossiers.models import Dossier

UNKNOWN_ACTION: Final = "Thao tác không hợp lệ."


def action_named(name: str) -> Action:
    """The table's action, or a 422 for a name it does not have."""
    action = ACTIONS.get(name)
    if action is None:
        raise ValidationError(UNKNOWN_ACTION)
    return action


def form_for(
    action: Action,
    dossier: Dossier,
    data: Mapping[str, Any] | None = None,
    files: MultiValueDict[str, UploadedFile] | None = None,
) -> dossier_forms.ActionForm | None:
    """The action's form (bound when `data` is given), or None for a bare button."""
    if not action.form:
        return None
    form_class: type[dossier_forms.ActionForm] = getattr(dossier_forms, action.form)
    return form_class(data, files, dossier=dossier)


def service_of(action: Action) -> Callable[..., Any]:
    return import_string(f"cchc.dossiers.{action.service}")


def taken_by_service(action: Action, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values the action's service takes, by parameter name: the API sends one flat payload
    for every action."""
    parameters = inspect.signature(service_of(action)).parameters
    return {name: value for name, value in values.items() if name in parameters}


def perform(
    *,
    actor: User,
    dossier: Dossier,
    action: Action,
    arguments: Mapping[str, Any],
    expected_version: int | None,
) -> Any:
    """Run the action's service; it checks the table's guard itself, on the locked row."""
    service = service_of(action)
    extra = {"expected_version": expected_version} if action.versioned else {}
    return service(actor=actor, dossier=dossier, **arguments, **extra)


@dataclass(frozen=True)
class Offer:
    """An action offered on the page, with its form (bound and invalid after a refused post)."""

    action: Action
    form: dossier_forms.ActionForm | None
    hint: str

    @property
    def is_open(self) -> bool:
        return self.action.open or bool(self.form is not None and self.form.errors)


def offers(
    actor: User, dossier: Dossier, kept: Mapping[str, dossier_forms.ActionForm] | None = None
) -> list[Offer]:
    """What the page shows: every action the guard lets through, with a blank form, or the one
    `kept` (the refused post, with its errors)."""
    kept = kept or {}
    return [
        Offer(
            action=action,
            form=kept.get(action.name) or form_for(action, dossier),
            hint=action.hint(dossier) if action.hint else "",
        )
        for action in offered_actions(actor, dossier)
    ]

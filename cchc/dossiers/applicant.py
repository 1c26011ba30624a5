"""Correcting the applicant's address after intake (the paper form leaves it optional): the
apology letter posted to the citizen needs it (domain.md 1.4), so the desk fills it in later.

Only the address: the name and the phone identify the dossier in the public look-up and are
kept as received."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.dossiers.services import _lock, clean_address
from cchc.dossiers.workflow import check_action

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.dossiers.models import Dossier


def _kept(address: str) -> str:
    """What the audit log says of an address: whether one is kept, never the address itself
    (the log is read by the commune's oversight, who may not see the citizen's address)."""
    return "đã ghi" if address else "chưa ghi"


@transaction.atomic
def dossier_set_address(
    *, actor: User, dossier: Dossier, address: str, expected_version: int | None = None
) -> Dossier:
    """Keep the applicant's address, normalised as at intake (spaces collapsed, at most 300
    characters, no NUL); an unchanged address changes nothing (no version, no audit row)."""
    locked = _lock(dossier, expected_version)
    check_action(actor, locked, "applicant_address")
    try:
        cleaned = clean_address(address)
    except ValidationError as error:
        raise ValidationError({"address": error.messages}) from None
    if cleaned == locked.applicant_address:
        return locked
    before = {"applicant_address": _kept(locked.applicant_address), "version": locked.version}
    locked.applicant_address = cleaned
    locked.version += 1
    locked.save(update_fields=["applicant_address", "version", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.DOSSIER_APPLICANT_ADDRESS,
        obj=locked,
        unit=locked.unit,
        before=before,
        after={"applicant_address": _kept(cleaned), "version": locked.version},
    )
    return locked

"""Append-only, hash-chained audit log (design.md section 4).

Each unit has its own chain: event n stores sha256(canonical(event n) + hash of event n-1), so
editing or deleting any stored row breaks every later link and `cchc audit verify` names the first
broken one. Events without a unit (system-wide changes) go to chain 0.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from cchc.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _normalise(value: Any) -> Any:
    """Round-trip through JSON so what we hash is exactly what the database gives back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-able picture of a model's concrete fields, for before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(instance, field.attname)
        if isinstance(field, models.FileField):
            value = value.name or ""
        elif isinstance(value, datetime | date | Decimal):
            value = value.isoformat() if not isinstance(value, Decimal) else str(value)
        data[field.attname] = value
    return _normalise(data)


def compute_hash(
    *,
    chain_key: int,
    seq: int,
    actor_id: int | None,
    verb: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    at: datetime,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [
            chain_key,
            seq,
            actor_id,
            verb,
            object_type,
            object_id,
            before,
            after,
            at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            prev_hash,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit_record(
    *,
    actor: Any,
    verb: str,
    obj: models.Model | None = None,
    unit: Any = None,
    object_type: str = "",
    object_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the unit's chain, inside the caller's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    actor_name = ""
    if actor_id is not None:
        actor_name = actor.get_full_name() or actor.get_username()
    chain_key = unit.pk if unit is not None else 0
    before, after = _normalise(before), _normalise(after)
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(chain_key=chain_key)
        head = AuditChainHead.objects.select_for_update().get(chain_key=chain_key)
        # Taken under the lock so time order matches chain order; microseconds survive both
        # SQLite and PostgreSQL, so the hash is reproducible.
        at = timezone.now()
        seq = head.seq + 1
        prev_hash = head.hash or GENESIS
        digest = compute_hash(
            chain_key=chain_key,
            seq=seq,
            actor_id=actor_id,
            verb=verb,
            object_type=object_type,
            object_id=object_id,
            before=before,
            after=after,
            at=at,
            prev_hash=prev_hash,
        )
        event = AuditEvent.objects.create(
            chain_key=chain_key,
            seq=seq,
            unit=unit,
            actor_id=actor_id,
            actor_name=actor_name,
            verb=verb,
            object_type=object_type,
            object_id=object_id,
            object_repr=str(obj)[:300] if obj is not None else "",
            before=before,
            after=after,
            at=at,
            prev_hash=prev_hash,
            hash=digest,
        )
        head.seq, head.hash = seq, digest
        head.save(update_fields=["seq", "hash", "updated_at"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    chain_key: int
    seq: int
    reason: str

    def __str__(self) -> str:
        where = f"sự kiện #{self.event_id}" if self.event_id else "chuỗi"
        return f"Chuỗi {self.chain_key}, {where} (số thứ tự {self.seq}): {self.reason}"


@dataclass(frozen=True)
class VerifyResult:
    events: int
    chains: int
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def _verify_chain(chain_key: int, head: AuditChainHead | None) -> tuple[int, ChainProblem | None]:
    prev_hash, expected_seq, count = GENESIS, 1, 0
    events = (
        AuditEvent.objects.filter(chain_key=chain_key).order_by("seq").iterator(chunk_size=2000)
    )
    for event in events:
        count += 1
        if event.seq != expected_seq:
            return count, ChainProblem(
                event.pk, chain_key, event.seq, f"thiếu sự kiện số {expected_seq} (đã bị xóa?)"
            )
        if event.prev_hash != prev_hash:
            return count, ChainProblem(
                event.pk, chain_key, event.seq, "liên kết với sự kiện trước không khớp"
            )
        digest = compute_hash(
            chain_key=event.chain_key,
            seq=event.seq,
            actor_id=event.actor_id,
            verb=event.verb,
            object_type=event.object_type,
            object_id=event.object_id,
            before=event.before,
            after=event.after,
            at=event.at,
            prev_hash=event.prev_hash,
        )
        if digest != event.hash:
            return count, ChainProblem(
                event.pk, chain_key, event.seq, "nội dung đã bị sửa sau khi ghi"
            )
        prev_hash, expected_seq = event.hash, expected_seq + 1
    if head is not None and (head.seq != expected_seq - 1 or (head.seq and head.hash != prev_hash)):
        return count, ChainProblem(None, chain_key, head.seq, "các sự kiện cuối chuỗi đã bị xóa")
    return count, None


def audit_verify(*, chain_keys: list[int] | None = None) -> VerifyResult:
    """Recompute every chain and report the first broken link of each."""
    heads = {h.chain_key: h for h in AuditChainHead.objects.all()}
    keys = set(heads) | set(AuditEvent.objects.values_list("chain_key", flat=True).distinct())
    if chain_keys is not None:
        keys &= set(chain_keys)
    total, problems = 0, []
    for key in sorted(keys):
        count, problem = _verify_chain(key, heads.get(key))
        total += count
        if problem:
            problems.append(problem)
    return VerifyResult(events=total, chains=len(keys), problems=problems)

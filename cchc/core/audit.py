"""Append-only, keyed hash-chained audit log that proves itself (design.md section 4).

Each unit has its own chain: event n stores HMAC-SHA256(key, canonical(event n) + hash of event
n-1) over every field the audit page shows (unit, actor and actor's name, verb, object, its
label, before/after, time) and its place in the chain. The key lives in a file outside the
database (AUDIT_KEY_FILE, default var/audit_key, created on first use; back it up with the
database), so someone who can write to the database can neither edit an event nor recompute the
chain after a rewrite without it showing.

Deleting the end of a chain (and rolling its head back) or a whole chain leaves a chain that is
consistent in itself; checkpoints catch that: `write_checkpoint` signs the seq and hash of every
chain head with the same key into a file in AUDIT_CHECKPOINT_DIR (outside the database, daily by
the worker or cron), and `audit_verify` checks the database still holds each checkpointed head.
`audit_verify` reports every broken link of every chain, not just the first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from cchc.core.audit_verbs import AuditVerb, require_known
from cchc.core.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    # Domain-free: any Django user model with names (ours is accounts.User), any unit model.
    from django.contrib.auth.models import AbstractUser

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


@lru_cache(maxsize=4)
def _read_key(path: str) -> bytes:
    file = Path(path)
    if not file.exists():
        # First run: make the key like `make demo` makes var/secret_key. Written whole to a
        # private file first, then linked into place (fails if the name exists): two processes
        # starting at once cannot each write a different key, nor read the other's half-written
        # (empty) file, as an O_EXCL create-then-write let them.
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, draft = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            with suppress(FileExistsError):
                os.link(draft, file)
        finally:
            os.unlink(draft)
    key = file.read_text(encoding="utf-8").strip()
    if len(key) < 32:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"Khóa nhật ký {file} quá ngắn (cần ít nhất 32 ký tự).")
    return key.encode("utf-8")


def audit_key() -> bytes:
    """The HMAC key of the audit chains, from AUDIT_KEY_FILE (never from the database)."""
    return _read_key(str(settings.AUDIT_KEY_FILE))


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    ).encode("utf-8")


def compute_hash(
    *,
    chain_key: int,
    seq: int,
    unit_id: int | None,
    actor_id: int | None,
    actor_name: str,
    verb: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    before: Any,
    after: Any,
    at: datetime,
    prev_hash: str,
    key: bytes | None = None,
) -> str:
    """HMAC-SHA256 of every stored field of an event but its own hash."""
    payload = _canonical(
        {
            "v": 2,
            "chain_key": chain_key,
            "seq": seq,
            "unit_id": unit_id,
            "actor_id": actor_id,
            "actor_name": actor_name,
            "verb": verb,
            "object_type": object_type,
            "object_id": object_id,
            "object_repr": object_repr,
            "before": before,
            "after": after,
            "at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "prev_hash": prev_hash,
        }
    )
    return hmac.new(key or audit_key(), payload, hashlib.sha256).hexdigest()


def event_hash(event: AuditEvent, *, key: bytes | None = None) -> str:
    """What `event.hash` must be, recomputed from the stored row."""
    return compute_hash(
        chain_key=event.chain_key,
        seq=event.seq,
        unit_id=event.unit_id,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        verb=event.verb,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        before=event.before,
        after=event.after,
        at=event.at,
        prev_hash=event.prev_hash,
        key=key,
    )


def audit_record(
    *,
    actor: AbstractUser | None,
    verb: AuditVerb,
    obj: models.Model | None = None,
    unit: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the unit's chain, inside the caller's transaction.

    The verb must be registered (`cchc.core.audit_verbs`): an unknown one raises
    `UnknownAuditVerb` before anything is written.
    """
    verb_value = require_known(str(verb))
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_id = actor.pk if actor is not None else None
    actor_name = ""
    if actor is not None and actor_id is not None:
        actor_name = (actor.get_full_name() or actor.get_username())[:200]
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
        event = AuditEvent(
            chain_key=chain_key,
            seq=seq,
            unit_id=unit.pk if unit is not None else None,
            actor_id=actor_id,
            actor_name=actor_name,
            verb=verb_value,
            object_type=object_type,
            object_id=object_id,
            object_repr=str(obj)[:300] if obj is not None else "",
            before=before,
            after=after,
            at=at,
            prev_hash=prev_hash,
        )
        digest = event.hash = event_hash(event)
        event.save()
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
        if self.chain_key < 0:  # about a checkpoint file, not a chain
            return self.reason
        where = f"sự kiện #{self.event_id}" if self.event_id else "chuỗi"
        return f"Chuỗi {self.chain_key}, {where} (số thứ tự {self.seq}): {self.reason}"


@dataclass(frozen=True)
class VerifyResult:
    events: int
    chains: int
    problems: list[ChainProblem]
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _verify_chain(
    chain_key: int, head: AuditChainHead | None, key: bytes
) -> tuple[int, list[ChainProblem], dict[int, str]]:
    """Walk one chain from its first event; every broken link, and seq -> hash of what is there.

    After a problem the walk goes on from the row as stored, so one edit is reported once (its
    own hash) and later edits are still found.
    """
    problems: list[ChainProblem] = []
    hashes: dict[int, str] = {}
    prev_hash, expected_seq, count = GENESIS, 1, 0
    events = (
        AuditEvent.objects.filter(chain_key=chain_key).order_by("seq").iterator(chunk_size=2000)
    )
    for event in events:
        count += 1
        hashes[event.seq] = event.hash
        if event.seq != expected_seq:
            missing = (
                f"số {expected_seq}"
                if event.seq == expected_seq + 1
                else f"số {expected_seq}–{event.seq - 1}"
            )
            problems.append(
                ChainProblem(
                    event.pk, chain_key, event.seq, f"thiếu sự kiện {missing} (đã bị xóa?)"
                )
            )
        elif event.prev_hash != prev_hash:
            problems.append(
                ChainProblem(
                    event.pk, chain_key, event.seq, "liên kết với sự kiện trước không khớp"
                )
            )
        if event.chain_key != (event.unit_id or 0):
            problems.append(
                ChainProblem(event.pk, chain_key, event.seq, "đơn vị của sự kiện không thuộc chuỗi")
            )
        if not hmac.compare_digest(event_hash(event, key=key), event.hash):
            problems.append(
                ChainProblem(event.pk, chain_key, event.seq, "nội dung đã bị sửa sau khi ghi")
            )
        prev_hash, expected_seq = event.hash, event.seq + 1
    last_seq = expected_seq - 1
    if head is None and count:
        problems.append(ChainProblem(None, chain_key, last_seq, "mất bản ghi đầu chuỗi"))
    elif head is not None and (head.seq != last_seq or (head.seq and head.hash != prev_hash)):
        problems.append(
            ChainProblem(
                None,
                chain_key,
                head.seq,
                f"đầu chuỗi ghi {head.seq} sự kiện nhưng chuỗi có {last_seq}: "
                "các sự kiện cuối chuỗi đã bị xóa hoặc đầu chuỗi bị sửa",
            )
        )
    return count, problems, hashes


def audit_verify(*, chain_keys: list[int] | None = None) -> VerifyResult:
    """Recompute every chain, report every broken link, and hold the chains to the checkpoints."""
    key = audit_key()
    heads = {h.chain_key: h for h in AuditChainHead.objects.all()}
    keys = set(heads) | set(AuditEvent.objects.values_list("chain_key", flat=True).distinct())
    checkpoints, problems = read_checkpoints(key)
    latest: dict[int, tuple[str, int, str]] = {}
    for checkpoint in checkpoints:  # oldest first, so the newest wins
        for chain, (seq, digest) in checkpoint.heads.items():
            latest[chain] = (checkpoint.name, seq, digest)
    keys |= {chain for chain, (_, seq, _) in latest.items() if seq}
    if chain_keys is not None:
        keys &= set(chain_keys)
        problems = [p for p in problems if p.chain_key in keys or p.chain_key < 0]
    total = 0
    for chain in sorted(keys):
        count, chain_problems, hashes = _verify_chain(chain, heads.get(chain), key)
        total += count
        problems.extend(chain_problems)
        if chain in latest:
            name, seq, digest = latest[chain]
            if seq and hashes.get(seq) != digest:
                problems.append(
                    ChainProblem(
                        None,
                        chain,
                        seq,
                        f"điểm kiểm tra {name} ghi chuỗi có {seq} sự kiện với mã băm "
                        f"{digest[:12]}…, nhưng cơ sở dữ liệu không còn sự kiện đó như đã ghi "
                        "(bị xóa, cắt bớt hoặc tính lại)",
                    )
                )
    return VerifyResult(
        events=total, chains=len(keys), problems=problems, checkpoints=len(checkpoints)
    )


# ---------------------------------------------------------------- checkpoints


@dataclass(frozen=True)
class Checkpoint:
    name: str
    taken_at: str
    heads: dict[int, tuple[int, str]]


def _checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _sign(body: dict[str, Any], key: bytes) -> str:
    return hmac.new(key, _canonical(body), hashlib.sha256).hexdigest()


def write_checkpoint(*, now: datetime | None = None) -> Path:
    """Sign the seq and hash of every chain head into a new read-only file; its path.

    One file per checkpoint, never rewritten: the directory should belong to a user the database
    cannot act as (or be copied off the host, e.g. with the backups).
    """
    now = now or timezone.now()
    heads = {
        str(h.chain_key): [h.seq, h.hash] for h in AuditChainHead.objects.order_by("chain_key")
    }
    body = {"taken_at": now.astimezone(UTC).isoformat(), "heads": heads}
    document = {**body, "signature": _sign(body, audit_key())}
    folder = _checkpoint_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"audit-checkpoint-{stamp}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o440)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1, sort_keys=True)
    return path


def read_checkpoints(key: bytes) -> tuple[list[Checkpoint], list[ChainProblem]]:
    """Every checkpoint file, oldest first; a file whose signature fails is a problem (chain -1)."""
    folder = _checkpoint_dir()
    if not folder.is_dir():
        return [], []
    checkpoints, problems = [], []
    for path in sorted(folder.glob("audit-checkpoint-*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            body = {"taken_at": document["taken_at"], "heads": document["heads"]}
            valid = hmac.compare_digest(_sign(body, key), str(document["signature"]))
            heads = {int(k): (int(v[0]), str(v[1])) for k, v in body["heads"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            valid, heads = False, {}
        if not valid:
            problems.append(
                ChainProblem(None, -1, 0, f"điểm kiểm tra {path.name} hỏng hoặc chữ ký không khớp")
            )
            continue
        checkpoints.append(Checkpoint(path.name, body["taken_at"], heads))
    return checkpoints, problems

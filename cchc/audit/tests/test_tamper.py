"""The audit log proves itself against someone who can write to the database (issue 10 item 6).

Each test tampers with the stored rows in SQL, as an attacker with the database password would,
and expects `audit_verify` (and `cchc audit verify`) to name it.
"""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cchc.core import audit
from cchc.core.audit import GENESIS, audit_verify, compute_hash, write_checkpoint
from cchc.core.audit_verbs import AuditVerb
from cchc.core.models import AuditChainHead, AuditEvent
from cchc.organizations import services


@pytest.fixture(autouse=True)
def _checkpoints(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


EVENTS = AuditEvent._meta.db_table
HEADS = AuditChainHead._meta.db_table


@pytest.fixture
def chain(school, principal):
    """Five events in the school's chain."""
    for n in range(5):
        services.staff_update(actor=principal.user, staff=principal, position=f"Chức vụ {n}")
    return list(AuditEvent.objects.filter(unit=school).order_by("seq"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [("actor_name", "Người khác"), ("object_repr", "Đối tượng khác"), ("object_id", "999")],
)
def test_an_edit_of_any_shown_field_is_detected(chain, column, value) -> None:
    victim = chain[2]
    _sql(f"UPDATE {EVENTS} SET {column} = %s WHERE id = %s", [value, victim.pk])  # noqa: S608

    problems = audit_verify().problems

    assert [(p.event_id, p.reason) for p in problems] == [
        (victim.pk, "nội dung đã bị sửa sau khi ghi")
    ]


@pytest.mark.django_db
def test_moving_an_event_to_another_unit_is_detected(chain, other_school) -> None:
    _sql(f"UPDATE {EVENTS} SET unit_id = %s WHERE id = %s", [other_school.pk, chain[1].pk])  # noqa: S608

    problems = audit_verify().problems

    assert {p.event_id for p in problems} == {chain[1].pk}
    assert "đơn vị của sự kiện không thuộc chuỗi" in {p.reason for p in problems}


@pytest.mark.django_db
def test_every_broken_link_is_reported_not_only_the_first(chain) -> None:
    for victim in (chain[1], chain[3]):
        _sql(f"UPDATE {EVENTS} SET verb = %s WHERE id = %s", ["x.delete", victim.pk])  # noqa: S608

    problems = audit_verify().problems

    assert [p.event_id for p in problems] == [chain[1].pk, chain[3].pk]


@pytest.mark.django_db
def test_a_rewrite_with_every_later_hash_recomputed_without_the_key_is_detected(chain) -> None:
    """The attacker edits event 2 and recomputes 2..5 and the head, but has no key file."""
    prev = chain[0].hash
    guessed_key = b"not-the-key-" * 4
    for event in chain[1:]:
        event.verb = "staff.delete" if event.seq == 2 else event.verb
        digest = compute_hash(
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
            prev_hash=prev,
            key=guessed_key,
        )
        _sql(
            f"UPDATE {EVENTS} SET verb = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
            [event.verb, prev, digest, event.pk],
        )
        prev = digest
    _sql(f"UPDATE {HEADS} SET hash = %s WHERE chain_key = %s", [prev, chain[0].chain_key])  # noqa: S608

    problems = audit_verify().problems

    assert [p.seq for p in problems] == [2, 3, 4, 5]


@pytest.mark.django_db
def test_a_deleted_tail_with_the_head_rolled_back_shows_against_the_checkpoint(chain) -> None:
    write_checkpoint()
    AuditEvent.objects.filter(pk__in=[chain[3].pk, chain[4].pk])._raw_delete(using="default")
    _sql(
        f"UPDATE {HEADS} SET seq = %s, hash = %s WHERE chain_key = %s",  # noqa: S608
        [3, chain[2].hash, chain[0].chain_key],
    )

    problems = audit_verify().problems

    assert len(problems) == 1
    assert problems[0].seq == 5
    assert "điểm kiểm tra" in problems[0].reason


@pytest.mark.django_db
def test_a_whole_deleted_chain_shows_against_the_checkpoint(chain, capsys) -> None:
    call_command("audit", "checkpoint")
    AuditEvent.objects.filter(chain_key=chain[0].chain_key)._raw_delete(using="default")
    AuditChainHead.objects.filter(chain_key=chain[0].chain_key)._raw_delete(using="default")

    with pytest.raises(CommandError):
        call_command("audit", "verify")

    err = capsys.readouterr().err
    assert f"Chuỗi {chain[0].chain_key}" in err
    assert "không còn sự kiện đó" in err


@pytest.mark.django_db
def test_an_edited_checkpoint_file_is_reported(chain, settings) -> None:
    path = write_checkpoint()
    path.chmod(0o640)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["heads"][str(chain[0].chain_key)] = [3, chain[2].hash]
    path.write_text(json.dumps(document), encoding="utf-8")

    problems = audit_verify().problems

    assert [p.chain_key for p in problems] == [-1]
    assert "chữ ký không khớp" in str(problems[0])


@pytest.mark.django_db
def test_intact_log_with_checkpoints_verifies(chain, principal, capsys) -> None:
    call_command("audit", "checkpoint")
    services.staff_update(actor=principal.user, staff=principal, position="Sau điểm kiểm tra")
    from cchc.audit.tasks import write_audit_checkpoint

    write_audit_checkpoint.enqueue()  # the worker's daily job (immediate backend in tests)
    call_command("audit", "verify")

    assert "đối chiếu 2 điểm kiểm tra" in capsys.readouterr().out
    files = list(Path(audit.settings.AUDIT_CHECKPOINT_DIR).glob("*.json"))
    assert len(files) == 2
    assert all(f.stat().st_mode & 0o222 == 0 for f in files)  # written read-only


@pytest.mark.django_db
def test_the_key_is_a_file_outside_the_database(settings, tmp_path, school) -> None:
    settings.AUDIT_KEY_FILE = str(tmp_path / "audit_key")
    audit._read_key.cache_clear()
    try:
        event = audit.audit_record(
            actor=None, verb=AuditVerb.UNIT_UPDATE, unit=school, object_type="t"
        )
        key = (tmp_path / "audit_key").read_text().strip()

        assert len(key) == 64
        assert (tmp_path / "audit_key").stat().st_mode & 0o077 == 0
        assert audit.event_hash(event) == event.hash
        assert audit.event_hash(event, key=b"x" * 64) != event.hash
    finally:
        audit._read_key.cache_clear()


@pytest.mark.django_db
def test_the_data_migration_rehashes_old_chains_so_they_verify(chain) -> None:
    # Rows as the old code left them: plain hashes that the keyed check refuses.
    for event in chain:
        _sql(f"UPDATE {EVENTS} SET hash = %s WHERE id = %s", ["ab" * 32, event.pk])  # noqa: S608
    assert not audit_verify().ok
    migration = importlib.import_module("cchc.core.migrations.0002_rehash_audit_chains_with_key")

    migration.rehash(apps, None)

    assert audit_verify().ok
    assert AuditEvent.objects.get(pk=chain[0].pk).prev_hash == GENESIS


def test_core_imports_no_other_app_of_ours() -> None:
    core = Path(audit.__file__).resolve().parent
    offenders = []
    for path in core.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith("cchc.") and n.split(".")[1] != "core"
            ]

    assert offenders == []


def _first_use_at_once(path: str, processes: int = 6) -> tuple[list[bytes], list[Exception]]:
    """`processes` first readers of a missing key file, released together."""
    import threading

    read_key = audit._read_key.__wrapped__  # the file, not the per-process cache
    start = threading.Barrier(processes)
    keys: list[bytes] = []
    errors: list[Exception] = []

    def first_use() -> None:
        start.wait()
        try:
            keys.append(read_key(path))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=first_use) for _ in range(processes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return keys, errors


def test_processes_starting_at_once_make_one_whole_key(tmp_path) -> None:
    """Two app servers (or two test workers) starting together on an empty var/: each reads the
    same complete key, none an empty half-written file nor a key of its own."""
    for attempt in range(30):
        keys, errors = _first_use_at_once(str(tmp_path / f"audit_key_{attempt}"))

        assert errors == []
        assert len(set(keys)) == 1
        assert len(keys[0]) == 64

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"audit_key_{n}" for n in range(30))

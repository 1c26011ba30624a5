"""Re-hash every audit chain with the keyed hash (HMAC over every shown field).

Events written before this migration were chained with plain SHA-256 over some fields; this
walks each chain in order and stores the new hashes, so existing data (the demo's included)
verifies from now on. Run `cchc audit verify` before upgrading if the old chains must be checked
under the old rule first.
"""

from django.db import migrations

GENESIS = "0" * 64


def rehash(apps, schema_editor):
    from cchc.core.audit import audit_key, compute_hash

    event_model = apps.get_model("core", "AuditEvent")
    head_model = apps.get_model("core", "AuditChainHead")
    chains = event_model.objects.values_list("chain_key", flat=True).distinct()
    if not chains.exists():
        return
    key = audit_key()
    for chain_key in sorted(set(chains)):
        prev_hash, last_seq = GENESIS, 0
        for event in event_model.objects.filter(chain_key=chain_key).order_by("seq").iterator():
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
                prev_hash=prev_hash,
                key=key,
            )
            event_model.objects.filter(pk=event.pk).update(prev_hash=prev_hash, hash=digest)
            prev_hash, last_seq = digest, event.seq
        head_model.objects.update_or_create(
            chain_key=chain_key, defaults={"seq": last_seq, "hash": prev_hash}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop)]

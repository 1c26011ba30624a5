"""Existing data under the deadline rules of issue 8:

- the moment a dossier was stopped, withdrawn or refused is read back from its last event, so
  the on-time indicators measure it there (domain.md 2.2);
- a procedure without a confirmed legal time limit is taken off the public catalogue (it may not
  receive dossiers until it has one). Its dossiers received without a due date are left as they
  are: the clerk dates them on the page "Hồ sơ chưa có hạn" (dossiers:undated).
"""

from decimal import Decimal

from django.db import migrations


def forward(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    Procedure = apps.get_model("dossiers", "Procedure")
    for dossier in Dossier.objects.filter(
        status__in=["stopped", "rejected"], stopped_at__isnull=True
    ).only("pk", "status"):
        event = (
            DossierEvent.objects.filter(dossier_id=dossier.pk, to_status=dossier.status)
            .order_by("-at", "-id")
            .first()
        )
        if event is not None:
            Dossier.objects.filter(pk=dossier.pk).update(stopped_at=event.at)
    for procedure in Procedure.objects.filter(is_published=True):
        unconfirmed = set(procedure.unconfirmed or [])
        dated = procedure.time_limit_unit == "same_day" or (
            procedure.time_limit_unit in ("working_days", "working_hours")
            and procedure.time_limit_value is not None
            and procedure.time_limit_value > Decimal(0)
        )
        if not dated or {"time_limit_value", "time_limit_unit"} & unconfirmed:
            Procedure.objects.filter(pk=procedure.pk).update(is_published=False)


def noop(apps, schema_editor):
    return None


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_deadline_rules_and_stop_moment")]
    operations = [migrations.RunPython(forward, noop)]

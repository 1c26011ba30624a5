"""Backfill the first legal due date of dossiers received before the field existed."""

from django.db import migrations
from django.db.models import F


def backfill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Dossier.objects.filter(initial_due_at__isnull=True, due_at__isnull=False).update(
        initial_due_at=F("due_at")
    )


def noop(apps, schema_editor):
    return None


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_dossier_initial_due_supplement_within")]
    operations = [migrations.RunPython(backfill, noop)]

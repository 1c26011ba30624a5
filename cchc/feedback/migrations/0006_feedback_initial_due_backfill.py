"""Items received before initial_due_at existed: their due_at is still the first deadline
unless they were disputed; copy it (idempotent)."""

from django.db import migrations
from django.db.models import F


def forward(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    Feedback.objects.filter(initial_due_at__isnull=True).update(initial_due_at=F("due_at"))


def backward(apps, schema_editor):
    """Nothing to undo: the column goes away with the schema migration."""


class Migration(migrations.Migration):
    dependencies = [("feedback", "0005_feedback_initial_due_at")]

    operations = [migrations.RunPython(forward, backward)]

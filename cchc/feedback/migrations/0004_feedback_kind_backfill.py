"""Rename stored kinds to the glossary's values (report → phan_anh, proposal → kien_nghi)."""

from django.db import migrations

FORWARD = {"report": "phan_anh", "proposal": "kien_nghi"}


def forward(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    for old, new in FORWARD.items():
        Feedback.objects.filter(kind=old).update(kind=new)


def backward(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    for old, new in FORWARD.items():
        Feedback.objects.filter(kind=new).update(kind=old)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_feedback_kind_glossary_values")]

    operations = [migrations.RunPython(forward, backward)]

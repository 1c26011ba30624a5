"""Dossier.channel in the one channel coding ("in_person", "post", "online") instead of the
national portal's numbers 1/2/3, which the procedure catalogue and the result delivery never used
(issue 18: one coding for channels)."""

from django.db import migrations, models

PORTAL_TO_WORDS = {"1": "in_person", "2": "online", "3": "post"}


def to_words(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    for number, word in PORTAL_TO_WORDS.items():
        Dossier.objects.filter(channel=number).update(channel=word)


def to_numbers(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    for number, word in PORTAL_TO_WORDS.items():
        Dossier.objects.filter(channel=word).update(channel=number)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_dossier_result_delivery"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dossier",
            name="channel",
            field=models.CharField(
                choices=[
                    ("in_person", "Trực tiếp"),
                    ("post", "Bưu chính"),
                    ("online", "Trực tuyến"),
                ],
                max_length=16,
                verbose_name="Kênh nộp",
            ),
        ),
        migrations.RunPython(to_words, to_numbers, elidable=False),
    ]

"""The apology's public step in citizen-facing words: rows written before carried the staff's
wording ("Xin lỗi, hẹn lại ngày …: … (gửi muộn)"), which the public look-up showed as is. The
late issue stays on the apology (`issued_late`)."""

from zoneinfo import ZoneInfo

from django.db import migrations

OLD_PREFIX = "Xin lỗi, hẹn lại ngày "


def reword(apps, schema_editor):
    Event = apps.get_model("dossiers", "DossierEvent")
    Apology = apps.get_model("dossiers", "Apology")
    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    apologies = {a.dossier_id: a for a in Apology.objects.all()}
    for event in Event.objects.filter(note__startswith=OLD_PREFIX):
        apology = apologies.get(event.dossier_id)
        if apology is None:
            continue
        event.note = (
            "Đơn vị gửi văn bản xin lỗi, hẹn trả kết quả ngày "
            f"{apology.new_due_at.astimezone(vn):%d/%m/%Y %H:%M}. Lý do: {apology.reason.strip()}"
        )
        event.save(update_fields=["note"])


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0012_signed_papers")]

    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]

"""The admin in Vietnamese (issue 9, item 7), the libraries' pages included.

The catalogue `cchc/locale/vi/LC_MESSAGES/django.po` is compiled to the committed `django.mo`
(`make messages`, which needs gettext's msgfmt); CI has no msgfmt, so this test checks that
the committed .mo says exactly what the .po says, entry by entry.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

from cchc.accounts.models import User

CATALOGUE = Path(__file__).resolve().parent.parent / "cchc" / "locale" / "vi" / "LC_MESSAGES"
_ENTRY = re.compile(
    r'(?:msgctxt (?P<ctx>"[^\n]*")\n)?msgid (?P<id>"[^\n]*")\n'
    r'(?:msgid_plural (?P<plural>"[^\n]*")\n)?msgstr(?:\[0\])? (?P<str>"[^\n]*")'
)


def _entries() -> list[tuple[str | None, str, str]]:
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    out = []
    for m in _ENTRY.finditer(text):
        msgid = ast.literal_eval(m["id"])
        if msgid:
            ctx = ast.literal_eval(m["ctx"]) if m["ctx"] else None
            out.append((ctx, msgid, ast.literal_eval(m["str"])))
    return out


def test_committed_mo_matches_the_po() -> None:
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = _entries()

    assert len(entries) > 100
    for ctx, msgid, msgstr in entries:
        assert msgstr, msgid
        got = compiled.pgettext(ctx, msgid) if ctx else compiled.gettext(msgid)
        if got == msgid:  # a plural entry: looked up with ngettext
            got = compiled.ngettext(msgid, msgid, 1)
        assert got == msgstr, msgid


@pytest.mark.django_db
def test_admin_pages_of_the_libraries_speak_vietnamese(client) -> None:
    admin = User.objects.create_superuser("quantri", "qt@example.vn", "MatKhau@2026")
    client.force_login(admin)
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="ai-do", ip_address="127.0.0.1", user_agent="x", failures_since_start=1
    )

    index = client.get(reverse("admin:index")).content.decode()
    user_add = client.get(reverse("admin:accounts_user_add")).content.decode()
    attempts = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()

    for english in ("Access attempts", "Task Results", "Otp_Totp", "Tasks Database Backend"):
        assert english not in index
    for vietnamese in ("Lượt thử đăng nhập", "Kết quả tác vụ nền", "Xác thực hai lớp (TOTP)"):
        assert vietnamese in index
    assert "Password-based authentication" not in user_add
    assert "Đăng nhập bằng mật khẩu" in user_add
    assert "Địa chỉ IP" in attempts
    assert "Skip to main content" not in index


def test_plan_fields_have_vietnamese_names() -> None:
    from django.apps import apps

    for model in apps.get_app_config("plans").get_models():
        for field in model._meta.get_fields():
            if field.concrete and not field.auto_created:
                assert field.verbose_name != field.name.replace("_", " "), (model, field.name)

"""Vietnamese names for the apps of the libraries we use, as the admin lists them.

Their strings marked for translation are translated in `cchc/locale/vi` (LOCALE_PATHS); an app's
name that the library does not mark (e.g. "Otp_Totp", "Tasks Database Backend") is set here.
A model's name the library does not mark ("TOTP device") is set here too: the migration state
reads a model's options from its declared Meta (`_meta.original_attrs`), not from these
attributes, so `makemigrations --check` stays clean (a field's label is different: it is part of
the field's deconstruction, so fields are relabelled in `library_admin.py` instead).
"""

from __future__ import annotations

from django.apps import apps

APP_NAMES = {
    "axes": "Khóa đăng nhập",
    "otp_totp": "Xác thực hai lớp (TOTP)",
    "django_otp": "Xác thực hai lớp",
    "django_tasks_database": "Tác vụ nền",
    "django_tasks": "Tác vụ nền",
}

# (app label, model name): (singular, plural).
MODEL_NAMES = {
    ("otp_totp", "totpdevice"): ("Thiết bị xác thực hai lớp", "Thiết bị xác thực hai lớp"),
}


def apply() -> None:
    for label, name in APP_NAMES.items():
        if apps.is_installed(label) or label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (app_label, model_name), (singular, plural) in MODEL_NAMES.items():
        if app_label in apps.app_configs:
            opts = apps.get_model(app_label, model_name)._meta
            opts.verbose_name, opts.verbose_name_plural = singular, plural

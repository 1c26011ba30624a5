from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc.core"
    label = "core"
    verbose_name = "Hệ thống"

    def ready(self) -> None:
        from cchc.core import library_labels

        library_labels.apply()

from django.apps import AppConfig


class KpiConfig(AppConfig):
    name = "cchc.kpi"
    label = "kpi"
    verbose_name = "Chỉ số"

    def ready(self) -> None:
        from cchc.kpi.registry import autodiscover

        autodiscover()

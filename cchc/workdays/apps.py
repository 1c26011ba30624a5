from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "cchc.workdays"
    label = "workdays"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav

        register_nav(NavItem("Lịch làm việc", "workdays:year", order=80))

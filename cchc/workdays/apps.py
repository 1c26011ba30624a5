from typing import Any

from django.apps import AppConfig


def _has_unit(user: Any) -> bool:
    from cchc.accounts.permissions import acting_staff

    return acting_staff(user) is not None


class WorkdaysConfig(AppConfig):
    name = "cchc.workdays"
    label = "workdays"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav

        # Pages "in my unit": only for people who work in one (not the system admin).
        register_nav(NavItem("Lịch làm việc", "workdays:year", order=80, allowed=_has_unit))

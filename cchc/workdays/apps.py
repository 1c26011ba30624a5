from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def _has_unit(user: AnyUser) -> bool:
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

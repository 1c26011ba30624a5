from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def _has_unit(user: AnyUser) -> bool:
    from cchc.accounts.permissions import acting_staff

    return acting_staff(user) is not None


class PlansConfig(AppConfig):
    name = "cchc.plans"
    label = "plans"
    verbose_name = "Kế hoạch CCHC"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav

        register_nav(NavItem("Kế hoạch", "plans:list", order=20))
        register_nav(NavItem("Việc của tôi", "plans:my_work", order=15))
        # Pages "in my unit": only for people who work in one (not the system admin).
        register_nav(NavItem("Hoạt động", "plans:activity_list", order=25, allowed=_has_unit))

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def _has_units_below(user: AnyUser) -> bool:
    from cchc.accounts import permissions

    staff = permissions.acting_staff(user)
    return (
        staff is not None
        and permissions.visible_units(user).filter(parent_id=staff.unit_id).exists()
    )


class KpiConfig(AppConfig):
    name = "cchc.kpi"
    label = "kpi"
    verbose_name = "Chỉ số"

    def ready(self) -> None:
        from cchc.accounts import permissions
        from cchc.core.navigation import NavItem, register_nav
        from cchc.kpi.registry import autodiscover

        autodiscover()
        register_nav(
            NavItem(
                "Tổng quan",
                "kpi:overview",
                order=5,
                allowed=lambda user: permissions.VIEW_PLANS in permissions.permissions_of(user),
            )
        )
        register_nav(
            NavItem(
                "Chỉ số",
                "kpi:unit",
                needs_unit=True,
                order=18,
                allowed=lambda user: permissions.can(user, permissions.VIEW_PLANS),
            )
        )
        register_nav(NavItem("Các trường", "kpi:rollup", order=19, allowed=_has_units_below))
        register_nav(
            NavItem(
                "Tự đánh giá CCHC",
                "kpi:assessment_list",
                order=20,
                allowed=lambda user: permissions.can(user, permissions.VIEW_PLANS),
            )
        )

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def _has_units_below(user: AnyUser) -> bool:
    from cchc.kpi.selectors import has_units_below

    return has_units_below(user)


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
        # Per-person scorecards: everyone their own card; leaders and the commune the ranking.
        register_nav(NavItem("Kết quả của tôi", "kpi:scorecard_mine", order=21, needs_unit=True))
        register_nav(
            NavItem(
                "Xếp hạng thi đua",
                "kpi:scorecard_list",
                order=22,
                needs_unit=True,
                allowed=lambda user: (
                    permissions.VIEW_SCORECARDS in permissions.permissions_of(user)
                ),
            )
        )
        register_nav(
            NavItem(
                "Tự đánh giá CCHC",
                "kpi:assessment_list",
                order=20,
                allowed=lambda user: permissions.can(user, permissions.VIEW_PLANS),
            )
        )

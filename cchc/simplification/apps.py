from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def _may_see(user: AnyUser) -> bool:
    from cchc.simplification.rules import may_view

    return may_view(user)


class SimplificationConfig(AppConfig):
    """Procedure review and simplification (plan task 3.5) with compliance-cost figures."""

    name = "cchc.simplification"
    label = "simplification"
    verbose_name = "Rà soát, đơn giản hóa TTHC"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav

        register_nav(
            NavItem("Đơn giản hóa TTHC", "simplification:list", order=13, allowed=_may_see)
        )

from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _may_see(user: Any) -> bool:
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

from django.apps import AppConfig


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

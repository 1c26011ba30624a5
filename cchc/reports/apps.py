from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    label = "reports"
    verbose_name = "Báo cáo CCHC"

    def ready(self) -> None:
        from cchc.accounts import permissions
        from cchc.core.navigation import NavItem, register_nav

        register_nav(
            NavItem(
                "Báo cáo CCHC",
                "reports:index",
                order=21,
                allowed=lambda user: permissions.can(user, permissions.VIEW_PLANS),
            )
        )

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    label = "reports"
    verbose_name = "Báo cáo CCHC"

    def ready(self) -> None:
        from cchc.accounts import permissions
        from cchc.core.navigation import NavItem, register_nav
        from cchc.documents.signals import outgoing_numbered
        from cchc.kpi.rollup import register_flag_provider
        from cchc.reports.issuing import on_numbered
        from cchc.reports.rollup_flags import overdue_flags

        # A report sent into the outgoing register gets its numbered paper when numbered.
        outgoing_numbered.connect(on_numbered, dispatch_uid="reports.on_numbered")

        # The commune's roll-up flags schools whose periodic reports are overdue (issue 16.7).
        register_flag_provider(overdue_flags)

        register_nav(
            NavItem(
                "Báo cáo CCHC",
                "reports:index",
                order=21,
                allowed=lambda user: permissions.can(user, permissions.VIEW_PLANS),
            )
        )

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "cchc.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self) -> None:
        from cchc.accounts import permissions
        from cchc.core.digest import register_section
        from cchc.core.navigation import NavItem, register_nav
        from cchc.feedback.alerts import digest_section

        register_section("feedback", digest_section)

        register_nav(
            NavItem(
                "Phản ánh, kiến nghị",
                "feedback:list",
                needs_unit=True,
                order=14,
                allowed=lambda user: (
                    permissions.can(user, permissions.VIEW_FEEDBACK)
                    or permissions.acting_staff(user) is not None
                ),
            )
        )
        register_nav(
            NavItem(
                "Thanh tra nhân dân",
                "feedback:inspection",
                needs_unit=True,
                order=15,
                allowed=lambda user: permissions.can(user, permissions.INSPECT_FEEDBACK),
            )
        )

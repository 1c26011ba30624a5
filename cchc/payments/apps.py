from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "cchc.payments"
    label = "payments"
    verbose_name = "Thu phí không dùng tiền mặt"

    def ready(self) -> None:
        from cchc.accounts import permissions
        from cchc.core.navigation import NavItem, register_nav

        register_nav(
            NavItem(
                "Thu phí",
                "payments:bills",
                order=14,
                allowed=lambda user: permissions.can(user, permissions.VIEW_PAYMENTS),
            )
        )

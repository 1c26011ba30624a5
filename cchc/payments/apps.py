from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "cchc.payments"
    label = "payments"
    verbose_name = "Thu phí không dùng tiền mặt"

    def ready(self) -> None:
        from cchc.accounts import permissions
        from cchc.core.navigation import NavItem, register_nav
        from cchc.dossiers import hooks
        from cchc.payments import dossier_hooks

        hooks.register_receipt_listener(dossier_hooks.bill_at_receipt)
        hooks.register_paper_note(dossier_hooks.fee_note)

        register_nav(
            NavItem(
                "Thu phí",
                "payments:bills",
                needs_unit=True,
                order=14,
                allowed=lambda user: permissions.can(user, permissions.VIEW_PAYMENTS),
            )
        )

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit log's page, reads and `cchc audit` command.

    The log itself (models, `audit_record`, verification, checkpoints) stays in cchc.core, which
    every app writes through and which knows no domain; what needs units and permissions lives
    here, above accounts and organizations.
    """

    name = "cchc.audit"
    label = "audit"
    verbose_name = "Nhật ký thay đổi"

    def ready(self) -> None:
        from cchc.accounts import permissions
        from cchc.core.navigation import NavItem, register_nav

        register_nav(
            NavItem(
                "Nhật ký thay đổi",
                "audit:audit_list",
                order=90,
                allowed=lambda user: permissions.VIEW_AUDIT in permissions.permissions_of(user),
            )
        )

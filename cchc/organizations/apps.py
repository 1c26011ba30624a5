from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "cchc.organizations"
    label = "organizations"
    verbose_name = "Đơn vị và nhân sự"

    def ready(self) -> None:
        from cchc.accounts import permissions
        from cchc.core.navigation import NavItem, register_nav

        register_nav(NavItem("Đơn vị", "organizations:unit_list", order=10))
        register_nav(
            NavItem(
                "Nhật ký thay đổi",
                "core:audit_list",
                order=90,
                allowed=lambda user: permissions.VIEW_AUDIT in permissions.permissions_of(user),
            )
        )

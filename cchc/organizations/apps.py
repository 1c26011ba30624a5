from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "cchc.organizations"
    label = "organizations"
    verbose_name = "Đơn vị và nhân sự"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav

        register_nav(NavItem("Đơn vị", "organizations:unit_list", order=10))

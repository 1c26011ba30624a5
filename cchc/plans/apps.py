from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cchc.plans"
    label = "plans"
    verbose_name = "Kế hoạch CCHC"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav

        register_nav(NavItem("Kế hoạch", "plans:list", order=20))
        register_nav(NavItem("Việc của tôi", "plans:my_work", order=15))
        register_nav(NavItem("Hoạt động", "plans:activity_list", order=25))

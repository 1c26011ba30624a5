from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "cchc.backups"
    label = "backups"
    verbose_name = "Sao lưu và khôi phục"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav

        register_nav(
            NavItem("Sao lưu", "backups:status", order=90, allowed=lambda u: u.is_superuser)
        )

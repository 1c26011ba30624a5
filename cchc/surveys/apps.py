from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cchc.surveys"
    label = "surveys"
    verbose_name = "Khảo sát mức độ hài lòng"

    def ready(self) -> None:
        from cchc.accounts import permissions
        from cchc.core.navigation import NavItem, register_nav

        register_nav(
            NavItem(
                "Khảo sát hài lòng",
                "surveys:campaigns",
                order=14,
                allowed=lambda user: permissions.can(user, permissions.VIEW_SURVEYS),
            )
        )

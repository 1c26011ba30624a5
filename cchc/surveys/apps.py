from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cchc.surveys"
    label = "surveys"
    verbose_name = "Khảo sát mức độ hài lòng"

    def ready(self) -> None:
        from cchc.accounts import permissions
        from cchc.core.navigation import NavItem, register_nav
        from cchc.dossiers import hooks
        from cchc.surveys.services import rating_paper_note

        hooks.register_paper_note(rating_paper_note)

        register_nav(
            NavItem(
                "Khảo sát hài lòng",
                "surveys:campaigns",
                needs_unit=True,
                order=14,
                allowed=lambda user: permissions.can(user, permissions.VIEW_SURVEYS),
            )
        )

from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cchc.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav
        from cchc.documents.signals import (
            citizen_mail_text,
            outgoing_correction,
            outgoing_numbered,
            outgoing_source,
        )
        from cchc.dossiers.apology_letters import (
            citizen_mail,
            letter_correction,
            letter_source,
            on_numbered,
        )

        # An apology letter sent to the outgoing register gets its numbered Mẫu 04 when numbered.
        outgoing_numbered.connect(on_numbered, dispatch_uid="dossiers.apology_on_numbered")
        citizen_mail_text.connect(citizen_mail, dispatch_uid="dossiers.apology_citizen_mail")
        outgoing_source.connect(letter_source, dispatch_uid="dossiers.apology_letter_source")
        # A returned apology letter is corrected on its dossier page, not sent up unchanged.
        outgoing_correction.connect(
            letter_correction, dispatch_uid="dossiers.apology_letter_correction"
        )
        register_nav(NavItem("Hồ sơ TTHC", "dossiers:queue", order=12))

from django.contrib import admin

from cchc.core.admin import AuditedModelAdmin
from cchc.dossiers.models import (
    Apology,
    Counter,
    Dossier,
    DossierAttachment,
    DossierEvent,
    DossierPause,
    IntakeWindow,
    PaperNumber,
    Procedure,
    SignedPaper,
)


@admin.register(Procedure)
class ProcedureAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "unit", "time_limit_value", "time_limit_unit", "valid_from"]
    list_filter = ["unit", "online_level", "time_limit_unit"]
    search_fields = ["name", "code"]
    exclude = ["search_text"]


class ReadOnlyDossierChild(admin.ModelAdmin):
    """History rows are written by the services only; the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyDossierChild):
    list_display = ["code", "procedure", "applicant_name", "status", "received_at", "due_at"]
    list_filter = ["unit", "status", "channel"]
    search_fields = ["code", "applicant_name"]
    date_hierarchy = "received_at"


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyDossierChild):
    list_display = ["dossier", "at", "from_status", "to_status", "giver", "receiver", "result"]


@admin.register(DossierPause)
class DossierPauseAdmin(ReadOnlyDossierChild):
    list_display = ["dossier", "started_at", "ended_at"]


@admin.register(Apology)
class ApologyAdmin(ReadOnlyDossierChild):
    list_display = ["dossier", "original_due_at", "new_due_at", "signer_name", "outgoing"]


@admin.register(SignedPaper)
class SignedPaperAdmin(ReadOnlyDossierChild):
    list_display = ["dossier", "kind", "signer", "signed_at"]


@admin.register(PaperNumber)
class PaperNumberAdmin(ReadOnlyDossierChild):
    """Given by the services as Mẫu 02 and 03 are issued (`paper_numbers`); never edited."""

    list_display = ["unit", "year", "form", "number", "dossier", "issued_at"]
    list_filter = ["unit", "year", "form"]


@admin.register(DossierAttachment)
class DossierAttachmentAdmin(ReadOnlyDossierChild):
    list_display = ["dossier", "document_name", "created_at"]


@admin.register(Counter)
class CounterAdmin(ReadOnlyDossierChild):
    list_display = ["unit", "scope", "last"]


@admin.register(IntakeWindow)
class IntakeWindowAdmin(ReadOnlyDossierChild):
    """Entered on the catalogue page, whose service publishes the procedure and keeps windows
    that received dossiers."""

    list_display = ["procedure", "opens_on", "closes_on", "results_on"]

"""Admin: templates and campaigns editable (audited); responses and answers read-only, because
a response is evidence and is only ever written by the service that counts it once."""

from django.contrib import admin

from cchc.core.admin import AuditedModelAdmin
from cchc.surveys.models import (
    Answer,
    Campaign,
    Invitation,
    Question,
    Response,
    SurveyTemplate,
    TemplateVersion,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(AuditedModelAdmin):
    list_display = ["name", "unit", "purpose", "key"]
    list_filter = ["unit", "purpose"]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnly):
    list_display = ["template", "number", "note", "created_at"]


@admin.register(Question)
class QuestionAdmin(ReadOnly):
    list_display = ["version", "order", "code", "group", "kind", "text"]
    list_filter = ["group", "kind"]


@admin.register(Campaign)
class CampaignAdmin(AuditedModelAdmin):
    list_display = ["title", "unit", "kind", "status", "starts_on", "ends_on", "results_published"]
    list_filter = ["unit", "kind", "status"]
    exclude = ["version_no"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ["campaign", "label", "segment", "used_at"]


@admin.register(Response)
class ResponseAdmin(ReadOnly):
    list_display = ["pk", "campaign", "channel", "segment", "submitted_at", "lowest_score"]
    list_filter = ["campaign", "channel"]


@admin.register(Answer)
class AnswerAdmin(ReadOnly):
    list_display = ["response", "question", "scale", "no_opinion", "choice"]

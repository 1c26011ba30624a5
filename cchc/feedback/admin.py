"""Admin: deadlines and answer templates are edited (audited); items and their history are
written by the services only and shown read-only."""

from django.contrib import admin

from cchc.core.admin import AuditedModelAdmin
from cchc.feedback.models import (
    AnswerTemplate,
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackSettings,
    Finding,
    RegisterCounter,
)


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(AuditedModelAdmin):
    list_display = [
        "unit",
        "reject_within_days",
        "info_within_days",
        "forward_within_days",
        "answer_within_days",
        "publish_within_days",
    ]


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(AuditedModelAdmin):
    list_display = ["title", "unit"]
    list_filter = ["unit"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnly):
    list_display = ["tracking_code", "register_number", "year", "unit", "status", "due_at"]
    list_filter = ["unit", "status", "channel"]
    search_fields = ["tracking_code", "external_code", "title"]
    exclude = ["access_key", "search_text", "public_search"]


@admin.register(FeedbackEvent)
class FeedbackEventAdmin(ReadOnly):
    list_display = ["feedback", "at", "from_status", "to_status", "actor_name"]


@admin.register(FeedbackAttachment)
class FeedbackAttachmentAdmin(ReadOnly):
    list_display = ["feedback", "name", "created_at"]


@admin.register(Finding)
class FindingAdmin(ReadOnly):
    list_display = ["feedback", "author_name", "created_at"]


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnly):
    list_display = ["unit", "year", "last"]

from django.contrib import admin

from cchc.feedback.models import AnswerTemplate, FeedbackSettings


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "unit",
        "reject_within_days",
        "info_within_days",
        "forward_within_days",
        "answer_within_days",
        "publish_within_days",
    ]


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "unit"]
    list_filter = ["unit"]

"""Money rows are written by the services only (one transaction, one audit record): the admin
shows them read-only."""

from django.contrib import admin

from cchc.payments.models import (
    Bill,
    Fee,
    Payment,
    Receipt,
    ReceiptCounter,
    Statement,
    StatementLine,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Fee)
class FeeAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "amount_vnd", "period_label", "due_on"]
    list_filter = ["unit"]


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin):
    list_display = ["code", "unit", "class_name", "reason", "amount_vnd", "paid_vnd", "status"]
    list_filter = ["unit", "status", "kind"]
    search_fields = ["code", "student_name", "payer_name"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["bill", "amount_vnd", "method", "paid_on"]
    list_filter = ["unit", "method"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["display_number", "unit", "payment", "issued_at", "emailed_at"]
    list_filter = ["unit", "year"]


@admin.register(ReceiptCounter)
class ReceiptCounterAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "last_number"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["filename", "unit", "credit_lines", "duplicate_lines", "matched_lines"]


@admin.register(StatementLine)
class StatementLineAdmin(ReadOnlyAdmin):
    list_display = ["posted_on", "amount_vnd", "description", "status", "match_rule", "bill"]
    list_filter = ["unit", "status"]

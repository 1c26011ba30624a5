"""Admin: the trusted roots of the verification page, official mail domains, certificates.

Registers and documents are written by the services only; the admin shows them read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from cchc.core.admin import AuditedModelAdmin
from cchc.documents import signing
from cchc.documents.models import (
    Delivery,
    DeliveryAttempt,
    IncomingDocument,
    OfficialMailDomain,
    OutgoingDocument,
    RegisterCounter,
    SignatureEvent,
    SigningCertificate,
    TrustedRoot,
)


class TrustedRootForm(forms.ModelForm):
    class Meta:
        model = TrustedRoot
        fields = ["name", "certificate_pem"]

    def clean_certificate_pem(self) -> str:
        pem = self.cleaned_data["certificate_pem"].strip()
        try:
            self.instance.fingerprint = signing.fingerprint(pem)
        except signing.SigningError as error:
            raise forms.ValidationError(str(error)) from None
        return pem


@admin.register(TrustedRoot)
class TrustedRootAdmin(AuditedModelAdmin):
    form = TrustedRootForm
    list_display = ["name", "fingerprint"]


@admin.register(OfficialMailDomain)
class OfficialMailDomainAdmin(AuditedModelAdmin):
    list_display = ["domain", "unit"]
    list_filter = ["unit"]


@admin.register(SigningCertificate)
class SigningCertificateAdmin(AuditedModelAdmin):
    """Only the revocation mark and the in-use flag can change here; keys never show."""

    list_display = ["subject", "staff", "unit", "kind", "serial", "not_after", "revoked_at"]
    list_filter = ["unit", "kind", "is_active"]
    readonly_fields = [
        "unit",
        "staff",
        "kind",
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "pkcs11_module",
        "token_label",
        "key_label",
        "certificate_pem",
        "chain_pem",
    ]
    fields = [*readonly_fields, "revoked_at", "is_active"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IncomingDocument)
class IncomingAdmin(ReadOnly):
    list_display = ["incoming_number", "year", "reference", "summary", "unit", "status"]
    list_filter = ["unit", "year", "channel", "status"]


@admin.register(OutgoingDocument)
class OutgoingAdmin(ReadOnly):
    list_display = ["symbol", "summary", "unit", "status"]
    list_filter = ["unit", "year", "status"]


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnly):
    list_display = ["unit", "scope", "last"]


@admin.register(SignatureEvent)
class SignatureEventAdmin(ReadOnly):
    list_display = ["signed_at", "kind", "staff", "unit", "purpose"]
    list_filter = ["unit", "kind"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ["outgoing", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status"]


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnly):
    list_display = ["delivery", "at", "ok", "error"]
    list_select_related = ["delivery__outgoing"]  # a delivery's label names its document

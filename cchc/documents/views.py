"""Staff pages: incoming and outgoing registers, document pages and their actions, certificates,
signature verification, register papers. Thin: guard → form → service → render."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.downloads import file_response
from cchc.core.form_errors import add_validation_errors
from cchc.documents import alerts, exports, selectors, services, signing
from cchc.documents.forms import (
    AssignForm,
    IncomingForm,
    OutgoingForm,
    PinForm,
    Pkcs11Form,
    Pkcs12Form,
    VerifyForm,
)
from cchc.documents.models import IncomingDocument, OutgoingDocument, TrustedRoot
from cchc.documents.signals import OutgoingSource, outgoing_source
from cchc.documents.workflow import (
    TONE,
    IncomingStatus,
    InvalidTransition,
    OutgoingStatus,
    outgoing_status_label,
)

OS = OutgoingStatus


def _expected(request: HttpRequest) -> int | None:
    version = request.POST.get("version", "")
    valid = bool(version) and version.isascii() and version.isdigit() and len(version) < 10
    return int(version) if valid else (-1 if version else None)


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, 50).get_page(request.GET.get("trang"))


# ---------------------------------------------------------------- incoming


@require_http_methods(["GET", "POST"])
@login_required
def incoming_list(request: AuthedHttpRequest) -> HttpResponse:
    """The incoming register with filters, deadline alerts and the registration form."""
    rows = selectors.incoming_for_user(user=request.user, filters=request.GET.dict())
    staff = permissions.acting_staff(request.user)
    unit = staff.unit if staff else None
    may_register = unit is not None and permissions.can(
        request.user, permissions.REGISTER_DOCUMENTS, unit
    )
    form = IncomingForm(request.POST or None, request.FILES or None) if may_register else None
    status = 200
    if request.method == "POST":
        if form is None or unit is None:  # (a superuser with no unit has no register either)
            raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("file")
            try:
                doc = services.incoming_register(
                    actor=request.user, unit=unit, data=data, upload=upload
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Đã vào sổ văn bản đến số {doc.incoming_number}.")
                return redirect("documents:incoming_detail", pk=doc.pk)
        status = 422
    context = {
        "page": _page(request, rows),
        "form": form,
        "alerts": alerts.incoming_alerts(selectors.incoming_for_user(user=request.user)),
        "statuses": IncomingStatus.choices,
        "may_print_register": exports.may_export_register(request.user),
    }
    return render(request, "documents/incoming_list.html", context, status=status)


def _incoming_context(
    request: AuthedHttpRequest, doc: IncomingDocument, **forms: Any
) -> dict[str, Any]:
    user = request.user
    return {
        "doc": doc,
        "tone": TONE[doc.status],
        "may_register": permissions.can(user, permissions.REGISTER_DOCUMENTS, doc.unit),
        "may_assign": permissions.can(user, permissions.APPROVE_DOCUMENTS, doc.unit),
        "may_finish": services.may_finish(user, doc),
        "assign_form": forms.get("assign_form") or AssignForm(unit=doc.unit),
    }


@require_safe
@login_required
def incoming_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    doc = selectors.incoming_get(user=request.user, pk=pk)
    return render(request, "documents/incoming_detail.html", _incoming_context(request, doc))


@require_POST
@login_required
def incoming_act(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    doc = selectors.incoming_get(user=request.user, pk=pk)
    if not services.may_act_on_incoming(request.user, doc):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    action, expected, user = request.POST.get("action", ""), _expected(request), request.user
    form = AssignForm(request.POST, unit=doc.unit) if action == "assign" else None
    try:
        if action == "present":
            services.incoming_present(actor=user, doc=doc, expected_version=expected)
        elif action == "assign":
            if form is None or not form.is_valid():
                raise ValidationError("Dữ liệu chưa hợp lệ, hãy xem thông báo bên dưới.")
            data = form.cleaned_data
            services.incoming_assign(
                actor=user,
                doc=doc,
                instructions=data["instructions"],
                lead=data["lead"],
                collaborators=list(data["collaborators"]),
                due_on=data["due_on"],
                expected_version=expected,
            )
        elif action == "finish":
            services.incoming_finish(actor=user, doc=doc, expected_version=expected)
        elif action == "confirm":
            services.incoming_confirm_receipt(actor=user, doc=doc)
        else:
            raise ValidationError("Thao tác không hợp lệ.")
    except (services.StaleDocument, InvalidTransition) as error:
        messages.error(request, _text(error))
        doc.refresh_from_db()
        return render(
            request,
            "documents/incoming_detail.html",
            _incoming_context(request, doc, assign_form=form),
            status=409,
        )
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            add_validation_errors(form, error)
        else:
            messages.error(request, _text(error))
        doc.refresh_from_db()
        return render(
            request,
            "documents/incoming_detail.html",
            _incoming_context(request, doc, assign_form=form),
            status=422,
        )
    return redirect("documents:incoming_detail", pk=doc.pk)


@require_safe
@login_required
def incoming_file(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    doc = selectors.incoming_get(user=request.user, pk=pk)
    return file_response(request, doc.file)


def _text(error: Exception) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


# ---------------------------------------------------------------- outgoing


@require_safe
@login_required
def outgoing_list(request: AuthedHttpRequest) -> HttpResponse:
    rows = selectors.outgoing_for_user(user=request.user, filters=request.GET.dict())
    staff = permissions.acting_staff(request.user)
    context = {
        "page": _page(
            request, selectors.with_returned_flag(rows).order_by("-year", "-number", "-created_at")
        ),
        "statuses": OutgoingStatus.choices,
        "may_draft": staff is not None
        and permissions.can(request.user, permissions.DRAFT_DOCUMENTS, staff.unit),
        "may_print_register": exports.may_export_register(request.user),
    }
    return render(request, "documents/outgoing_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def outgoing_new(request: AuthedHttpRequest) -> HttpResponse:
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.DRAFT_DOCUMENTS, unit)
    amends = None
    if request.GET.get("dinh_chinh") or request.POST.get("amends"):
        amends = selectors.outgoing_get(
            user=request.user, pk=request.GET.get("dinh_chinh") or request.POST.get("amends")
        )
    form = OutgoingForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        signer = data.pop("signer")
        try:
            doc = services.outgoing_create(
                actor=request.user,
                unit=unit,
                data=data,
                signer=signer,
                amends=amends,
                amend_kind=request.POST.get("amend_kind", "") if amends else "",
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Đã lưu dự thảo.")
            return redirect("documents:outgoing_detail", pk=doc.pk)
    status = 422 if form.errors else 200
    return render(
        request, "documents/outgoing_form.html", {"form": form, "amends": amends}, status=status
    )


def _outgoing_context(request: HttpRequest, doc: Any) -> dict[str, Any]:
    user = request.user
    staff = permissions.acting_staff(user)
    unit = doc.unit
    returned = services.last_return(doc)
    return {
        "doc": doc,
        "status_label": outgoing_status_label(doc.status, returned=returned is not None),
        "tone": "bad" if returned is not None else TONE[doc.status],
        "may_draft": permissions.can(user, permissions.DRAFT_DOCUMENTS, unit),
        "may_approve": permissions.can(user, permissions.APPROVE_DOCUMENTS, unit),
        "may_register": permissions.can(user, permissions.REGISTER_DOCUMENTS, unit),
        "is_signer": staff is not None and staff.pk == doc.signer_id,
        "pin_form": PinForm(),
        "signatures": doc.signatures.select_related("staff").order_by("signed_at"),
        "deliveries": doc.deliveries.prefetch_related("log"),
        "amendments": doc.amendments.all(),
        # A letter to a citizen (an apology) names his e-mail: personal data, shown only to
        # those who may see it (never to the commune's read-only oversight).
        "show_addresses": doc.to_state_agency
        or permissions.can(user, permissions.VIEW_PERSONAL_DATA, unit),
        "source": _source(doc, user),
        "returned": returned,
        # A draft corrected elsewhere (a returned apology letter): a link there, no button.
        "correction": services.correction_of(doc) if doc.status == OS.DRAFT else None,
        # Box 7 as the paper prints it: the signing word, the signer's title, his name.
        "signature": services.signature_block(doc),
    }


def _source(doc: Any, user: Any) -> OutgoingSource | None:
    """What another app made the document from (an apology letter's dossier), if any."""
    for _receiver, answer in outgoing_source.send(sender=OutgoingDocument, doc=doc, user=user):
        if answer is not None:
            return cast(OutgoingSource, answer)
    return None


@require_safe
@login_required
def outgoing_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    doc = selectors.outgoing_get(user=request.user, pk=pk)
    return render(request, "documents/outgoing_detail.html", _outgoing_context(request, doc))


# The form on the letter's page that a signing action comes back to.
_FORM_OF = {"sign": "#sign-form", "release": "#release-form"}


@require_POST
@login_required
def outgoing_act(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    doc = selectors.outgoing_get(user=request.user, pk=pk)
    if not services.may_act_on_outgoing(request.user, doc):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    action, expected, user = request.POST.get("action", ""), _expected(request), request.user
    pin = request.POST.get("pin", "")[:64]
    try:
        if action in (OS.REVIEW, OS.APPROVED, OS.DRAFT):
            services.outgoing_transition(
                actor=user,
                doc=doc,
                to=action,
                expected_version=expected,
                note=request.POST.get("note", "")[:500] if action == OS.DRAFT else "",
            )
        elif action == "number":
            services.outgoing_number(actor=user, doc=doc, expected_version=expected)
        elif action == "sign":
            services.outgoing_sign(actor=user, doc=doc, pin=pin, expected_version=expected)
        elif action == "release":
            if doc.is_secret:
                services.outgoing_release_secret(actor=user, doc=doc)
            else:
                services.outgoing_release(
                    actor=user, doc=doc, unit_pin=pin, expected_version=expected
                )
        else:
            raise ValidationError("Thao tác không hợp lệ.")
    except signing.SigningError as error:
        # The certificate or its token refused the signature (a wrong PIN, a locked or missing
        # token, an expired certificate): back to the letter's page with the message, the form
        # ready again (post/redirect/get), so that reloading never posts the PIN again; a token
        # locks after a few wrong PINs.
        messages.error(request, _text(error))
        return redirect(
            reverse("documents:outgoing_detail", args=[doc.pk]) + _FORM_OF.get(action, "")
        )
    except (services.StaleDocument, InvalidTransition) as error:
        messages.error(request, _text(error))
        doc.refresh_from_db()
        return render(
            request, "documents/outgoing_detail.html", _outgoing_context(request, doc), status=409
        )
    except ValidationError as error:
        messages.error(request, _text(error))
        doc.refresh_from_db()
        status = getattr(error, "status_code", 422)  # corrected elsewhere: 409
        return render(
            request,
            "documents/outgoing_detail.html",
            _outgoing_context(request, doc),
            status=status,
        )
    messages.success(
        request,
        {
            OS.REVIEW: "Đã trình kiểm tra.",
            OS.APPROVED: "Đã duyệt.",
            OS.DRAFT: "Đã trả lại dự thảo.",
            "number": "Đã cấp số.",
            "sign": "Đã ký số.",
            "release": "Đã phát hành.",
        }[action],
    )
    return redirect("documents:outgoing_detail", pk=doc.pk)


@require_safe
@login_required
def outgoing_file(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    doc = selectors.outgoing_get(user=request.user, pk=pk)
    source = _source(doc, request.user)
    name = doc.file_name("pdf", source.form_name if source is not None else "")
    if source is not None and source.without_personal is not None:
        # A letter to a citizen read by someone who may not see his address and phone (the
        # commune's oversight): the same paper without them, unsigned (the signed file has them).
        try:
            content = source.without_personal()
        except ValidationError as error:
            messages.error(request, _text(error))
            return redirect("documents:outgoing_detail", pk=doc.pk)
        response = HttpResponse(content, content_type="application/pdf")
        # Not the signed letter: a name of its own, so the file never passes for it.
        name = doc.file_name("pdf", source.view_copy_form_name or source.form_name)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return file_response(request, doc.signed_pdf if doc.signed_pdf else doc.pdf, filename=name)


@require_safe
@login_required
def outgoing_docx(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The draft as a Word file in the Decree 30 layout, to edit or print."""
    from cchc.documents.exports import DOCX_TYPE

    doc = selectors.outgoing_get(user=request.user, pk=pk)
    source = _source(doc, request.user)
    if source is not None and source.docx is not None:
        # Laid out from a form (the apology's Mẫu 04): the Word file of that form, the same
        # content as the PDF, not the Decree 30 layout of the register's summary.
        try:
            content, form_name = source.docx()
        except ValidationError as error:
            messages.error(request, _text(error))
            return redirect("documents:outgoing_detail", pk=doc.pk)
        response = HttpResponse(content, content_type=DOCX_TYPE)
        if source.without_personal is not None:  # the copy without the personal data
            form_name = source.view_copy_form_name or form_name
        response["Content-Disposition"] = (
            f'attachment; filename="{doc.file_name("docx", form_name)}"'
        )
        return response
    response = HttpResponse(services.render_docx(doc), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{doc.file_name("docx")}"'
    return response


# ---------------------------------------------------------------- certificates, verification


@require_http_methods(["GET", "POST"])
@login_required
def certificates(request: AuthedHttpRequest) -> HttpResponse:
    """Own certificate(s): subject, issuer, serial, validity shown before use; add one."""
    staff = permissions.acting_staff(request.user)
    if staff is None:
        permissions.require(request.user, permissions.APPROVE_DOCUMENTS)
    p12 = Pkcs12Form(request.POST or None, request.FILES or None, prefix="p12")
    p11 = Pkcs11Form(request.POST or None, request.FILES or None, prefix="p11")
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind")
        form: Pkcs12Form | Pkcs11Form = p12 if kind == "pkcs12" else p11
        if form.is_valid():
            unit = permissions.acting_unit_or_404(request.user)  # certificates belong to a unit
            data = form.cleaned_data
            image = data["image"].read() if data.get("image") else None
            owner = None if data.get("for_unit") else staff
            try:
                if kind == "pkcs12":
                    record = services.certificate_add_pkcs12(
                        actor=request.user,
                        unit=unit,
                        staff=owner,
                        data=data["file"].read(),
                        pin=data["pin"],
                        image=image,
                    )
                else:
                    record = services.certificate_add_pkcs11(
                        actor=request.user,
                        unit=unit,
                        staff=owner,
                        module=data["module"],
                        token_label=data["token_label"],
                        key_label=data["key_label"],
                        certificate_pem=data["certificate_pem"],
                        image=image,
                    )
            except signing.SigningError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Đã lưu chứng thư số {record.serial}.")
                return redirect("documents:certificates")
        status = 422
    rows = selectors.certificates_for_user(user=request.user)
    return render(
        request,
        "documents/certificates.html",
        {"rows": rows, "p12": p12, "p11": p11, "now": timezone.now()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: AuthedHttpRequest) -> HttpResponse:
    """Upload any PDF: a report per signature, trust against the admin's roots (Vietnamese)."""
    permissions.require(request.user, permissions.VIEW_UNIT)
    form = VerifyForm(request.POST or None, request.FILES or None)
    reports, status, checked = None, 200, False
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > signing.MAX_PDF_BYTES:
                form.add_error("file", "Tệp quá lớn (tối đa 20 MB).")
            else:
                roots = list(TrustedRoot.objects.values_list("certificate_pem", flat=True))
                try:
                    reports = signing.verify_pdf(upload.read(), roots)
                except signing.SigningError as error:
                    form.add_error("file", str(error))
                else:
                    status, checked = 200, True
    return render(
        request,
        "documents/verify.html",
        {"form": form, "reports": reports, "checked": checked},
        status=status,
    )

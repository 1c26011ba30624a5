"""Signatures from the dossier page: the apology letter (send it to be signed, record its
hand-over, download it, signed once signed) and the officer's signature on forms 01–03.
Thin: guard → service → the dossier page with the result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from cchc.accounts.http import AuthedHttpRequest
from cchc.core.downloads import file_response
from cchc.core.form_errors import add_validation_errors
from cchc.core.htmx import render_partial
from cchc.core.refusals import REFUSALS, refusal_of
from cchc.dossiers import apology_letters, paper_signing, papers_service, selectors, services
from cchc.dossiers.forms import ApologyReviseForm
from cchc.dossiers.models import Apology, Dossier
from cchc.dossiers.views import DETAIL, PANEL, _detail_context, _posted_version


def _apology(dossier: Dossier) -> Apology:
    apology = getattr(dossier, "apology", None)
    if apology is None:
        raise Http404("Hồ sơ này chưa có văn bản xin lỗi.")
    return apology


def _refused(request: AuthedHttpRequest, dossier: Dossier, error: Exception) -> HttpResponse:
    refusal = refusal_of(error)
    messages.error(request, refusal.message)
    fresh = selectors.dossier_get_for_user(user=request.user, pk=dossier.pk)
    return render_partial(
        request, DETAIL, _detail_context(request, fresh), target=PANEL, status=refusal.status
    )


@require_POST
@login_required
def issue(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Send an apology made without its letter (one made before apologies became letters: none
    is made without one now) to the head of the unit for signature."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    try:
        doc = apology_letters.apology_issue(actor=request.user, apology=_apology(dossier))
    except REFUSALS as error:
        return _refused(request, dossier, error)
    messages.success(request, f"Đã trình ký văn bản xin lỗi ({doc.get_status_display().lower()}).")
    return redirect("dossiers:detail", pk=dossier.pk)


@require_POST
@login_required
def revise(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Correct the reason and the new date of an apology whose letter the head sent back, and
    send it to be signed again (guard → form → service)."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    form = ApologyReviseForm(request.POST, dossier=dossier)
    try:
        if not apology_letters.may_issue(request.user, dossier):
            raise PermissionDenied(
                "Chỉ viên chức xử lý hồ sơ và soạn văn bản của đơn vị mới sửa văn bản xin lỗi."
            )
        _apology(dossier)
        if not form.is_valid():
            raise ValidationError("Dữ liệu chưa hợp lệ, hãy xem thông báo bên dưới.")
        services.dossier_apology_revise(
            actor=request.user,
            dossier=dossier,
            **form.arguments(),
            expected_version=_posted_version(request.POST.get("version")),
        )
    except REFUSALS as error:
        refusal = refusal_of(error)
        if refusal.fields:
            add_validation_errors(form, ValidationError(refusal.fields))
        else:
            messages.error(request, refusal.message)
        fresh = selectors.dossier_get_for_user(user=request.user, pk=dossier.pk)
        context = _detail_context(request, fresh)
        if context["revise_form"] is not None:
            context["revise_form"] = form  # what was typed, with its errors
        return render_partial(request, DETAIL, context, target=PANEL, status=refusal.status)
    messages.success(request, "Đã sửa lý do, ngày hẹn và trình ký lại văn bản xin lỗi.")
    return redirect("dossiers:detail", pk=dossier.pk)


@require_POST
@login_required
def hand_over(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The clerk records that the released letter was handed over or posted."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    how = request.POST.get("how", "")[:20]
    try:
        apology_letters.apology_hand_over(actor=request.user, apology=_apology(dossier), how=how)
    except REFUSALS as error:
        return _refused(request, dossier, error)
    messages.success(request, f"Đã ghi nhận {apology_letters.HAND_OVER[how]} văn bản xin lỗi.")
    return redirect("dossiers:detail", pk=dossier.pk)


@require_safe
@login_required
def pdf(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """The letter as it stands: signed (and sealed) once signed, else the numbered or draft
    paper. Whoever may see the dossier may read the letter sent to its applicant; one who may
    not see its address and phone (the commune's oversight) reads it without them, unsigned."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    letter = _apology(dossier).outgoing
    if letter is None or not (letter.signed_pdf or letter.pdf):
        raise Http404("Văn bản xin lỗi chưa được lập.")
    if not apology_letters.sees_letter_personal_data(request.user, dossier):
        try:
            content, _type, _name = papers_service.render_paper(
                dossier, "xin-loi", "pdf", show_personal=False
            )
        except papers_service.PaperUnavailable as error:
            raise Http404(str(error)) from None
        response = HttpResponse(content, content_type="application/pdf")
        # Re-rendered without the seal and signatures: never under the signed letter's name.
        name = letter.file_name("pdf", apology_letters.VIEW_COPY_FILE_NAME)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return file_response(
        request,
        letter.signed_pdf if letter.signed_pdf else letter.pdf,
        filename=letter.file_name("pdf", apology_letters.FORM_FILE_NAME),
    )


@require_POST
@login_required
def paper_sign(request: AuthedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """The officer named on a receipt, supplement request or refusal signs it (his PIN)."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    pin = request.POST.get("pin", "")[:64]
    try:
        paper_signing.sign_paper(actor=request.user, dossier=dossier, kind=kind, pin=pin)
    except paper_signing.SigningFailed as error:
        # A wrong PIN or a token error: back to the papers of the dossier page (post/redirect/
        # get), so that a reload does not post the PIN again.
        messages.error(request, refusal_of(error).message)
        return redirect(reverse("dossiers:detail", args=[dossier.pk]) + "#papers")
    except REFUSALS as error:
        return _refused(request, dossier, error)
    messages.success(request, "Đã ký số giấy tờ.")
    return redirect("dossiers:detail", pk=dossier.pk)

"""Staff pages for dossiers: queue, counter intake, dossier page and its actions, papers,
tracking book, procedure catalogue."""

from __future__ import annotations

from typing import Any, Final

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.downloads import file_response
from cchc.core.form_errors import add_validation_errors
from cchc.core.htmx import render_partial
from cchc.core.numbers import parse_id
from cchc.core.official_docs import OfficialDocError
from cchc.core.refusals import REFUSALS, refusal_of
from cchc.dossiers import (
    actions,
    apology_letters,
    deadlines,
    exports,
    list_filters,
    paper_signing,
    papers_service,
    procedures,
    selectors,
    services,
    supplement_notes,
    workflow,
)
from cchc.dossiers.forms import (
    ActionForm,
    ApologyReviseForm,
    DueDateForm,
    IntakeForm,
    ProcedureImportForm,
    given_name_key,
)
from cchc.dossiers.models import Procedure
from cchc.dossiers.uploads import UploadRejected, dossier_attach_scan
from cchc.dossiers.workflow import TONE, DossierStatus
from cchc.kpi.registry import Period
from cchc.organizations.models import Staff
from cchc.workdays.services import calendar_for_unit


@require_safe
@login_required
def queue(request: AuthedHttpRequest) -> HttpResponse:
    """Open dossiers, overdue first then the nearest due, with filters kept in the URL; late
    ones without apology listed on top for the head."""
    filters = {
        key: request.GET.get(param, "").strip()[:20]
        for key, param in (
            ("status", "trang_thai"),
            ("procedure_id", "thu_tuc"),
            ("handler_id", "nguoi_xu_ly"),
            ("unit_id", "don_vi"),
        )
    }
    units = list(permissions.visible_units(request.user))
    staff = Staff.objects.filter(unit__in=units, is_active=True).select_related("unit")
    procedure_list = list(
        Procedure.objects.filter(unit__in=units)
        .select_related("unit")
        .order_by("name", "-valid_from")
    )
    handlers = sorted(staff, key=lambda s: given_name_key(s.full_name))
    errors = list_filters.check_choices(
        filters,
        statuses=DossierStatus.values,
        allowed_ids={
            "procedure_id": {p.pk for p in procedure_list},
            "handler_id": {s.pk for s in handlers},
            "unit_id": {u.pk for u in units},
        },
    )
    applied = {key: ("" if key in errors else value) for key, value in filters.items()}
    calendars: dict[int, Any] = {}
    rows = []
    for dossier in selectors.queue_for_user(user=request.user, **applied)[:300]:
        if dossier.unit_id not in calendars:
            calendars[dossier.unit_id] = calendar_for_unit(dossier.unit)
        state = deadlines.remaining(
            dossier, dossier.is_overdue, calendar=calendars[dossier.unit_id]
        )
        rows.append(
            {
                "dossier": dossier,
                "state": state,
                "tone": TONE[dossier.status],
                "paused": supplement_notes.staff_note(dossier),
            }
        )
    has_unit = permissions.acting_staff(request.user) is not None
    context = {
        "rows": rows,
        "filters": applied,
        "filter_errors": list(errors.values()),
        "late": selectors.late_without_apology(user=request.user)[:100],
        "letters": apology_letters.waiting_for(request.user),
        # Links only to pages the user may open: the book and the catalogue need the right to
        # view dossiers, and like the counter, a unit of one's own (not the system admin).
        "can_receive": has_unit and permissions.can(request.user, permissions.RECEIVE_DOSSIERS),
        "can_view_book": has_unit and permissions.can(request.user, permissions.VIEW_DOSSIERS),
        "statuses": DossierStatus.choices,
        "procedures": procedure_list,
        "handlers": handlers,
        "units": units if len(units) > 1 else [],
    }
    if context["can_receive"]:
        context["undated"] = selectors.undated_for_user(user=request.user).count()
    return render(request, "dossiers/dossier_queue.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def undated(request: AuthedHttpRequest) -> HttpResponse:
    """Dossiers received without a due date (before every procedure had to have a legal time
    limit): the clerk writes the appointment given to the citizen, one row at a time."""
    permissions.require(request.user, permissions.RECEIVE_DOSSIERS)
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        dossier = selectors.dossier_get_for_user(
            user=request.user, pk=parse_id(request.POST.get("dossier")) or 0
        )
        form = DueDateForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(" ".join(str(e) for es in form.errors.values() for e in es))
            services.dossier_set_due(
                actor=request.user,
                dossier=dossier,
                due_on=form.cleaned_data["due_on"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            errors[dossier.pk] = " ".join(error.messages)
            status = 422
        else:
            messages.success(request, f"Đã ghi hạn trả kết quả cho hồ sơ {dossier.code}.")
            return redirect("dossiers:undated")
    rows = selectors.undated_for_user(user=request.user)
    context = {"rows": [(d, errors.get(d.pk, "")) for d in rows]}
    return render(request, "dossiers/dossier_undated.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def intake(request: AuthedHttpRequest) -> HttpResponse:
    """The counter form: receive a complete dossier (and its scan), then print the slip."""
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.RECEIVE_DOSSIERS, unit)
    form = IntakeForm(
        request.POST or None,
        request.FILES or None,
        unit=unit,
        procedures=selectors.procedures_current(unit).filter(is_published=True),
        initial={"procedure": parse_id(request.GET.get("thu_tuc", ""))},
    )
    outcome = request.POST.get("outcome", "receive")
    if request.method == "POST" and form.is_valid():
        try:
            dossier = _counter_outcome(request, unit, form.cleaned_data, outcome)
        except UploadRejected as error:
            form.add_error("scan", str(error))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _OUTCOME_MESSAGES[outcome].format(code=dossier.code))
            return redirect("dossiers:detail", pk=dossier.pk)
    status = 422 if form.errors else 200
    return render(request, "dossiers/dossier_intake.html", {"form": form}, status=status)


_OUTCOME_MESSAGES = {
    "receive": "Đã tiếp nhận hồ sơ {code}.",
    "guidance": "Đã lập phiếu hướng dẫn bổ sung (Mẫu 02) cho hồ sơ {code}: hãy in và giao cho "
    "người nộp.",
    "refuse": "Đã từ chối tiếp nhận hồ sơ {code}: hãy in phiếu từ chối (Mẫu 03) cho người nộp.",
}


def _counter_outcome(
    request: AuthedHttpRequest, unit: Any, data: dict[str, Any], outcome: str
) -> Any:
    """One of the three outcomes of Decree 61 Art. 17: receipt (Mẫu 01), guidance (02), refusal
    (03)."""
    if outcome not in _OUTCOME_MESSAGES:
        raise ValidationError("Thao tác không hợp lệ.")
    if outcome == "receive":
        return _receive_with_scan(request, unit, data)
    service = (
        services.dossier_counter_guidance
        if outcome == "guidance"
        else services.dossier_counter_refusal
    )
    return service(
        actor=request.user,
        unit=unit,
        procedure=data["procedure"],
        applicant=data,
        provided_documents=data["documents"],
        reason=data["counter_reason"],
        channel=data["channel"],
        subject=data["subject"],
    )


@transaction.atomic
def _receive_with_scan(request: AuthedHttpRequest, unit: Any, data: dict[str, Any]) -> Any:
    """The receipt and its scan together: a rejected scan leaves no dossier behind."""
    dossier = services.dossier_receive(
        actor=request.user,
        unit=unit,
        procedure=data["procedure"],
        applicant=data,
        provided_documents=data["documents"],
        channel=data["channel"],
        subject=data["subject"],
        assignee=data["assignee"],
        external_code=data["external_code"],
        result_delivery=data["result_delivery"],
    )
    if data.get("scan"):
        dossier_attach_scan(actor=request.user, dossier=dossier, upload=data["scan"])
    return dossier


DETAIL: Final = "dossiers/dossier_detail.html"
PANEL: Final = "dossier-panel"  # the partial (and element id) htmx replaces after an action


def _detail_context(
    request: AuthedHttpRequest, dossier: Any, kept: dict[str, ActionForm] | None = None
) -> dict[str, Any]:
    offers = actions.offers(request.user, dossier, kept)
    unit = dossier.unit
    papers = papers_service.available(dossier)
    late = dossier.is_late()
    signatures = paper_signing.paper_signatures(request.user, dossier)
    letter = apology_letters.letter_state(request.user, dossier)
    return {
        "dossier": dossier,
        "tone": TONE[dossier.status],
        # The dossier's own steps and its apology letter's, in time order.
        "events": sorted(
            [*dossier.events.select_related("actor"), *apology_letters.letter_steps(dossier)],
            key=lambda step: step.at,
        ),
        "pauses": dossier.pauses.all(),
        "late": late,
        "remaining": deadlines.remaining(dossier, late),
        # Waiting for the citizen's papers: the time is stopped, no running due date shown.
        "paused": supplement_notes.staff_note(dossier),
        "explanation": deadlines.explain_due(dossier),
        "show_personal": permissions.can(request.user, permissions.VIEW_PERSONAL_DATA, unit),
        "offers": [o for o in offers if o.action.place == "panel"],
        "document_offers": [o for o in offers if o.action.place == "documents"],
        "papers": papers,
        "paper_rows": [(kind, label, signatures.get(kind)) for kind, label in papers],
        "letter": letter,
        "revise_form": ApologyReviseForm.for_dossier(dossier)
        if letter is not None and letter.may_revise
        else None,
    }


@require_safe
@login_required
def detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A dossier: applicant, documents, due date with its explanation, timeline, actions."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    context = _detail_context(request, dossier)
    return render_partial(request, DETAIL, context, target=PANEL)


@require_POST
@login_required
def act(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Apply one action of the table posted from the dossier page: guard → form → service; a
    refusal re-renders the page with its status and a Vietnamese message."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    name = request.POST.get("action", "")
    form = None
    try:
        if not workflow.may_act(request.user, dossier):
            raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
        action = actions.action_named(name)
        # Guard first: someone who may not act is told so, not shown the form's field errors
        # (the service checks again on the locked row).
        workflow.check_action(request.user, dossier, action.name)
        form = actions.form_for(action, dossier, request.POST, request.FILES)
        if form is not None and not form.is_valid():
            raise ValidationError("Dữ liệu chưa hợp lệ, hãy xem thông báo bên dưới.")
        actions.perform(
            actor=request.user,
            dossier=dossier,
            action=action,
            arguments=form.arguments() if form is not None else {},
            expected_version=_posted_version(request.POST.get("version")),
        )
    except REFUSALS as error:
        refusal = refusal_of(error)
        if form is not None and refusal.fields:
            add_validation_errors(form, ValidationError(refusal.fields))
        else:
            messages.error(request, refusal.message)
        dossier.refresh_from_db()
        kept = {name: form} if form is not None else {}
        context = _detail_context(request, dossier, kept)
        return render_partial(request, DETAIL, context, target=PANEL, status=refusal.status)
    # Every action says it was done: an htmx post gets it in the swapped panel (the panel
    # renders the messages), a plain post on the reloaded page.
    messages.success(request, (action.done or "Đã lưu hồ sơ {code}.").format(code=dossier.code))
    if not selectors.dossier_list_for_user(user=request.user).filter(pk=dossier.pk).exists():
        # A handler who passed the dossier on no longer sees it: back to their own work.
        if getattr(request, "htmx", False):  # set by django-htmx's middleware
            return HttpResponseClientRedirect(reverse("plans:my_work"))
        return redirect("plans:my_work")
    # An htmx post follows this redirect with its headers: the page answers with the panel only.
    return redirect("dossiers:detail", pk=dossier.pk)


def _posted_version(version: str | None) -> int | None:
    """A garbled version number must not switch the concurrency check off: it counts as stale."""
    if not version:
        return None
    valid = version.isascii() and version.isdigit() and len(version) < 10
    return int(version) if valid else -1


@require_safe
@login_required
def paper(request: AuthedHttpRequest, pk: int, kind: str, fmt: str) -> HttpResponseBase:
    """One official paper of a dossier (Mẫu 01–06) as DOCX or PDF."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=pk)
    show_personal = permissions.can(request.user, permissions.VIEW_PERSONAL_DATA, dossier.unit)
    if fmt == "pdf" and show_personal:  # signed as issued (with the applicant's details)
        signed = paper_signing.signed_paper(dossier, kind)
        if signed is not None:
            # named by the dossier, not by the stored file (a re-signed paper's file name
            # carries the storage's suffix inside the code)
            name = f"{kind}-{dossier.code}-ky.pdf"
            return file_response(request, signed.pdf, filename=name)
    letter = getattr(getattr(dossier, "apology", None), "outgoing", None)
    if fmt == "pdf" and kind == "xin-loi" and show_personal and letter and letter.signed_pdf:
        # the apology letter as sent, named as on the letter's page
        name = letter.file_name("pdf", apology_letters.FORM_FILE_NAME)
        return file_response(request, letter.signed_pdf, filename=name)
    try:
        content, content_type, filename = papers_service.render_paper(
            dossier, kind, fmt, show_personal=show_personal
        )
    except papers_service.PaperUnavailable as error:
        messages.error(request, str(error))
        return redirect("dossiers:detail", pk=dossier.pk)
    if kind == "xin-loi" and not show_personal and letter is not None and letter.symbol:
        # the issued letter without the addressee's details: its view copy's name, not the
        # signed letter's (this paper carries no signature)
        filename = letter.file_name(fmt, apology_letters.VIEW_COPY_FILE_NAME)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _book_filters(request: AuthedHttpRequest) -> tuple[dict[str, Any], list[str], list[Any]]:
    """The tracking book's filters from the URL, each checked (list_filters): (the filters to
    apply, a Vietnamese message for each one that cannot be applied, the procedures listed).
    The page is shown without such a filter (its message says so); an export is refused."""
    get = request.GET
    shown = get.get("xuat") not in ("xlsx", "pdf")
    procedures = list(selectors.procedures_for_filter(request.user))
    units = list(permissions.visible_units(request.user))
    raw = {
        "status": get.get("trang_thai", "").strip()[:20],
        "procedure_id": get.get("thu_tuc", "").strip()[:20],
        "unit_id": get.get("don_vi", "").strip()[:20],
    }
    errors = list_filters.check_choices(
        raw,
        statuses=DossierStatus.values,
        allowed_ids={
            "procedure_id": {p.pk for p in procedures},
            "unit_id": {u.pk for u in units},
        },
        shown=shown,
    )
    received_from, bad_from = list_filters.parse_day(get.get("tu_ngay"), "Từ ngày", shown=shown)
    received_to, bad_to = list_filters.parse_day(get.get("den_ngay"), "Đến ngày", shown=shown)
    period, bad_period = None, ""
    if get.get("ky", "").strip():
        try:
            period = Period.parse(get["ky"][:20])
        except ValueError as error:
            bad_period = f"{error} Bỏ qua điều kiện kỳ." if shown else str(error)
    filters = {
        "status": "" if "status" in errors else raw["status"],
        "procedure_id": "" if "procedure_id" in errors else raw["procedure_id"],
        "unit_id": None if "unit_id" in errors else parse_id(raw["unit_id"]),
        "query": get.get("q", "").strip(),
        "received_from": received_from,
        "received_to": received_to,
        "late_only": get.get("tre_han") == "1",
        "without_apology": get.get("chua_xin_loi") == "1",
        "period": period,
    }
    messages_ = [*errors.values(), *(m for m in (bad_from, bad_to, bad_period) if m)]
    return filters, messages_, procedures


@require_safe
@login_required
def book(request: AuthedHttpRequest) -> HttpResponse:
    """The tracking book (Mẫu 07) with filters kept in the URL; XLSX and PDF export. A filter
    that cannot be applied is named (400), never silently dropped."""
    permissions.require(request.user, permissions.VIEW_DOSSIERS)
    filters, errors, procedures = _book_filters(request)
    dossiers = selectors.dossier_list_for_user(user=request.user, **filters).order_by(
        "received_at", "id"
    )
    fmt = request.GET.get("xuat")
    if fmt in ("xlsx", "pdf") and errors:
        message = " ".join([*errors, "Hãy sửa điều kiện lọc rồi xuất lại."])
        context = {"status": 400, "title": "Chưa xuất được sổ", "message": message}
        return render(request, "error.html", context, status=400)
    if fmt in ("xlsx", "pdf"):
        try:
            heading = exports.book_unit(
                dossiers,
                chosen_id=filters["unit_id"],
                reader_unit=permissions.acting_unit_or_404(request.user),
            )
            content, content_type, filename = exports.tracking_book(
                dossiers,
                fmt,
                heading,
                show_personal=permissions.sees_personal_data(request.user),
            )
        except OfficialDocError as error:  # the converter busy, timed out or not installed
            context = {"status": 503, "title": "Chưa in được sổ", "message": str(error)}
            return render(request, "error.html", context, status=503)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    page = Paginator(dossiers, 50).get_page(request.GET.get("trang"))
    units = list(permissions.visible_units(request.user).order_by("name"))
    context = {
        "page": page,
        "statuses": DossierStatus.choices,
        "procedures": procedures,
        "units": units if len(units) > 1 else [],
        "filters": filters,
        "filter_errors": errors,
        "show_personal": permissions.sees_personal_data(request.user),
        "now": timezone.localtime(),
    }
    return render(request, "dossiers/dossier_book.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def procedure_list(request: AuthedHttpRequest) -> HttpResponse:
    """The unit's catalogue with "cần xác nhận" flags; XLSX export and import."""
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.VIEW_DOSSIERS, unit)
    can_manage = permissions.can(request.user, permissions.MANAGE_PROCEDURES, unit)
    if request.GET.get("xuat") == "xlsx":
        response = HttpResponse(
            procedures.procedures_export_xlsx(unit=unit),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="danh-muc-thu-tuc.xlsx"'
        return response
    form = ProcedureImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    status = 200
    if request.method == "POST":
        permissions.require(request.user, permissions.MANAGE_PROCEDURES, unit)
        if form.is_valid():
            try:
                saved, problems = procedures.procedures_import_xlsx(
                    actor=request.user, unit=unit, data=form.cleaned_data["file"].read()
                )
            except procedures.catalogue.CatalogueError as error:
                form.add_error("file", str(error))
                status = 422
            else:
                messages.success(request, f"Đã nhập {len(saved)} thủ tục.")
                if not problems:
                    return redirect(reverse("dossiers:procedures"))
                status = 422
        else:
            status = 422
    context = {
        "rows": [
            (p, [procedures.catalogue.LABELS.get(key, key) for key in p.unconfirmed or []])
            for p in selectors.procedures_current(unit)
        ],
        "form": form,
        "problems": problems,
        "can_manage": can_manage,
    }
    return render(request, "dossiers/procedure_list.html", context, status=status)

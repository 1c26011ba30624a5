"""Staff pages of periodic reports: request a stored report (built by the worker), list and
download the built ones, the reporting calendar, and the immediate one-off download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.downloads import file_response
from cchc.core.numbers import parse_id, parse_int_in_range
from cchc.core.official_docs import OfficialDocError
from cchc.documents.workflow import OutgoingStatus
from cchc.organizations.models import Staff, Unit
from cchc.reports import calendar, calendar_services, issuing, sections, selectors, services
from cchc.reports.builder import FORMATS, ReportRequest, period_name, report_file
from cchc.reports.forms import IssueForm, ReportRequestForm, RuleForm, SectionsForm
from cchc.reports.models import ReportStatus, Slot


def _units(request: HttpRequest):
    return permissions.visible_units(request.user).order_by("path", "name")


def _periods(unit: Unit | None) -> list[tuple[str, str]]:
    """The periods of the unit's reporting calendar that have begun, each with its data window:
    the form offers nothing the calendar does not owe."""
    if unit is None:
        return []
    return [
        (w.period, f"{period_name(w.period)[:1].upper()}{period_name(w.period)[1:]} ({w.text()})")
        for w in calendar.offered_windows(unit, timezone.localdate())
    ]


def _page(
    request: AuthedHttpRequest, form: ReportRequestForm | None, status: int = 200
) -> HttpResponse:
    staff = permissions.acting_staff(request.user)
    unit = staff.unit if staff is not None else None
    may_request = unit is not None and services.may_request(request.user, unit)
    consolidated = may_request and unit is not None and unit.children.exists()
    if form is None and may_request:
        form = ReportRequestForm(periods=_periods(unit), consolidated=consolidated)
    reports = list(selectors.reports_for(request.user)[:100])
    today = timezone.localdate()
    context: dict[str, Any] = {
        "unit": unit,
        "form": form if may_request else None,
        "reports": reports,
        "building": any(r.status == ReportStatus.BUILDING for r in reports),
        "units": _units(request)[:500],
        "acting": staff,
        "periods": _periods(unit),
        "formats": FORMATS,
        "dues": calendar.unit_calendar(unit, today.year) if unit is not None else [],
        "today": today,
    }
    return render(request, "reports/index.html", context, status=status)


def _own_unit(request: AuthedHttpRequest, who: str) -> Unit:
    """The unit named by ?don_vi= (or the acting one) if the user leads it: another school is
    404 (not visible), a school below the commune 403 saying who acts."""
    chosen = request.POST.get("don_vi", "") or request.GET.get("don_vi", "")
    if chosen:
        pk = parse_id(chosen)
        unit = _units(request).filter(pk=pk).first() if pk else None
        if unit is None:
            raise Http404("Không tìm thấy đơn vị, hoặc bạn không được xem đơn vị này.")
    else:
        unit = permissions.acting_unit_or_404(request.user)
    if not services.may_request(request.user, unit):
        raise PermissionDenied(f"Bạn chỉ xem được {unit.name}; {who}.")
    return unit


@require_safe
@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    permissions.require(request.user, permissions.VIEW_PLANS)
    return _page(request, None)


@require_POST
@login_required
def request_report(request: AuthedHttpRequest) -> HttpResponse:
    """Ask the worker for a report of one's own unit (guard → form → service → redirect)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    unit = _own_unit(request, "báo cáo do lãnh đạo đơn vị đó lập")
    form = ReportRequestForm(
        request.POST, periods=_periods(unit), consolidated=unit.children.exists()
    )
    if form.is_valid():
        try:
            report = services.report_request(
                actor=request.user,
                unit=unit,
                period=form.cleaned_data["ky"],
                kind=form.cleaned_data["loai"],
                difficulties=form.cleaned_data["kho_khan"],
                proposals=form.cleaned_data["de_xuat"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request,
                f"Đang lập {report.get_kind_display().lower()} {period_name(report.period)}; "
                "trang tự cập nhật khi báo cáo lập xong.",
            )
            return redirect("reports:index")
    return _page(request, form, status=422)


def _detail(
    request: AuthedHttpRequest,
    report: Any,
    form: IssueForm | None = None,
    status: int = 200,
    sections_form: SectionsForm | None = None,
) -> HttpResponse:
    may_issue = issuing.may_issue(request.user, report)
    offer = may_issue and report.status == ReportStatus.READY and report.outgoing_id is None
    if offer and form is None:
        form = IssueForm(
            initial={
                "kho_khan": report.difficulties,
                "de_xuat": report.proposals,
                "version": report.version,
            }
        )
    # The drafter who may not submit writes the two sections; the leader's form carries them.
    drafts = not offer and sections.may_edit(request.user, report)
    if drafts and sections_form is None:
        sections_form = SectionsForm(
            initial={
                "kho_khan": report.difficulties,
                "de_xuat": report.proposals,
                "version": report.version,
            }
        )
    context = {
        "report": report,
        "name": period_name(report.period),
        "issued": issuing.issued_text(report),
        "released": report.outgoing is not None
        and report.outgoing.status == OutgoingStatus.RELEASED,
        "may_view_document": report.outgoing is not None
        and permissions.can(request.user, permissions.VIEW_DOCUMENTS, report.unit),
        "form": form if offer else None,
        "sections_form": sections_form if drafts else None,
        "formats": FORMATS,
    }
    return render(request, "reports/detail.html", context, status=status)


def _visible_report(request: AuthedHttpRequest, pk: int) -> Any:
    report = selectors.reports_for(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404("Không tìm thấy báo cáo.")
    return report


@require_safe
@login_required
def report_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One report: its period and data window, its files, and where its issue stands."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    return _detail(request, _visible_report(request, pk))


@require_POST
@login_required
def report_issue(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The unit's leader sends the report into the outgoing register (guard → form → service)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    report = _visible_report(request, pk)
    if not issuing.may_issue(request.user, report):
        raise PermissionDenied("Chỉ lãnh đạo đơn vị duyệt văn bản mới trình ban hành báo cáo.")
    form = IssueForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            doc = issuing.report_submit(
                actor=request.user,
                report=report,
                difficulties=form.cleaned_data["kho_khan"],
                proposals=form.cleaned_data["de_xuat"],
                expected_version=form.cleaned_data["version"],
            )
        except sections.StaleSectionsError as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request,
                f"Đã trình ban hành: văn bản đi «{doc.summary}» đã duyệt, chờ văn thư cấp số.",
            )
            return redirect("reports:detail", pk=report.pk)
    report.refresh_from_db()
    if report.outgoing_id is not None:  # submitted meanwhile by another tab or person
        return _detail(request, report, None, status=409)
    return _detail(request, report, form, status=status)


@require_POST
@login_required
def report_sections(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The drafter saves the report's two sections (guard → form → service → redirect)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    report = _visible_report(request, pk)
    if not services.may_request(request.user, report.unit):
        raise PermissionDenied("Chỉ người lập báo cáo của đơn vị mới soạn được nội dung báo cáo.")
    form = SectionsForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            sections.sections_save(
                actor=request.user,
                report=report,
                difficulties=form.cleaned_data["kho_khan"],
                proposals=form.cleaned_data["de_xuat"],
                expected_version=form.cleaned_data["version"],
            )
        except sections.StaleSectionsError as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, "Đã lưu phần khó khăn, vướng mắc và đề xuất, kiến nghị.")
            return redirect("reports:detail", pk=report.pk)
    report.refresh_from_db()
    return _detail(request, report, status=status, sections_form=form)


@require_safe
@login_required
def report_file_view(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """A built report's DOCX, PDF or XLSX, for whoever may see its unit (else 404)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    report = selectors.reports_for(request.user).filter(pk=pk).first()
    if report is None or fmt not in FORMATS:
        raise Http404("Không tìm thấy báo cáo.")
    if report.status != ReportStatus.READY:
        return render(
            request,
            "error.html",
            {
                "status": 409,
                "title": "Báo cáo chưa lập xong",
                "message": report.error or "Báo cáo đang được lập, hãy thử lại sau ít phút.",
            },
            status=409,
        )
    return file_response(request, getattr(report, fmt))


@require_safe
@login_required
def reporting_calendar(request: AuthedHttpRequest) -> HttpResponse:
    """The reporting calendar of every unit the user may see (the commune: each school)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    today = timezone.localdate()
    year = parse_int_in_range(request.GET.get("nam"), minimum=2000, maximum=2100) or today.year
    units = list(_units(request)[:200])
    staff = permissions.acting_staff(request.user)
    dues = calendar.calendar_for(units, [year])
    rows = [(unit, dues[unit.pk]) for unit in units]
    return render(
        request,
        "reports/calendar.html",
        {
            "rows": rows,
            "year": year,
            "today": today,
            "may_edit": staff is not None and services.may_request(request.user, staff.unit),
        },
    )


@require_safe
@login_required
def download(request: AuthedHttpRequest) -> HttpResponse:
    """The report file of a unit the user may read (a school its own, the commune any below)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    chosen = request.GET.get("don_vi", "")
    if chosen:
        unit = _units(request).filter(pk=chosen).first() if chosen.isdigit() else None
        if unit is None:
            raise Http404("Không tìm thấy đơn vị.")
    else:
        unit = permissions.acting_unit_or_404(request.user)
    fmt = request.GET.get("dinh_dang", "docx")
    period = request.GET.get("ky", "")[:10] or str(timezone.localdate().year)
    try:
        window = calendar.report_window(unit, period)
        if not window.in_calendar:
            raise ValueError(
                f"Lịch báo cáo định kỳ của {unit.name} không có kỳ {period_name(period)}."
            )
        req = ReportRequest(
            unit,
            period,
            difficulties=request.GET.get("kho_khan", "")[:5000],
            proposals=request.GET.get("de_xuat", "")[:5000],
            window=window,
        )
        content, content_type, name = report_file(req, fmt)
    except (ValueError, OfficialDocError) as error:
        return render(
            request,
            "error.html",
            {"status": 400, "title": "Không lập được báo cáo", "message": str(error)},
            status=400,
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _rule_forms(request: HttpRequest, unit: Any) -> list[tuple[str, str, RuleForm]]:
    """One form per slot, filled from the unit's calendar in force (its own, the commune's or
    the defaults) and, for slots not reported, the Decree 09/2019 cut-off."""
    specs = {spec.slot: spec for spec in calendar.rules_by_unit([unit])[unit.pk][0]}
    staff = Staff.objects.filter(unit=unit, is_active=True).order_by("full_name")
    forms_ = []
    for slot in Slot:
        spec = specs.get(slot.value)
        cut_from, cut_to = calendar.DECREE_09_CUTOFFS[slot.value]
        if spec is not None:
            cut_from, cut_to = spec.cutoff_from, spec.cutoff_to
        initial = {
            "used": spec is not None,
            "cutoff_from_month": cut_from[0],
            "cutoff_from_day": cut_from[1],
            "cutoff_to_month": cut_to[0],
            "cutoff_to_day": cut_to[1],
            "due_workdays": spec.due_workdays if spec else 2,
            "due_month": spec.due_fixed[0] if spec and spec.due_fixed else None,
            "due_day": spec.due_fixed[1] if spec and spec.due_fixed else None,
            "remind_days_before": spec.remind_days_before if spec else 7,
            "responsible": spec.responsible.pk if spec and spec.responsible else None,
        }
        form = RuleForm(
            request.POST if request.method == "POST" else None,
            prefix=slot.value,
            initial=initial,
            staff=staff,
        )
        forms_.append((slot.value, slot.label, form))
    return forms_


@require_http_methods(["GET", "POST"])
@login_required
def calendar_edit(request: AuthedHttpRequest) -> HttpResponse:
    """The unit's leaders set its reporting calendar (a commune's is its schools' default)."""
    unit = _own_unit(request, "lịch báo cáo do lãnh đạo đơn vị đó sửa")
    forms_ = _rule_forms(request, unit)
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            rows: dict[str, dict[str, Any]] | None = {}
        elif all(form.is_valid() for _, _, form in forms_):
            rows = {
                slot: form.cleaned_data for slot, _, form in forms_ if form.cleaned_data["used"]
            }
            if not rows:
                error = "Chọn ít nhất một kỳ báo cáo, hoặc bấm «Theo lịch của cấp trên»."
                rows = None
        else:
            rows = None
            error = "Có ô nhập chưa hợp lệ, xem thông báo ở từng dòng."
        if rows is not None:
            try:
                calendar_services.calendar_save(actor=request.user, unit=unit, rows=rows)
            except ValidationError as failure:
                error = failure.messages[0]
            else:
                messages.success(request, f"Đã lưu lịch báo cáo của {unit.name}.")
                return redirect("reports:calendar")
    source = calendar.rules_by_unit([unit])[unit.pk][1]
    return render(
        request,
        "reports/calendar_edit.html",
        {"unit": unit, "forms": forms_, "error": error, "source": source},
        status=422 if error else 200,
    )

"""Staff pages: fees, bills, cash, notices, receipts, statements, the unmatched queue, figures.

Each view: guard (permission, scoped selector) → form → service → render; a service's
ValidationError becomes 422 on the form, a PaymentConflict 409.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse as django_reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.form_errors import add_validation_errors
from cchc.core.numbers import parse_int_in_range
from cchc.core.official_docs import OfficialDocError, docx_to_pdf
from cchc.kpi import registry
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit
from cchc.payments import kpis, papers, selectors, services
from cchc.payments.codes import normalise_code
from cchc.payments.forms import (
    CashForm,
    ClassListForm,
    FeeForm,
    IgnoreForm,
    MatchForm,
    StatementForm,
)
from cchc.payments.matching import suggestions
from cchc.payments.models import Bill, BillStatus
from cchc.payments.statements import formats as statement_formats

UPLOAD_SECONDS = 3600
FORMATS = ("docx", "pdf")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404("Định dạng tệp không hỗ trợ.")


def _file(content: bytes, name: str, fmt: str) -> HttpResponse:
    content_type = papers.DOCX_TYPE
    if fmt == "pdf":
        try:
            content = docx_to_pdf(content)
        except OfficialDocError as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
        content_type = "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_safe
@login_required
def bill_list(request: AuthedHttpRequest) -> HttpResponse:
    """Bills with filters kept in the URL (status, class, code or name)."""
    permissions.require(request.user, permissions.VIEW_PAYMENTS)
    status = request.GET.get("trang_thai", "")
    class_name = request.GET.get("lop", "")[:20]
    query = request.GET.get("q", "").strip()[:100]
    bills = selectors.bill_list_for_user(
        user=request.user,
        status=status,
        class_name=class_name,
        query=query,
        fee_id=request.GET.get("khoan"),
    )
    context = {
        "bills": bills[:500],
        "total": bills.count(),
        "statuses": BillStatus.choices,
        "classes": selectors.class_names_for_user(user=request.user),
        "filters": {"trang_thai": status, "lop": class_name, "q": query},
        "can_manage": permissions.can(request.user, permissions.MANAGE_PAYMENTS),
    }
    return render(request, "payments/bill_list.html", context)


def _bill_page(
    request: HttpRequest, bill: Bill, form: CashForm | None, status: int = 200
) -> HttpResponse:
    can_manage = permissions.can(request.user, permissions.MANAGE_PAYMENTS, bill.unit)
    context = {
        "bill": bill,
        "payments": bill.payments.select_related("receipt").order_by("paid_on", "pk"),
        "form": form
        or (
            CashForm(
                initial={
                    "amount_vnd": bill.outstanding_vnd or None,
                    "paid_on": timezone.localdate(),
                }
            )
            if can_manage
            else None
        ),
        "can_manage": can_manage,
        "show_personal": permissions.can(request.user, permissions.VIEW_PERSONAL_DATA, bill.unit),
        "public_url": papers.public_url(bill),
        # The link staff click opens on this server; the printed address is CCHC_PUBLIC_URL's.
        "public_path": django_reverse("portal:payment", args=[bill.code]),
    }
    return render(request, "payments/bill_detail.html", context, status=status)


@require_safe
@login_required
def bill_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One bill: balance, payments with their receipts, the cash form."""
    return _bill_page(request, selectors.bill_get_for_user(user=request.user, pk=pk), None)


@require_POST
@login_required
def bill_cash(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Record a cash payment, with its reason (it counts against the cashless rate)."""
    bill = selectors.bill_get_for_user(user=request.user, pk=pk)
    permissions.require(request.user, permissions.MANAGE_PAYMENTS, bill.unit)
    form = CashForm(request.POST)
    if form.is_valid():
        try:
            payment = services.cash_payment_record(
                actor=request.user, bill=bill, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, f"Đã ghi nhận tiền mặt, biên lai số {payment.receipt.display_number}."
            )
            return redirect("payments:bill_detail", pk=bill.pk)
    bill.refresh_from_db()
    return _bill_page(request, bill, form, status=422)


@require_http_methods(["GET", "POST"])
@login_required
def fee_list(request: AuthedHttpRequest) -> HttpResponse:
    """Fees of the unit, and the form to declare one."""
    permissions.require(request.user, permissions.VIEW_PAYMENTS)
    unit = permissions.acting_unit_or_404(request.user)
    can_manage = permissions.can(request.user, permissions.MANAGE_PAYMENTS, unit)
    form = FeeForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        permissions.require(request.user, permissions.MANAGE_PAYMENTS, unit)
        if form is not None and form.is_valid():
            try:
                fee = services.fee_create(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Đã thêm khoản thu «{fee.name}».")
                return redirect("payments:fees")
    fees = selectors.fee_list_for_user(user=request.user)
    status = 422 if form is not None and form.errors else 200
    return render(
        request,
        "payments/fee_list.html",
        {"fees": fees, "form": form, "can_manage": can_manage},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def fee_bill(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Bill a whole class list for a fee (XLSX or CSV), then print the notices."""
    fee = selectors.fee_get_for_user(user=request.user, pk=pk)
    permissions.require(request.user, permissions.MANAGE_PAYMENTS, fee.unit)
    form = ClassListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = request.FILES.get("file")
        try:
            result = services.bills_from_class_list(
                actor=request.user,
                unit=fee.unit,
                fee=fee,
                filename=(upload.name or "") if upload is not None else "",
                content=form.cleaned_data["file"],
                collector=permissions.acting_staff(request.user),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã lập {len(result.created)} giấy báo thu"
                + (f", bỏ qua {result.skipped} học sinh đã có." if result.skipped else "."),
            )
            return redirect(f"{_url('payments:bills')}?khoan={fee.pk}")
    classes = sorted(set(fee.bills.exclude(class_name="").values_list("class_name", flat=True)))
    return render(
        request,
        "payments/fee_bill.html",
        {"fee": fee, "form": form, "classes": classes},
        status=422 if form.errors else 200,
    )


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@require_safe
@login_required
def notices(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Printable notices of one class for a fee, two per row with their VietQR codes."""
    _check_format(fmt)
    fee = selectors.fee_get_for_user(user=request.user, pk=pk)
    class_name = request.GET.get("lop", "")[:20]
    bills = list(
        selectors.bill_list_for_user(user=request.user, fee_id=fee.pk, class_name=class_name)
        .filter(status__in=[BillStatus.UNPAID, BillStatus.PARTIAL])
        .select_related("unit__parent")
    )
    if not bills:
        messages.error(request, "Không có khoản thu chưa nộp nào để in giấy báo.")
        return redirect("payments:fee_bill", pk=fee.pk)
    title = f"{fee.name}" + (f" – lớp {class_name}" if class_name else "")
    content = papers.notices_docx(fee.unit, bills, title=title)
    return _file(content, f"giay-bao-thu-{fee.pk}-{class_name or 'tat-ca'}", fmt)


@require_safe
@login_required
def receipt(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A receipt (biên lai) as DOCX or PDF."""
    _check_format(fmt)
    found = selectors.receipt_get_for_user(user=request.user, pk=pk)
    return _file(papers.receipt_docx(found), f"bien-lai-{found.year}-{found.number:06d}", fmt)


@require_http_methods(["GET", "POST"])
@login_required
def statements(request: AuthedHttpRequest) -> HttpResponse:
    """Import a bank statement; unknown columns get a manual mapping over the same upload."""
    permissions.require(request.user, permissions.VIEW_PAYMENTS)
    unit = permissions.acting_unit_or_404(request.user)
    can_manage = permissions.can(request.user, permissions.MANAGE_PAYMENTS, unit)
    form = StatementForm()
    status = 200
    if request.method == "POST":
        permissions.require(request.user, permissions.MANAGE_PAYMENTS, unit)
        form, status = _import(request, unit)
        if status == 302:
            return redirect("payments:statements")
    context = {
        "form": form,
        "can_manage": can_manage,
        "statements": selectors.statement_list_for_user(user=request.user)[:50],
        "formats": statement_formats(),
    }
    return render(request, "payments/statement_list.html", context, status=status)


def _import(request: AuthedHttpRequest, unit: Unit) -> tuple[StatementForm, int]:
    token = request.POST.get("token", "")
    key = f"payments-upload:{request.user.pk}:{token}"
    stored = cache.get(key) if token else None
    headers = stored["headers"] if stored else None
    form = StatementForm(request.POST, request.FILES, headers=headers)
    if not form.is_valid():
        return form, 422
    upload = request.FILES.get("file")
    if upload is not None:
        name, content, mapping = upload.name or "", upload.read(), None
    elif stored:
        name, content, mapping = stored["name"], stored["content"], form.mapping()
    else:
        form.add_error("file", "Hãy chọn tệp sao kê.")
        return form, 422
    try:
        result = services.statement_import(
            actor=request.user, unit=unit, filename=name, content=content, mapping=mapping
        )
    except ValidationError as error:
        problem = error.error_dict.get("file", [None])[0] if hasattr(error, "error_dict") else None
        if problem is not None and problem.code == "unknown_columns":
            token = secrets.token_urlsafe(16)
            headers = (problem.params or {})["headers"]
            cache.set(
                f"payments-upload:{request.user.pk}:{token}",
                {"name": name, "content": content, "headers": headers},
                UPLOAD_SECONDS,
            )
            form = StatementForm({"token": token}, headers=headers)
            form.is_valid()
            form.add_error(None, problem.message)
            return form, 422
        add_validation_errors(form, error)
        return form, 422
    except services.PaymentConflict as error:
        form.add_error(None, str(error))
        return form, 409
    cache.delete(key)
    statement = result.statement
    messages.success(
        request,
        f"Đã nhập {statement.credit_lines} khoản ghi có: {statement.matched_lines} khớp tự động, "
        f"{len(result.unmatched)} chờ ghép, {statement.duplicate_lines} đã có từ trước.",
    )
    return form, 302


@require_safe
@login_required
def queue(request: AuthedHttpRequest) -> HttpResponse:
    """Credits no rule could match, each with the likely bills."""
    permissions.require(request.user, permissions.VIEW_PAYMENTS)
    lines = list(selectors.unmatched_lines_for_user(user=request.user)[:200])
    rows = [{"line": line, "suggestions": suggestions(line.unit, line, limit=5)} for line in lines]
    can_manage = permissions.can(request.user, permissions.MANAGE_PAYMENTS)
    return render(request, "payments/line_queue.html", {"rows": rows, "can_manage": can_manage})


def _line_action(request: HttpRequest, pk: int, form_class: type, act: Any) -> HttpResponse:
    line = selectors.line_get_for_user(user=request.user, pk=pk)
    permissions.require(request.user, permissions.MANAGE_PAYMENTS, line.unit)
    form = form_class(request.POST)
    status = 422
    if form.is_valid():
        try:
            act(line, form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except services.PaymentConflict as error:
            form.add_error(None, str(error))
            status = 409
        else:
            return redirect("payments:queue")
    return render(request, "payments/line_error.html", {"form": form, "line": line}, status=status)


@require_POST
@login_required
def line_match(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Match an unmatched credit to the bill whose code the person typed."""

    def act(line: Any, data: dict[str, Any]) -> None:
        bill = (
            selectors.bill_list_for_user(user=request.user)
            .filter(unit=line.unit, code=normalise_code(data["bill_code"]))
            .first()
        )
        if bill is None:
            raise ValidationError({"bill_code": "Không tìm thấy khoản thu có mã này trong đơn vị."})
        services.line_match_manual(
            actor=request.user, line=line, bill=bill, version=data["version"]
        )

    return _line_action(request, pk, MatchForm, act)


@require_POST
@login_required
def line_ignore(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Take a credit that is not a fee payment out of the queue, with the reason."""

    def act(line: Any, data: dict[str, Any]) -> None:
        services.line_ignore(actor=request.user, line=line, **data)

    return _line_action(request, pk, IgnoreForm, act)


def _figure(code: str, units: Any, period: Period) -> dict[str, Any]:
    measure = registry.measure(code, units, period)
    return {
        "indicator": registry.get(code),
        "display": kpis.display_vnd(measure) if code in kpis.MONEY_CODES else measure.display(),
        "definition": kpis.DEFINITIONS[code],
    }


@require_safe
@login_required
def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    """Target 5: cashless rate by count and value, staff applying e-payment, per group and
    class; a vice principal sees the groups assigned to them."""
    permissions.require(request.user, permissions.VIEW_PAYMENTS)
    today = timezone.localdate()
    year = parse_int_in_range(request.GET.get("nam"), minimum=2000, maximum=2100) or today.year
    period = Period.year(year)
    units = permissions.visible_units(request.user)
    groups = selectors.groups_for_user(user=request.user)
    context = {
        "year": year,
        "period": period,
        "figures": [_figure(code, units, period) for code in kpis.CODES],
        "by_group": kpis.breakdown(units, period, by="group", groups=groups),
        "by_class": kpis.breakdown(units, period, by="class"),
    }
    return render(request, "payments/dashboard.html", context)

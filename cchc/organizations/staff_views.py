"""The unit's own staff pages (not the admin): add, edit, deactivate, import, issue log-ins."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.accounts.models import Role
from cchc.core.form_errors import add_validation_errors
from cchc.organizations import services, staff_accounts, staff_table
from cchc.organizations.forms import StaffForm, StaffImportForm
from cchc.organizations.models import Staff, Unit

if TYPE_CHECKING:
    from cchc.accounts.models import User


def _slips(issued: list[staff_accounts.IssuedAccount]) -> dict[str, Any]:
    """What the printed sheet needs: each account and, for those not e-mailed, a QR code."""
    import segno
    from django.utils.safestring import mark_safe

    return {
        "slips": [
            {
                "item": item,
                # segno writes the SVG itself from the link: no user text reaches it unescaped.
                "qr": mark_safe(segno.make(item.link, error="m").svg_inline(scale=3))  # noqa: S308
                if not item.emailed
                else "",
            }
            for item in issued
        ]
    }


def _managed_unit(request: HttpRequest) -> Unit:
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.MANAGE_STAFF, unit)
    return unit


def _managed_staff(request: HttpRequest, pk: int) -> Staff:
    unit = _managed_unit(request)
    staff = Staff.objects.filter(unit=unit, pk=pk).select_related("user", "group").first()
    if staff is None:
        raise Http404("Không tìm thấy viên chức.")
    return staff


def _group(actor: User, unit: Unit, data: dict[str, Any]) -> Any:
    if data.get("new_group"):
        existing = unit.groups.filter(name__iexact=data["new_group"]).first()
        return existing or services.group_create(actor=actor, unit=unit, name=data["new_group"])
    return data.get("group")


@require_http_methods(["GET", "POST"])
@login_required
def staff_new(request: AuthedHttpRequest) -> HttpResponse:
    """Add one person to the unit."""
    unit = _managed_unit(request)
    form = StaffForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff = services.staff_create(
                actor=request.user,
                unit=unit,
                full_name=" ".join(data["full_name"].split()),
                position=data["position"],
                group=_group(request.user, unit, data),
                email=data["email"],
                phone=data["phone"],
                has_signature_certificate=data["has_signature_certificate"],
                roles=data["roles"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Đã thêm {staff.full_name}.")
            return redirect("organizations:unit_detail", pk=unit.pk)
    return render(
        request,
        "organizations/staff_form.html",
        {"form": form, "unit": unit, "staff": None},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def staff_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Change a person's details, group and roles, or mark them as no longer working here."""
    staff = _managed_staff(request, pk)
    unit = staff.unit
    initial = {
        "full_name": staff.full_name,
        "position": staff.position,
        "group": staff.group_id,
        "email": staff.email,
        "phone": staff.phone,
        "roles": list(staff.role_assignments.values_list("role", flat=True)),
        "has_signature_certificate": staff.has_signature_certificate,
        "is_active": staff.is_active,
        "version": staff.updated_at.isoformat(),
    }
    form = StaffForm(request.POST or None, unit=unit, staff=staff, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["version"] != staff.updated_at.isoformat():
            form.add_error(
                None,
                "Người khác vừa sửa hồ sơ này. Hãy tải lại trang để xem bản mới rồi sửa lại.",
            )
            status = 409
        else:
            try:
                # The service saves a fresh, locked copy: name the saved person from it (the
                # `staff` read before the save still has the old name).
                saved = services.staff_update(
                    actor=request.user,
                    staff=staff,
                    full_name=" ".join(data["full_name"].split()),
                    position=data["position"],
                    group=_group(request.user, unit, data),
                    email=data["email"],
                    phone=data["phone"],
                    has_signature_certificate=data["has_signature_certificate"],
                    is_active=data["is_active"],
                )
                services.staff_set_roles(actor=request.user, staff=staff, roles=data["roles"])
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Đã lưu {saved.full_name}.")
                return redirect("organizations:unit_detail", pk=unit.pk)
    if form.errors and status == 200:
        status = 422
    return render(
        request,
        "organizations/staff_form.html",
        {"form": form, "unit": unit, "staff": staff},
        status=status,
    )


@require_POST
@login_required
@never_cache
def staff_account(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Create a person's log-in: the set-password link goes by e-mail or on a printed sheet."""
    staff = _managed_staff(request, pk)
    try:
        issued = staff_accounts.staff_account_issue(actor=request.user, staff=staff)
    except staff_accounts.AccountError as error:
        messages.error(request, str(error))
        return redirect("organizations:staff_edit", pk=staff.pk)
    return render(request, "organizations/staff_accounts.html", _slips([issued]))


@require_safe
@login_required
def staff_template(request: AuthedHttpRequest) -> HttpResponse:
    """The XLSX template of the staff import."""
    _managed_unit(request)
    response = HttpResponse(
        staff_table.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-nhan-su.xlsx"'
    return response


def _row_fields(item: dict[str, Any]) -> dict[str, Any]:
    """A posted row's columns as StaffRow takes them: roles a list, the rest text."""
    return {c: (list(item[c]) if c == "roles" else str(item[c])) for c in staff_table.COLUMNS}


def _rows_from_payload(raw: str) -> list[staff_table.StaffRow]:
    try:
        items = json.loads(raw)
        rows = [staff_table.StaffRow(line=int(i["line"]), **_row_fields(i)) for i in items]
    except (ValueError, KeyError, TypeError):
        raise ValidationError("Dữ liệu xem trước không hợp lệ; hãy tải tệp lên lại.") from None
    known = set(Role.values)
    for row in rows:
        if not row.full_name or any(r not in known for r in row.roles):
            raise ValidationError("Dữ liệu xem trước không hợp lệ; hãy tải tệp lên lại.")
    return rows


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def staff_import(request: AuthedHttpRequest) -> HttpResponse:
    """Upload a list → preview with per-row errors → confirm; nothing is saved on any error."""
    unit = _managed_unit(request)
    form = StaffImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "unit": unit}
    if request.method == "POST" and "payload" in request.POST:
        try:
            rows = _rows_from_payload(request.POST["payload"])
            created = services.staff_import(actor=request.user, unit=unit, rows=rows)
        except ValidationError as error:
            context["form"] = StaffImportForm()
            context["errors"] = error.messages
            return render(request, "organizations/staff_import.html", context, status=422)
        issued = []
        if request.POST.get("issue_accounts"):
            issued = [
                staff_accounts.staff_account_issue(actor=request.user, staff=s) for s in created
            ]
        messages.success(request, f"Đã thêm {len(created)} người vào {unit.name}.")
        if issued:
            return render(request, "organizations/staff_accounts.html", _slips(issued))
        return redirect("organizations:unit_detail", pk=unit.pk)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = staff_table.parse_table(upload.read(), upload.name)
        except staff_table.TableError as error:
            form.add_error("file", str(error))
        else:
            services.staff_import_check(unit=unit, rows=rows)
            context["rows"] = rows
            context["error_count"] = sum(bool(r.errors) for r in rows)
            context["payload"] = json.dumps([r.to_json() for r in rows], ensure_ascii=False)
            status = 422 if context["error_count"] else 200
            return render(request, "organizations/staff_import.html", context, status=status)
    return render(
        request,
        "organizations/staff_import.html",
        context,
        status=422 if form.errors else 200,
    )

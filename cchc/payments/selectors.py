"""Reads of the payments module, scoped to the acting user's units; the public bill view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cchc.accounts import permissions
from cchc.core.numbers import parse_id
from cchc.organizations.models import Group
from cchc.payments.codes import normalise_code
from cchc.payments.models import (
    Bill,
    BillStatus,
    Fee,
    LineStatus,
    Receipt,
    Statement,
    StatementLine,
)
from cchc.payments.papers import bill_payload
from cchc.payments.qr_images import qr_svg

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def _scoped(queryset: QuerySet, user: AnyUser) -> QuerySet:
    if not permissions.can(user, permissions.VIEW_PAYMENTS):
        return queryset.none()
    return permissions.scope_to_units(queryset, user)


def fee_list_for_user(*, user: AnyUser) -> QuerySet[Fee]:
    return _scoped(Fee.objects.select_related("unit"), user)


def fee_get_for_user(*, user: AnyUser, pk: Any) -> Fee:
    pk_value = parse_id(str(pk))
    fee = None if pk_value is None else fee_list_for_user(user=user).filter(pk=pk_value).first()
    if fee is None:
        raise Http404("Không tìm thấy khoản thu.")
    return fee


def bill_list_for_user(
    *, user: AnyUser, status: str = "", class_name: str = "", query: str = "", fee_id: Any = None
) -> QuerySet[Bill]:
    """Bills the user may see, filtered by what the list page's URL says."""
    # PostgreSQL refuses NUL in a query parameter (a 500); no class or name contains one.
    class_name, query = class_name.replace("\x00", ""), query.replace("\x00", "")
    bills = _scoped(Bill.objects.select_related("unit", "fee", "collector"), user)
    if status in BillStatus.values:
        bills = bills.filter(status=status)
    elif status == "overdue":
        bills = bills.filter(status__in=[BillStatus.UNPAID, BillStatus.PARTIAL])
    if class_name:
        bills = bills.filter(class_name=class_name)
    if fee_id and parse_id(str(fee_id)):
        bills = bills.filter(fee_id=parse_id(str(fee_id)))
    if query:
        code = normalise_code(query)
        bills = bills.filter(
            Q(code=code) | Q(student_name__icontains=query) | Q(payer_name__icontains=query)
        )
    return bills


def bill_get_for_user(*, user: AnyUser, pk: Any) -> Bill:
    pk_value = parse_id(str(pk))
    bill = None if pk_value is None else bill_list_for_user(user=user).filter(pk=pk_value).first()
    if bill is None:
        raise Http404("Không tìm thấy khoản thu.")
    return bill


def class_names_for_user(*, user: AnyUser) -> list[str]:
    return list(
        bill_list_for_user(user=user)
        .exclude(class_name="")
        .values_list("class_name", flat=True)
        .distinct()
        .order_by("class_name")
    )


def receipt_get_for_user(*, user: AnyUser, pk: Any) -> Receipt:
    receipt = (
        _scoped(Receipt.objects.select_related("payment__bill__unit__parent"), user)
        .filter(pk=parse_id(str(pk)))
        .first()
    )
    if receipt is None:
        raise Http404("Không tìm thấy biên lai.")
    return receipt


def statement_list_for_user(*, user: AnyUser) -> QuerySet[Statement]:
    return _scoped(Statement.objects.select_related("imported_by"), user)


def unmatched_lines_for_user(*, user: AnyUser) -> QuerySet[StatementLine]:
    return _scoped(
        StatementLine.objects.filter(status=LineStatus.UNMATCHED).select_related("statement"),
        user,
    ).order_by("posted_on", "row_number")


def line_get_for_user(*, user: AnyUser, pk: Any) -> StatementLine:
    line = (
        _scoped(StatementLine.objects.select_related("unit"), user)
        .filter(pk=parse_id(str(pk)))
        .first()
    )
    if line is None:
        raise Http404("Không tìm thấy dòng sao kê.")
    return line


def groups_for_user(*, user: AnyUser) -> QuerySet[Group]:
    """The groups (tổ) whose figures the user follows: a vice principal the groups assigned to
    them (the plan: "tại các tổ được phân công quản lý"), the principal and others all groups of
    the units they see."""
    from cchc.accounts.models import Role

    groups = _scoped(Group.objects.all(), user).order_by("unit__name", "name")
    staff = permissions.acting_staff(user)
    is_vice = permissions.has_role(user, Role.VICE_PRINCIPAL)
    if is_vice and staff and not permissions.has_role(user, Role.PRINCIPAL, Role.SYSTEM_ADMIN):
        groups = groups.filter(supervisor=staff)
    return groups


@dataclass(frozen=True)
class PublicBill:
    """What anyone holding the code may see: no names, no phone, no class."""

    code: str
    unit_name: str
    reason: str
    amount_vnd: int
    paid_vnd: int
    outstanding_vnd: int
    status: str
    status_label: str
    due_on: date
    payload: str | None
    qr_svg: str
    bank_name: str
    account: str
    account_holder: str


def public_bill(code: str) -> PublicBill | None:
    from cchc.payments.banks import bank_by_bin

    bill = (
        Bill.objects.select_related("unit")
        .filter(code=normalise_code(code))
        .exclude(status=BillStatus.CANCELLED)
        .first()
    )
    if bill is None:
        return None
    payload = bill_payload(bill)
    bank = bank_by_bin(bill.unit.bank_bin)
    return PublicBill(
        code=bill.code,
        unit_name=bill.unit.name,
        reason=bill.reason,
        amount_vnd=bill.amount_vnd,
        paid_vnd=bill.paid_vnd,
        outstanding_vnd=bill.outstanding_vnd,
        status=bill.status,
        status_label=bill.get_status_display(),
        due_on=bill.due_on,
        payload=payload,
        qr_svg=qr_svg(payload, title=f"Mã VietQR khoản thu {bill.code}") if payload else "",
        bank_name=bank.short_name if bank else bill.unit.bank_bin,
        account=bill.unit.bank_account,
        account_holder=bill.unit.bank_account_holder,
    )

"""Payments over the API: bills (list, one, cash), the cashless figures, VietQR decoding, and
the public status of a bill by its code."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.api.dossiers import Id, NoNul
from cchc.api.guards import path_text, permitted
from cchc.api.limits import TooManyRequests
from cchc.core.ratelimit import hit
from cchc.kpi import registry
from cchc.payments import kpis, selectors, services
from cchc.payments.models import Bill
from cchc.payments.vietqr import decode

router = Router(tags=["Thu phí không dùng tiền mặt"])
public_router = Router(tags=["Tra cứu công khai"])


class BillOut(Schema):
    id: int
    code: str
    kind: str
    reason: str
    amount_vnd: int
    paid_vnd: int
    status: str
    student_name: str
    class_name: str
    payer_name: str
    payer_phone: str | None
    payer_email: str | None
    issued_on: date
    due_on: date
    dossier_code: str
    version: int


class CashIn(Schema):
    amount_vnd: Annotated[int, Field(ge=1, le=10**12)]
    paid_on: date
    reason: Annotated[str, Field(max_length=300), NoNul]


class PaymentOut(Schema):
    id: int
    bill_code: str
    amount_vnd: int
    method: str
    paid_on: date
    receipt_number: str


class MeasureOut(Schema):
    code: str
    name: str
    value: float | None
    numerator: int
    denominator: int
    display: str


class DecodeOut(Schema):
    valid: bool
    error: str
    bin: str | None
    account: str | None
    amount: int | None
    currency: str | None
    country: str | None
    purpose: str | None
    crc: str | None


class PublicBillOut(Schema):
    code: str
    unit: str
    reason: str
    amount_vnd: int
    paid_vnd: int
    status: str
    due_on: date
    vietqr: str | None


def _out(request: HttpRequest, bill: Bill) -> dict:
    personal = permissions.can(request.user, permissions.VIEW_PERSONAL_DATA, bill.unit)
    return {
        **{f: getattr(bill, f) for f in BillOut.model_fields if hasattr(bill, f)},
        "payer_phone": bill.payer_phone if personal else None,
        "payer_email": bill.payer_email if personal else None,
    }


@router.get("/payments/bills", response=list[BillOut], summary="Khoản thu")
def bill_list(
    request: AuthedHttpRequest, status: str = "", class_name: str = "", limit: int = 200
) -> list[dict]:
    permissions.require(request.user, permissions.VIEW_PAYMENTS)
    bills = selectors.bill_list_for_user(
        user=request.user, status=status[:20], class_name=class_name[:20]
    )
    return [_out(request, b) for b in bills[: max(1, min(limit, 1000))]]


@router.get("/payments/bills/{bill_id}", response=BillOut, summary="Một khoản thu")
def bill_get(request: AuthedHttpRequest, bill_id: Id) -> dict:
    return _out(request, selectors.bill_get_for_user(user=request.user, pk=bill_id))


def _may_take_cash(request: HttpRequest, user: Any) -> None:
    bill = selectors.bill_get_for_user(user=user, pk=path_text(request, "bill_id"))
    permissions.require(user, permissions.MANAGE_PAYMENTS, bill.unit)


@router.post(
    "/payments/bills/{bill_id}/cash",
    response={201: PaymentOut},
    summary="Ghi nhận tiền mặt",
    auth=permitted(_may_take_cash),
)
def bill_cash(request: AuthedHttpRequest, bill_id: Id, payload: CashIn) -> Status:
    bill = selectors.bill_get_for_user(user=request.user, pk=bill_id)
    permissions.require(request.user, permissions.MANAGE_PAYMENTS, bill.unit)
    try:
        payment = services.cash_payment_record(actor=request.user, bill=bill, **payload.dict())
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    return Status(
        201,
        {
            "id": payment.pk,
            "bill_code": bill.code,
            "amount_vnd": payment.amount_vnd,
            "method": payment.method,
            "paid_on": payment.paid_on,
            "receipt_number": payment.receipt.display_number,
        },
    )


@router.get("/payments/kpis", response=list[MeasureOut], summary="Chỉ số không dùng tiền mặt")
def payment_kpis(request: AuthedHttpRequest, year: Annotated[int, Field(ge=2000, le=2100)]) -> list:
    permissions.require(request.user, permissions.VIEW_PAYMENTS)
    units = permissions.visible_units(request.user)
    out = []
    for code in kpis.CODES:
        measure = registry.measure(code, units, registry.Period.year(year))
        out.append(
            {
                "code": code,
                "name": registry.name_of(code),
                "value": float(measure.value) if measure.value is not None else None,
                "numerator": int(measure.numerator),
                "denominator": int(measure.denominator),
                "display": measure.display(),
            }
        )
    return out


@router.get("/payments/vietqr/decode", response=DecodeOut, summary="Đọc chuỗi VietQR")
def vietqr_decode(
    request: AuthedHttpRequest, payload: Annotated[str, Field(max_length=512)]
) -> dict:
    return decode(payload).as_json()


@public_router.get(
    "/public/payments/{code}", response=PublicBillOut, auth=None, summary="Trạng thái khoản thu"
)
def public_bill(request: HttpRequest, code: str) -> dict:
    if not hit(request, "payment"):
        raise TooManyRequests(request)
    bill = selectors.public_bill(code[:40])
    if bill is None:
        raise HttpError(404, "Không tìm thấy khoản thu có mã này.")
    return {
        "code": bill.code,
        "unit": bill.unit_name,
        "reason": bill.reason,
        "amount_vnd": bill.amount_vnd,
        "paid_vnd": bill.paid_vnd,
        "status": bill.status,
        "due_on": bill.due_on,
        "vietqr": bill.payload,
    }

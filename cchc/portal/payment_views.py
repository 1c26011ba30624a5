"""The public payment page of a bill: amount, reason, VietQR, status; nothing personal.

Parents reach it from the QR or link on the paper notice; anyone with the code sees what it
costs and whether it is paid, never who the pupil or the payer is (design.md section 4).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cchc.core.ratelimit import hit
from cchc.payments import selectors as payment_selectors
from cchc.portal.views import too_many_requests


@require_safe
def payment(request: HttpRequest, code: str) -> HttpResponse:
    """Pay one bill by scanning its VietQR with any bank's app."""
    if not hit(request, "payment"):
        return too_many_requests(request)
    bill = payment_selectors.public_bill(code[:40])
    if bill is None:
        return render(request, "portal/payment.html", {"bill": None, "code": code[:40]}, status=404)
    return render(request, "portal/payment.html", {"bill": bill})

"""In Debian's Chromium: the Content-Security-Policy breaks nothing (issue 10 item 12).

A page that relies on an inline script or style, or on an outside host, fails quietly under the
policy; the browser reports each refusal on the console. The principal's pages (with htmx), the
API docs (served from our static files) and the public pages at phone width must report none.
"""

from __future__ import annotations

import pytest

from cchc.accounts.models import User
from cchc.organizations.demo import DEMO_PASSWORD, seed_base
from cchc.organizations.models import Unit
from cchc.surveys.demo import SCHOOL_CODE, seed_parents_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_breaks_the_content_security_policy(live_server, page) -> None:
    seed_base()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )

    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/thu-tuc/", "/tra-cuu/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("trangntt")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)  # the landing page, whichever it is
    for path in ("/quan-ly/ho-so/", "/quan-ly/lich-lam-viec/", "/quan-ly/nhat-ky/", "/api/v1/docs"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    docs_rendered = page.locator(".swagger-ui").count()

    # The poster's print button (QA walk: an inline onclick did nothing under the policy).
    campaign = seed_parents_survey(
        Unit.objects.get(code=SCHOOL_CODE), User.objects.get(username="trangntt"), responses=0
    )
    assert campaign is not None
    page.goto(f"{live_server.url}/quan-ly/khao-sat/{campaign.pk}/ap-phich/")
    page.wait_for_load_state("networkidle")
    # (a function, so the assignment's value, itself a function, is not called on the spot)
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="In áp phích").click()
    printed = page.evaluate("window.printed")

    assert refused == []
    assert outside == []
    assert docs_rendered >= 1  # Swagger UI ran from /static/ninja/
    assert printed == 1

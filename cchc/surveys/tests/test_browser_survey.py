"""In Debian's Chromium: a parent answers on a phone, then two visitors use the reception kiosk."""

from __future__ import annotations

import pytest

from cchc.surveys import services
from cchc.surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_on_a_phone_then_the_kiosk(live_server, page, campaign, principal) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/khao-sat/{campaign.public_key}/")
    assert page.locator("h1").inner_text() == campaign.title
    # Sending without the required answers keeps the page and says what is missing.
    page.get_by_role("button", name="Gửi phiếu").click()
    assert "còn 2 câu cần xem lại" in page.locator("#survey-errors").inner_text()
    assert "bắt buộc" in page.locator("#cau-overall .error-message").inner_text()
    page.get_by_label("Cha mẹ học sinh").check()
    page.locator('#cau-overall input[value="5"]').check()
    page.locator('#cau-toilets input[value="2"]').check()
    page.locator('#cau-safety input[value="0"]').check()  # "Không ý kiến"
    page.get_by_label("Cơ sở vật chất").check()
    page.get_by_label("Lớp của học sinh (không bắt buộc)").fill("8A")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Gửi phiếu").click()
    assert "đã được ghi nhận" in page.locator("#survey-done").inner_text()
    # The same phone cannot answer twice: scanning the poster again thanks, with no form.
    page.goto(f"{live_server.url}/khao-sat/{campaign.public_key}/")
    assert "Thiết bị này đã gửi phiếu" in page.locator("#survey-message").inner_text()
    assert page.get_by_role("button", name="Gửi phiếu").count() == 0

    # The reception tablet: one visitor after another on the same device.
    page.set_viewport_size({"width": 800, "height": 1280})
    page.goto(f"{live_server.url}/khao-sat/quay/{campaign.kiosk_key}/")
    for score in ("4", "3"):
        page.get_by_label("Cha mẹ học sinh").check()
        page.locator(f'#cau-overall input[value="{score}"]').check()
        page.get_by_role("button", name="Gửi phiếu").click()
        assert "đã được ghi nhận" in page.locator("#survey-done").inner_text()
        page.locator("#next-person").click()
        page.wait_for_selector("#cau-overall")

    assert Response.objects.filter(channel="link").count() == 1
    assert Response.objects.filter(channel="kiosk").count() == 2
    assert Response.objects.get(channel="link").segment == "8A"
    link = Response.objects.get(channel="link")
    assert list(link.answers.filter(question__code="overall").values_list("scale", flat=True)) == [
        5
    ]

    # Published results fit the phone too (tables and charts scroll inside their boxes).
    services.campaign_publish(actor=principal.user, campaign=campaign)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/khao-sat/ket-qua/{campaign.public_key}/")
    # Pooled valid answers 5, 2 (phone) and 4, 3 (kiosk): 2 of 4 satisfied.
    assert "Tỷ lệ hài lòng: 50% (2/4" in page.locator("#overall-rate").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

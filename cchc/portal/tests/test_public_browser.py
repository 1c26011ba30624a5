"""Issue 8 points 16 and 17 in Chromium on a phone: a parent reaches the other school's own
catalogue from its page, submits once, reloads the confirmation and still has one dossier."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_submits_to_the_right_school_once_on_a_phone(live_server, page, tmp_path) -> None:
    from cchc.dossiers import procedures
    from cchc.dossiers.models import Dossier
    from cchc.organizations.demo import seed_base
    from cchc.organizations.models import Unit, UnitKind

    seed_base()
    schools = list(Unit.objects.filter(kind=UnitKind.SCHOOL).order_by("path")[:2])
    home_school, other = schools
    for school in schools:
        procedures.procedure_seed_defaults(actor=None, unit=school)
    scan = tmp_path / "giay.pdf"
    scan.write_bytes(b"%PDF-1.4 giay to\n%%EOF\n")
    page.set_viewport_size({"width": 360, "height": 740})

    other.phone, other.email = "0283 123 4567", "thcs@example.edu.vn"
    other.save(update_fields=["phone", "email"])
    page.goto(f"{live_server.url}/don-vi/{other.code}/")
    for link in ("a[href^='tel:']", "a[href^='mailto:']"):  # a thumb can hit them (WCAG 2.5.8)
        box = page.locator(link).first.bounding_box()
        assert box is not None
        assert box["height"] >= 44
    assert page.locator("a[href^='tel:']").first.get_attribute("href") == "tel:02831234567"
    page.get_by_role("link", name="Thủ tục hành chính").click()
    assert other.display_name in page.locator("h1").inner_text()
    page.get_by_role("link", name="Chuyển trường đối với học sinh trung học cơ sở").click()
    # Breadcrumbs, blank forms and the phone number are thumb-sized too (44 px, like buttons).
    small = [".breadcrumb a", "#blank-forms a", "#counter a[href^='tel:']"]
    for selector in small:
        links = page.locator(selector)
        assert links.count() > 0, selector
        for link in links.all():
            box = link.bounding_box()
            assert box is not None
            assert box["height"] >= 44, selector
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    assert other.name in page.locator("#submit-unit").inner_text()
    page.get_by_label("Họ và tên người nộp").fill("Võ Thị Ngọc Hân")
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    for upload in page.locator("input[type=file]").all():
        upload.set_input_files(str(scan))
    page.get_by_role("button", name="Nộp hồ sơ").click()

    code = page.locator("#new-code").inner_text()
    assert "…4321" in page.locator("#phone-hint").inner_text()
    page.reload()
    assert page.locator("#new-code").inner_text() == code
    page.go_back()  # back to the form, which the browser may post again
    assert Dossier.objects.count() == 1
    dossier = Dossier.objects.get()
    assert dossier.code == code
    assert dossier.unit == other
    assert dossier.unit != home_school
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360

"""Every public page on a 390 px phone in Chromium (QA walk): nothing scrolls the page sideways,
the survey charts scale to the screen and their tables stack instead of scrolling, and every link
and button is a 44 px target a thumb can hit (WCAG 2.5.5; links inside a sentence are exempt)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Visible links, buttons and fields smaller than 44 px high; a checkbox or radio counts with the
# label around it, a link in running text (its block holds other words) is exempt.
SMALL_TARGETS = """() => {
  const small = [];
  for (const el of document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (el.closest('.trap')) continue;  // the spam trap nobody sees
    const target = el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')
      ? el.closest('label') : el;
    const box = target.getBoundingClientRect();
    if (box.width === 0 || box.right < 0 || box.left > innerWidth) continue;  // hidden, skip link
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      const block = el.closest('p, li, td, dd');
      if (block && block.textContent.trim().length > el.textContent.trim().length + 20) continue;
    }
    const name = (el.textContent || el.name).trim();
    if (box.height < 44) small.push(`${el.tagName} "${name}" ${Math.round(box.height)} px`);
  }
  return small;
}"""
# Boxes that scroll sideways inside the page (a chart wider than its box, a table in its wrap).
SIDEWAYS = """() => [...document.querySelectorAll('.chart-wrap, .table-wrap, svg.chart')]
  .filter(el => el.scrollWidth > el.clientWidth + 1
    || el.getBoundingClientRect().right > innerWidth)
  .map(el => el.className.baseVal ?? el.className)"""


def _public_site():
    """The demo school's public face: procedures, published feedback answers, an open survey and
    the published results of last October's parents' survey (the demo's own seeders)."""
    from cchc.dossiers import procedures
    from cchc.feedback.demo import seed_feedback
    from cchc.organizations.demo import seed_base
    from cchc.organizations.models import Staff, Unit
    from cchc.surveys import services
    from cchc.surveys.definitions import EDUCATION_TEMPLATE_KEY
    from cchc.surveys.demo import seed_parents_survey
    from cchc.surveys.models import Audience, CampaignStatus

    seed_base()
    school = Unit.objects.get(code="000.31.41.H29")
    principal = Staff.objects.get(unit=school, user__username="trangntt").user
    procedures.procedure_seed_defaults(actor=None, unit=school)
    seed_feedback(school, count=12)
    results = seed_parents_survey(school, principal, responses=40)
    template = next(
        t
        for t in services.templates_install_defaults(actor=principal, unit=school)
        if t.key == EDUCATION_TEMPLATE_KEY
    )
    today = timezone.localdate()
    survey = services.campaign_create(
        actor=principal,
        unit=school,
        template=template,
        title="Khảo sát cha mẹ học sinh học kỳ II",
        audience=Audience.ALL_PARENTS,
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=10),
    )
    services.campaign_set_status(actor=principal, campaign=survey, status=CampaignStatus.OPEN)
    return school, results, survey


def test_every_public_page_fits_a_phone_and_its_targets_a_thumb(live_server, page) -> None:
    from cchc.dossiers.models import Procedure
    from cchc.feedback.selectors import public_list

    school, results, survey = _public_site()
    answered = public_list(school).first()
    assert results is not None
    assert answered is not None
    procedure_list = f"/don-vi/{school.code}/thu-tuc/"
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{procedure_list}")
    detail = page.locator(".procedure-list h2 a").first.get_attribute("href")
    online = Procedure.objects.filter(unit=school).exclude(online_level="none").first()
    assert online is not None
    paths = [
        "/",
        f"/don-vi/{school.code}/",
        procedure_list,
        "/thu-tuc/",
        detail,
        "/tra-cuu/",
        f"/don-vi/{school.code}/phan-anh-kien-nghi/",
        f"/don-vi/{school.code}/phan-anh-kien-nghi/gui/",
        f"/don-vi/{school.code}/phan-anh-kien-nghi/{answered.tracking_code}/",
        f"/khao-sat/{survey.public_key}/",
        "/khao-sat/ket-qua/",
        f"/don-vi/{school.code}/thu-tuc/{online.pk}/nop-ho-so/",
        "/khong-co-trang-nay/",  # the error page, in the site's layout
        f"/khao-sat/ket-qua/{results.public_key}/",
    ]

    problems = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == (404 if "khong-co" in path else 200), path
        width = page.evaluate("document.scrollingElement.scrollWidth")
        found = page.evaluate(SMALL_TARGETS) + page.evaluate(SIDEWAYS)
        if width > PHONE["width"]:
            found.append(f"page {width} px wide")
        if found:
            problems[path] = found

    assert problems == {}
    # The results page: charts drawn to the screen's width, figures stacked under their names.
    chart = page.locator("svg.chart").first.bounding_box()
    assert chart is not None
    assert 300 <= chart["width"] <= PHONE["width"]
    cell = page.locator("#question-table tbody tr td").first
    assert cell.evaluate("td => getComputedStyle(td.parentElement).display") == "block"
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Rất không hài lòng"'  # each figure after its column's name

    # The feedback form's consent (QA walk: "a 21 px box"): the box sits inside its label, which
    # is the target, at least 44 px high (label.check), and a tap on its words ticks it.
    page.goto(f"{live_server.url}/don-vi/{school.code}/phan-anh-kien-nghi/gui/")
    _assert_label_is_the_target(page, "id_consent_to_publish")


def _assert_label_is_the_target(page, box_id: str) -> None:
    label = page.locator(f"label.check:has(#{box_id})")
    outer, inner = label.bounding_box(), page.locator(f"#{box_id}").bounding_box()
    assert outer is not None
    assert inner is not None
    assert outer["height"] >= 44, outer
    assert outer["width"] >= inner["width"] + 100  # the words are part of the target
    assert not page.locator(f"#{box_id}").is_checked()
    label.click(position={"x": outer["width"] - 10, "y": outer["height"] / 2})
    assert page.locator(f"#{box_id}").is_checked()

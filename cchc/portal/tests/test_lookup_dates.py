"""The public look-up tells a parent the truth about dates (the walk's three defects).

1. An apology's new appointment the clerk corrected (the head returned the letter,
   `dossier_apology_revise`) stays in the timeline, struck through and saying which date
   replaced it: the citizen may already hold the first date (the e-mail `_notify` sends), so a
   row that silently vanished would contradict it; the date in force is the corrected one.
2. While the citizen's papers are awaited the clock has stopped (Decree 61 Art. 19(4),
   domain.md 1.3): no due date is shown as if it still ran; the page says the dossier waits and
   how the due date comes back on receipt (counted again from zero by default).
3. An open dossier past its due date (or the apology's new date) says so plainly, by the
   business clock: the due moment is an instant in Vietnam's time (17:00 on the due day), not
   a server's calendar day.

The clock is frozen once per step in the test's own thread (`frozen_at`); the look-up runs in
that thread through Django's full chain (the test client).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cchc.dossiers import services
from cchc.dossiers.models import Apology, Dossier, SupplementRule
from cchc.dossiers.tests.factories import at, frozen_at
from cchc.dossiers.tests.test_apology_letters import _apologize, _receive
from cchc.dossiers.tests.test_apology_returned import _return, _revise

ORIGINAL_DUE = "07/12/2026 17:00"  # `_receive`: Mon 30/11/2026 09:00, due Mon 07/12/2026 17:00


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _page(dossier: Dossier, phone: str = "5678") -> str:
    url = reverse("portal:lookup_code", args=[dossier.code])
    response = Client().get(url + (f"?phone_last4={phone}" if phone else ""))
    assert response.status_code == 200
    return response.content.decode()


def _steps(page: str) -> dict[str, str]:
    """The timeline's rows by their minute ("03/12/2026 09:00")."""
    timeline = page.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    rows = re.findall(r"<li><strong>([\d/: ]+)</strong> — (.*?)</li>", timeline)
    return dict(rows)


def _details(page: str) -> str:
    return page.split('<dl class="details">', 1)[1].split("</dl>", 1)[0]


@pytest.mark.django_db
def test_a_corrected_appointment_replaces_the_first_in_the_timeline(
    school, principal, clerk, transfer
) -> None:
    dossier = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(clerk, dossier).status_code == 302  # for 10/12
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    with frozen_at(at(2026, 12, 3, 10, 0)):
        assert _return(principal, doc, "Hẹn ngày 09/12 là đủ").status_code == 302
    with frozen_at(at(2026, 12, 3, 15, 0)):
        assert _revise(clerk, dossier, "2026-12-09").status_code == 302
    with frozen_at(at(2026, 12, 3, 16, 0)):
        assert _return(principal, doc, "Lý do cần viết rõ hơn").status_code == 302
    with frozen_at(at(2026, 12, 3, 16, 30)):  # the reason only: the date stays 09/12
        assert _revise(clerk, dossier, "2026-12-09", reason="Chờ học bạ bản gốc").status_code == (
            302
        )

    with frozen_at(at(2026, 12, 4, 9, 0)):
        page = _page(dossier)
        masked = _page(dossier, phone="")
    steps = _steps(page)
    first, corrected, reworded = (
        steps["03/12/2026 09:00"],
        steps["03/12/2026 15:00"],
        steps["03/12/2026 16:30"],
    )
    assert first == (
        "Được tiếp nhận: <del>Đơn vị hẹn lại ngày trả kết quả: 10/12/2026 17:00; văn bản xin lỗi "
        "đang trình ký. Lý do: Trường nơi đi chưa gửi xác nhận học bạ</del> "
        "<strong>Ngày hẹn này đã được sửa thành 09/12/2026 17:00.</strong>"
    )
    # The correction that kept the date replaced nothing the citizen was told; the last stands.
    for row in (corrected, reworded):
        assert "<del>" not in row
        assert "Đơn vị sửa lại ngày hẹn trả kết quả: 09/12/2026 17:00" in row
    # The date in force is the corrected one; the first appears only struck through.
    assert "<dt>Hẹn lại</dt><dd>09/12/2026 17:00 (đang trình ký văn bản xin lỗi)</dd>" in page
    assert page.count("10/12/2026") == 1
    assert re.search(r"<del>[^<]*10/12/2026", page)
    # Without the phone's digits no step's note (nor any date in it) is shown, as before.
    assert "<del>" not in masked
    assert "10/12/2026" not in masked
    assert "<dt>Hẹn lại</dt><dd>09/12/2026 17:00" in masked


@pytest.mark.django_db
def test_while_papers_are_awaited_no_due_date_runs(school, principal, clerk, transfer) -> None:
    dossier = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 1, 9, 0)):
        services.dossier_request_supplement(
            actor=clerk.user, dossier=dossier, items=["Học bạ"], reason="Thiếu học bạ"
        )

    # Past the first due date: the clock stopped with the request, so nothing runs late.
    with frozen_at(at(2026, 12, 8, 9, 0)):
        pages = [_page(dossier), _page(dossier, phone="")]
    for page in pages:
        assert ORIGINAL_DUE not in page
        assert "07/12/2026" not in page
        waiting = re.search(r'<dt>Hẹn trả kết quả</dt><dd id="lookup-waiting">(.*?)</dd>', page)
        assert waiting is not None
        assert waiting[1] == (
            "Đang chờ ông/bà nộp bổ sung giấy tờ, thời hạn giải quyết tạm dừng. Khi đơn vị nhận "
            "đủ hồ sơ bổ sung, thời hạn được tính lại từ đầu và đơn vị hẹn ngày trả kết quả mới."
        )
        assert "Đã quá hạn" not in page
    assert "Thiếu học bạ" in pages[0]  # what to bring, for the applicant (as before)

    # A procedure whose rule moves the due date by the days waited says that instead.
    transfer.supplement_rule = SupplementRule.PAUSE
    transfer.save(update_fields=["supplement_rule"])
    with frozen_at(at(2026, 12, 8, 9, 0)):
        paused = _page(dossier, phone="")
    assert "được lùi thêm bằng số ngày làm việc đã chờ" in paused
    assert ORIGINAL_DUE not in paused

    # The papers arrive: the due date is back, moved by the 5 working days waited.
    with frozen_at(at(2026, 12, 8, 9, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
        back = _page(dossier, phone="")
    assert 'id="lookup-waiting"' not in back
    assert "<dt>Hẹn trả kết quả</dt><dd>14/12/2026 17:00</dd>" in back
    assert "Đã quá hạn" not in back


@pytest.mark.django_db
def test_an_open_dossier_past_its_appointment_says_so(school, principal, clerk, transfer) -> None:
    dossier = _receive(clerk, school, transfer)  # due Mon 07/12/2026 17:00 (Vietnam)
    badge = '<span class="badge bad">Đã quá hạn hẹn trả</span>'

    with frozen_at(at(2026, 12, 7, 16, 59)):
        before = _page(dossier)
    assert badge not in before
    assert 'id="lookup-overdue"' not in before
    # One minute past 17:00 on the due day, and early the next morning in Vietnam while the
    # server's UTC calendar still reads the due day (23:30 on 07/12): both past the due moment.
    for moment in (at(2026, 12, 7, 17, 1), at(2026, 12, 8, 6, 30)):
        with frozen_at(moment):
            late = _page(dossier, phone="")
        assert f"<dt>Trạng thái</dt><dd><strong>Được tiếp nhận</strong> {badge}</dd>" in late
        assert (
            '<p class="alert error" id="lookup-overdue">Đã quá hạn hẹn trả kết quả '
            f"({ORIGINAL_DUE}) nhưng hồ sơ chưa giải quyết xong." in late
        )

    # With an apology: the new date, and whether its letter has been sent yet.
    with_apology = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(clerk, with_apology).status_code == 302  # for 10/12
    with frozen_at(at(2026, 12, 8, 9, 0)):
        waiting_for_new_date = _page(with_apology, phone="")
    assert badge in waiting_for_new_date
    assert (
        f"Đã quá hạn hẹn trả kết quả ban đầu ({ORIGINAL_DUE}). Đơn vị đã hẹn lại ngày trả kết "
        "quả: 10/12/2026 17:00 (đang trình ký văn bản xin lỗi).</p>" in waiting_for_new_date
    )
    with frozen_at(at(2026, 12, 11, 9, 0)):
        past_both = _page(with_apology, phone="")
    assert (
        "Đã quá hạn hẹn trả kết quả, kể cả ngày hẹn lại 10/12/2026 17:00 (đang trình ký văn bản "
        f"xin lỗi), nhưng hồ sơ chưa giải quyết xong (hẹn ban đầu: {ORIGINAL_DUE})." in past_both
    )

    # A result, late or not, is no longer "overdue, not done".
    with frozen_at(at(2026, 12, 11, 10, 0)):
        services.dossier_decide(actor=principal.user, dossier=with_apology, granted=True)
        decided = _page(with_apology, phone="")
    assert badge not in decided
    assert 'id="lookup-overdue"' not in decided


@pytest.mark.django_db
def test_a_dossier_done_late_says_so_with_its_apology(school, principal, clerk, transfer) -> None:
    """QA: a dossier due 27/11 17:00 and done 30/11 07:40 showed "Đã xử lý xong" with no sign
    of lateness while the tracking book said "Quá hạn". Late by the one definition
    (`DossierQuerySet.with_measure`: the result's instant past the due instant)."""
    late = _receive(clerk, school, transfer)  # due Mon 07/12/2026 17:00
    on_time = _receive(clerk, school, transfer)
    apologised = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(clerk, apologised).status_code == 302  # for 10/12, letter unsigned
    with frozen_at(at(2026, 12, 7, 16, 0)):
        services.dossier_decide(actor=principal.user, dossier=on_time, granted=True)
    with frozen_at(at(2026, 12, 9, 7, 40)):
        services.dossier_decide(actor=principal.user, dossier=late, granted=True)
        apologised.refresh_from_db()
        services.dossier_decide(actor=principal.user, dossier=apologised, granted=True)
    with frozen_at(at(2026, 12, 9, 9, 0)):
        services.dossier_return(actor=clerk.user, dossier=late)
        pages = {d.code: _page(d, phone="") for d in (late, on_time, apologised)}
        book_late = set(Dossier.objects.late().filter(unit=school).values_list("code", flat=True))

    assert book_late == {late.code, apologised.code}
    badge = '<span class="badge bad">Trễ hạn</span>'
    done_late = (
        f"Trả kết quả trễ hạn so với ngày hẹn {ORIGINAL_DUE}: hồ sơ có kết quả lúc "
        "09/12/2026 07:40."
    )
    page = pages[late.code]
    assert f"<dt>Trạng thái</dt><dd><strong>Đã trả kết quả</strong> {badge}</dd>" in page
    assert (
        f'<p class="alert warning" id="lookup-done-late">{done_late} Đơn vị chưa gửi văn bản xin '
        "lỗi. Ông/bà có thể liên hệ bộ phận tiếp nhận" in page
    )
    page = pages[apologised.code]
    assert f"<dt>Trạng thái</dt><dd><strong>Đã xử lý xong</strong> {badge}</dd>" in page
    assert (
        f"{done_late} Ngày hẹn lại: 10/12/2026 17:00. Văn bản xin lỗi của đơn vị đang trình "
        "ký.</p>" in page
    )
    page = pages[on_time.code]
    assert badge not in page
    assert 'id="lookup-done-late"' not in page
    assert "trễ hạn" not in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_parent_reads_the_dates_on_a_phone(
    live_server, page, school, principal, clerk, transfer, tmp_path
) -> None:
    """At 390 px in Chromium, with the real clock (the dossiers were made in March 2026, so
    whenever this runs they are past their dates; nothing is frozen while the server runs)."""
    from cchc.dossiers.tests.factories import receive_dossier

    late = receive_dossier(clerk, transfer)  # Mon 02/03/2026 09:00
    with frozen_at(at(2026, 3, 4, 9, 0)):
        assert _apologize_for(clerk, late, "2026-03-12").status_code == 302
    doc = Apology.objects.get(dossier=late).outgoing
    assert doc is not None
    with frozen_at(at(2026, 3, 4, 10, 0)):
        assert _return(principal, doc, "Hẹn ngày 11/03").status_code == 302
    with frozen_at(at(2026, 3, 4, 11, 0)):
        assert _revise(clerk, late, "2026-03-11").status_code == 302
    waiting = receive_dossier(clerk, transfer)
    with frozen_at(at(2026, 3, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=clerk.user, dossier=waiting, items=["Học bạ"], reason="Thiếu học bạ"
        )
    page.set_viewport_size({"width": 390, "height": 844})

    def look_up(dossier: Dossier, name: str) -> None:
        page.goto(f"{live_server.url}/tra-cuu/")
        page.get_by_label("Mã hồ sơ").fill(dossier.code)
        page.locator("#id_phone_last4").fill("0912 345 678")
        page.get_by_role("button", name="Tra cứu").click()
        page.wait_for_selector("#lookup-result")
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name

    look_up(late, "late-corrected")
    overdue = page.locator("#lookup-overdue")
    assert overdue.is_visible()
    assert "kể cả ngày hẹn lại 11/03/2026 17:00" in overdue.inner_text()
    assert page.locator(".badge.bad", has_text="Đã quá hạn hẹn trả").is_visible()
    struck = page.locator(".timeline del")
    assert struck.count() == 1
    assert "12/03/2026" in struck.inner_text()
    assert "đã được sửa thành 11/03/2026 17:00" in page.locator(".timeline").inner_text()
    decoration = struck.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in decoration

    look_up(waiting, "waiting")
    assert page.locator("#lookup-waiting").is_visible()
    assert "tính lại từ đầu" in page.locator("#lookup-waiting").inner_text()
    assert page.locator("#lookup-overdue").count() == 0

    done_late = receive_dossier(clerk, transfer)  # due Mon 09/03/2026 17:00
    with frozen_at(at(2026, 3, 10, 7, 40)):
        services.dossier_decide(actor=principal.user, dossier=done_late, granted=True)
    look_up(done_late, "done-late")
    said = page.locator("#lookup-done-late")
    assert said.is_visible()
    assert "Trả kết quả trễ hạn so với ngày hẹn 09/03/2026 17:00" in said.inner_text()
    assert page.locator(".badge.bad", has_text="Trễ hạn").is_visible()


def _apologize_for(staff, dossier: Dossier, day: str):
    """`_apologize` with its own new date."""
    from tests.fixtures import client_for

    return client_for(staff).post(
        reverse("dossiers:act", args=[dossier.pk]),
        {
            "action": "apologize",
            "version": dossier.version,
            "reason": "Trường nơi đi chưa gửi xác nhận học bạ",
            "new_due_at": day,
        },
    )

"""The apology letter sent back by the head (domain.md 1.4, Decree 61 Art. 19(9)): the clerk
reads why, corrects the apology's reason and new date (the same bounds as when it was made) and
sends it again; the same letter is redrafted from the corrected values (its Mẫu 04 PDF and Word
file), never a second draft beside it. Also: no apology stands without its letter, and one
action leaves one row in the dossier's history."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.core.models import AuditEvent
from cchc.documents.models import OutgoingDocument
from cchc.documents.tests.conftest import ca as ca
from cchc.documents.workflow import OutgoingStatus
from cchc.dossiers.models import Apology, Dossier, DossierEvent
from cchc.dossiers.tests.conftest import released_letter
from cchc.dossiers.tests.factories import at, frozen_at
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.dossiers.tests.test_apology_letters import (
    _apologize,
    _historic_apology,
    _pdf_text,
    _receive,
)
from cchc.dossiers.tests.test_apology_letters import certificates as certificates
from tests.fixtures import client_for

OS = OutgoingStatus
NEW_REASON = "Trường nơi đi gửi thiếu học bạ lớp 9, đã đề nghị gửi bổ sung"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _revise(staff, dossier: Dossier, day: str, reason: str = NEW_REASON, version=None):
    dossier.refresh_from_db()
    return client_for(staff).post(
        reverse("dossiers:apology_revise", args=[dossier.pk]),
        {
            "reason": reason,
            "new_due_at": day,
            "version": dossier.version if version is None else version,
        },
    )


def _return(principal, doc: OutgoingDocument, note: str):
    doc.refresh_from_db()
    return client_for(principal).post(
        reverse("documents:outgoing_act", args=[doc.pk]),
        {"action": OS.DRAFT, "version": doc.version, "note": note},
    )


def _timeline_rows(page: str, when: str) -> list[str]:
    """The rows of the dossier's history at one minute ("03/12/2026 09:00")."""
    body = page.split('id="timeline"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [row for row in rows if f"<td>{when}</td>" in row]


def _word_text(content: bytes) -> str:
    from docx import Document

    word = Document(BytesIO(content))
    texts = [p.text for p in word.paragraphs]
    texts += [p.text for t in word.tables for c in t._cells for p in c.paragraphs]
    return " ".join(" ".join(texts).split())


@pytest.mark.django_db
def test_a_returned_apology_is_corrected_sent_again_signed_and_released(
    school,
    principal,
    clerk,
    colleague,
    outsider,
    commune_officer,
    transfer,
    certificates,
    tmp_path,
) -> None:
    require_tools()
    dossier = _receive(clerk, school, transfer)  # due Mon 07/12/2026 17:00
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(clerk, dossier).status_code == 302  # for 10/12
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    assert doc.status == OS.REVIEW
    with frozen_at(at(2026, 12, 3, 10, 0)):
        assert _return(principal, doc, "Lý do chưa rõ; hẹn ngày 09/12 là đủ").status_code == 302
    page_url = reverse("dossiers:detail", args=[dossier.pk])

    # The clerk reads why, on the dossier page and on the letter's page, and gets the form.
    with frozen_at(at(2026, 12, 3, 14, 0)):
        page = client_for(clerk).get(page_url).content.decode()
        letter_page = client_for(clerk).get(reverse("documents:outgoing_detail", args=[doc.pk]))
    assert (
        "Bị trả lại (Nguyễn Thị Thanh Trang, 03/12/2026): Lý do chưa rõ; hẹn ngày 09/12 "
        "là đủ" in page
    )
    assert 'id="apology-revise"' in page
    queue = client_for(clerk).get(reverse("dossiers:queue")).content.decode()
    assert f"{dossier.code}</a> — bị trả lại dự thảo: sửa và trình ký lại" in queue
    assert 'value="2026-12-10"' in page  # the form holds the apology as it stands
    assert "Lý do chưa rõ; hẹn ngày 09/12 là đủ" in letter_page.content.decode()
    [returned_row] = _timeline_rows(page, "03/12/2026 10:00")
    assert "Văn bản xin lỗi: trả lại dự thảo" in returned_row
    assert "Lý do chưa rõ" in returned_row
    # Someone who sees the dossier but may not make the apology (the commune's oversight) is
    # not offered the form, and is refused; a teacher does not see the dossier at all.
    oversight = client_for(commune_officer).get(page_url)
    assert oversight.status_code == 200
    assert 'id="apology-revise"' not in oversight.content.decode()

    with frozen_at(at(2026, 12, 3, 14, 0)):
        refused = _revise(commune_officer, dossier, "2026-12-09")
        assert _revise(colleague, dossier, "2026-12-09").status_code in (403, 404)
        assert _revise(outsider, dossier, "2026-12-09").status_code == 404
        # The same bounds as when made: a Sunday, then a day past the one allowed reset.
        sunday = _revise(clerk, dossier, "2026-12-06")
        too_far = _revise(clerk, dossier, "2026-12-31")
        empty = _revise(clerk, dossier, "2026-12-09", reason="  ")
        stale = _revise(clerk, dossier, "2026-12-09", version=dossier.version - 1)
    assert refused.status_code == 403
    assert "Chỉ viên chức xử lý hồ sơ và soạn văn bản của đơn vị" in refused.content.decode()
    assert sunday.status_code == too_far.status_code == empty.status_code == 422
    assert "là Chủ nhật, không phải ngày làm việc" in sunday.content.decode()
    assert "Ngày hẹn mới không được muộn hơn" in too_far.content.decode()
    assert "Hãy nêu lý do chậm giải quyết." in empty.content.decode()
    assert stale.status_code == 409
    assert "Hồ sơ vừa được người khác xử lý" in stale.content.decode()
    apology = Apology.objects.get(dossier=dossier)
    assert apology.reason == "Trường nơi đi chưa gửi xác nhận học bạ"  # nothing written
    assert not AuditEvent.objects.filter(verb="dossier.apology_revise").exists()

    with frozen_at(at(2026, 12, 3, 15, 0)):
        assert _revise(clerk, dossier, "2026-12-09").status_code == 302
        page = client_for(clerk).get(page_url).content.decode()
    apology.refresh_from_db()
    dossier.refresh_from_db()
    doc.refresh_from_db()
    assert apology.reason == NEW_REASON
    assert apology.new_due_at == at(2026, 12, 9, 17, 0)
    assert dossier.new_due_at == at(2026, 12, 9, 17, 0)
    assert dossier.due_at == at(2026, 12, 7, 17, 0)  # the original due date is kept
    # The same letter, redrafted and sent again: never two live drafts.
    assert list(OutgoingDocument.objects.values_list("pk", flat=True)) == [doc.pk]
    assert doc.status == OS.REVIEW
    assert NEW_REASON in doc.body
    assert "09/12/2026" in doc.body
    draft = _pdf_text(doc.pdf.read(), tmp_path)
    assert NEW_REASON in draft
    assert "09/12/2026" in draft
    assert "chưa gửi xác nhận học bạ" not in draft
    word = client_for(clerk).get(reverse("documents:outgoing_docx", args=[doc.pk]))
    assert word.status_code == 200
    assert NEW_REASON in _word_text(word.content)  # the Mẫu 04 in Word, from the same values
    [record] = AuditEvent.objects.filter(verb="dossier.apology_revise")
    assert record.before["reason"] == "Trường nơi đi chưa gửi xác nhận học bạ"
    assert record.after["reason"] == NEW_REASON
    assert "Chờ kiểm tra (người ký:" in page
    assert 'id="apology-revise"' not in page  # on its way again: nothing to correct
    # One action, one row.
    [revised_row] = _timeline_rows(page, "03/12/2026 15:00")
    assert "Đơn vị sửa lại ngày hẹn trả kết quả: 09/12/2026 17:00" in revised_row

    # Waiting for approval it cannot be corrected (409), nor by a second tab.
    with frozen_at(at(2026, 12, 3, 15, 30)):
        waiting = _revise(clerk, dossier, "2026-12-08")
    assert waiting.status_code == 409
    assert "chỉ sửa được khi lãnh đạo trả lại dự thảo" in waiting.content.decode()

    with frozen_at(at(2026, 12, 4, 9, 0)):
        doc = released_letter(doc, clerk=clerk, principal=principal)
    assert doc.status == OS.RELEASED
    numbered = _pdf_text(doc.signed_pdf.read(), tmp_path)
    assert f"Số: {doc.symbol}" in numbered
    assert NEW_REASON in numbered
    assert "09/12/2026" in numbered

    # Released: the citizen has it; it is not corrected any more.
    with frozen_at(at(2026, 12, 4, 10, 0)):
        released = _revise(clerk, dossier, "2026-12-08")
    assert released.status_code == 409
    assert "Văn bản xin lỗi đã phát hành cho người dân" in released.content.decode()
    apology.refresh_from_db()
    assert apology.new_due_at == at(2026, 12, 9, 17, 0)


@pytest.mark.django_db
def test_no_apology_is_recorded_when_its_letter_cannot_be_drafted(
    school, principal, clerk, transfer
) -> None:
    """Without the unit's head (who signs) or its symbol (the letter's number) there is no Mẫu
    04, and an apology without its letter would count as made yet never reach the citizen:
    refused with what to set up, and where; nothing written."""
    dossier = _receive(clerk, school, transfer)
    version = dossier.version
    events = DossierEvent.objects.filter(dossier=dossier).count()
    principal.is_active = False
    principal.save()
    with frozen_at(at(2026, 12, 3, 9, 0)):
        no_head = _apologize(clerk, dossier)
    assert no_head.status_code == 422
    assert "chưa có hiệu trưởng (thủ trưởng ký văn bản xin lỗi)" in no_head.content.decode()
    assert "Nhân sự, chọn vai trò “Hiệu trưởng”" in no_head.content.decode()

    principal.is_active = True
    principal.save()
    school.symbol = ""
    school.save()
    with frozen_at(at(2026, 12, 3, 9, 0)):
        no_symbol = _apologize(clerk, dossier)
    assert no_symbol.status_code == 422
    assert "chưa khai báo chữ viết tắt dùng trong ký hiệu văn bản" in no_symbol.content.decode()
    assert "Quản trị › Đơn vị" in no_symbol.content.decode()

    dossier.refresh_from_db()
    assert dossier.version == version
    assert dossier.new_due_at is None
    assert not Apology.objects.exists()
    assert not OutgoingDocument.objects.exists()
    assert DossierEvent.objects.filter(dossier=dossier).count() == events
    assert not AuditEvent.objects.filter(verb__startswith="dossier.apolog").exists()


@pytest.mark.django_db
def test_sending_the_apology_for_signature_is_one_row_of_the_history(
    school, principal, clerk, transfer
) -> None:
    """Made by the clerk (sent for review) or by the principal (approved at once), or an older
    apology sent for signature later: one row each, not "trình duyệt" beside "Trình ký"."""
    mine = _receive(clerk, school, transfer)
    theirs = _receive(clerk, school, transfer)
    older = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(clerk, mine).status_code == 302
        assert _apologize(principal, theirs).status_code == 302
    _historic_apology(clerk, older)
    with frozen_at(at(2026, 12, 3, 11, 0)):
        assert (
            client_for(clerk).post(reverse("dossiers:apology_issue", args=[older.pk])).status_code
            == 302
        )

    def rows(dossier: Dossier, when: str) -> list[str]:
        page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk]))
        return _timeline_rows(page.content.decode(), when)

    [made] = rows(mine, "03/12/2026 09:00")
    assert "Đơn vị hẹn lại ngày trả kết quả: 10/12/2026 17:00" in made
    assert "văn bản xin lỗi đang trình ký" in made
    [approved] = rows(theirs, "03/12/2026 09:00")
    assert "Đơn vị hẹn lại ngày trả kết quả" in approved
    [sent] = rows(older, "03/12/2026 11:00")
    assert "Trình ký văn bản xin lỗi" in sent
    assert Apology.objects.get(dossier=older).outgoing.status == OS.REVIEW
    # The letter's own records are all kept in the audit trail.
    assert AuditEvent.objects.filter(verb="documents.outgoing.review").count() == 3
    assert AuditEvent.objects.filter(verb="dossier.apology_issue").count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_people_correcting_one_returned_apology_at_once(
    school, principal, clerk, transfer
) -> None:
    """Both opened the form at the same version: the dossier's row lock queues them and the
    second is told the dossier changed (409); one correction, one letter."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connections

    from cchc.documents import services as documents
    from cchc.dossiers import services

    dossier = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 3, 9, 0)):
        services.dossier_apologize(
            actor=clerk.user, dossier=dossier, reason="Chờ", new_due_at=at(2026, 12, 10, 17)
        )
    doc = Apology.objects.get(dossier=dossier).outgoing
    documents.outgoing_transition(actor=principal.user, doc=doc, to=OS.DRAFT, note="Sửa lý do")
    dossier.refresh_from_db()
    version = dossier.version
    outcomes: list[int] = []
    barrier = threading.Barrier(2)

    def worker(actor, day: int) -> None:
        try:
            barrier.wait()
            services.dossier_apology_revise(
                actor=actor.user,
                dossier=dossier,
                reason=f"Lý do của {actor.full_name}",
                new_due_at=at(2026, 12, day, 17),
                expected_version=version,
            )
            outcomes.append(200)
        except ValidationError as error:
            outcomes.append(getattr(error, "status_code", 422))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(clerk, 8)),
        threading.Thread(target=worker, args=(principal, 9)),
    ]
    # The clock frozen once, around both threads: a patch entered and left in each thread could
    # be left in place by the second to leave (it restores what the first had put there).
    with frozen_at(at(2026, 12, 3, 14, 0)):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert timezone.now() != at(2026, 12, 3, 14, 0)  # the real clock again

    assert sorted(outcomes) == [200, 409]
    assert OutgoingDocument.objects.count() == 1
    assert AuditEvent.objects.filter(verb="dossier.apology_revise").count() == 1

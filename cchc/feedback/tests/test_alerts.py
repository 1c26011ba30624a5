"""The daily digest lists feedback due soon, late and waiting for publication, by real SMTP."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cchc.feedback import services
from cchc.feedback.alerts import digest_lists
from cchc.feedback.tests.conftest import SENDER, at, later


@pytest.mark.django_db
def test_digest_names_late_and_due_soon_items(
    clerk, principal, colleague, school, smtp_server
) -> None:
    with later(at(2026, 3, 2, 9, 0)):
        late = services.feedback_receive(
            actor=clerk.user,
            unit=school,
            channel="letter",
            data={**SENDER, "title": "Phản ánh đã quá hạn"},
        )
    with later(at(2026, 3, 3, 9, 0)):
        services.feedback_classify(
            actor=clerk.user, item=late, classification="competent", assignee=colleague
        )
    with later(at(2026, 3, 3, 9, 0)):
        soon = services.feedback_receive(
            actor=clerk.user,
            unit=school,
            channel="phone",
            data={**SENDER, "title": "Phản ánh sắp đến hạn"},
        )

    with later(at(2026, 3, 24, 7, 0)):  # late is due 23/03, soon due 24/03
        lists = digest_lists()
        out = io.StringIO()
        call_command("feedback", "digest", stdout=out)

    assert [i.pk for i in lists[colleague.pk]["late"]] == [late.pk]
    assert [i.pk for i in lists[principal.pk]["due_soon"]] == [soon.pk]
    assert smtp_server.received.wait(5)
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert any("1 quá hạn" in s for s in subjects)
    body = next(m for m in smtp_server.messages if m["To"] == colleague.email).get_content()
    assert "Phản ánh đã quá hạn" in body
    assert "Phản ánh sắp đến hạn" not in body  # not assigned to the teacher
    assert "Đã gửi" in out.getvalue()


@pytest.mark.django_db
def test_feedback_joins_the_one_daily_mail_of_the_dossiers_digest(
    clerk, principal, school, smtp_server
) -> None:
    from cchc.dossiers import alerts as dossier_alerts

    with later(at(2026, 3, 2, 9, 0)):
        services.feedback_receive(
            actor=clerk.user,
            unit=school,
            channel="letter",
            data={**SENDER, "title": "Phản ánh quá hạn"},
        )

    counts = dossier_alerts.send_digests(now=at(2026, 3, 24, 7, 0))

    assert counts["sent"] == 2  # the clerk and the principal, one mail each
    message = next(m for m in smtp_server.messages if m["To"] == principal.email)
    assert "phản ánh, kiến nghị" in message["Subject"]
    body = message.get_content()
    assert "PHẢN ÁNH, KIẾN NGHỊ" in body
    assert "Quá hạn trả lời (1)" in body
    assert "Phản ánh quá hạn" in body

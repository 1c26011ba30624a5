"""Without a mail server (no EMAIL_HOST, as `make demo` runs) no mail is attempted: the
notification task records that it sent nothing, with one log line instead of a "Connection
refused" stack trace each time (QA walk); with EMAIL_HOST set, mail goes out over SMTP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.core.unsent_mail import BACKEND
from cchc.dossiers.tasks import notify_applicant
from cchc.dossiers.tests.factories import receive_dossier
from cchc.organizations.models import Staff
from cchc.organizations.staff_accounts import staff_account_issue

ROOT = Path(__file__).resolve().parents[3]


def _backend(**env: str) -> str:
    """EMAIL_BACKEND as the real settings choose it for this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    code = "import config.settings.base as s; print(s.EMAIL_BACKEND)"
    done = subprocess.run(  # noqa: S603 - our own interpreter and settings module
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_the_settings_send_mail_only_when_a_server_is_configured() -> None:
    assert _backend() == BACKEND
    assert _backend(EMAIL_HOST="mail.binhhung.edu.vn") == (
        "django.core.mail.backends.smtp.EmailBackend"
    )


@pytest.mark.django_db
def test_the_task_records_not_sent_without_a_trace(clerk, transfer, settings, caplog) -> None:
    settings.EMAIL_BACKEND = BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # would be refused if tried
    dossier = receive_dossier(clerk, transfer, None)

    assert notify_applicant.call(dossier.pk, "result_ready") is False
    unsent = [r for r in caplog.records if r.name == "cchc.core.unsent_mail"]
    assert len(unsent) == 1
    assert unsent[0].exc_info is None
    assert "an@nguoidan.example" not in caplog.text  # no personal data in the log
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_with_a_server_the_task_sends_over_smtp(clerk, transfer, smtp_server) -> None:
    dossier = receive_dossier(clerk, transfer, None)

    assert notify_applicant.call(dossier.pk, "result_ready") is True
    assert smtp_server.envelopes[-1][1] == ["an@nguoidan.example"]


@pytest.mark.django_db
def test_a_new_account_link_is_handed_over_not_mailed_into_the_void(
    principal, clerk, settings
) -> None:
    settings.EMAIL_BACKEND = BACKEND
    teacher = Staff.objects.create(
        unit=clerk.unit, full_name="Võ Thị Ngọc Hân", email="hanvtn@example.vn"
    )

    issued = staff_account_issue(actor=principal.user, staff=teacher)

    assert issued.emailed is False
    assert issued.link

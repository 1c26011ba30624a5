"""Evidence of a task or an activity: a link must be a web address or a page of the site."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cchc.plans import services
from cchc.plans.models import Plan, Task


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/phish", "data:text/html,x"])
def test_evidence_links_must_be_web_or_local(principal, url) -> None:
    plan = Plan.objects.create(unit=principal.unit, title="Kế hoạch", year=2026)
    task = Task.objects.create(plan=plan, number="1.1", title="Việc")

    with pytest.raises(ValidationError):
        services.evidence_add(actor=principal.user, task=task, title="x", url=url)
    with pytest.raises(ValidationError):
        services.activity_create(
            actor=principal.user,
            unit=principal.unit,
            kind="communication",
            title="Bài viết",
            held_on=date(2026, 5, 1),
            evidence_url=url,
        )
    services.evidence_add(actor=principal.user, task=task, title="ok", url="/thu-tuc/")
    assert task.evidence.count() == 1

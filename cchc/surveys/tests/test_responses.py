"""Recording responses: what is counted once, what is refused, and that nothing is half-written."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from cchc.core.models import AuditEvent
from cchc.surveys import results, services
from cchc.surveys.models import Answer, Campaign, CampaignStatus, Channel, Response
from cchc.surveys.tests.conftest import GOOD


def submit(campaign, answers=None, **kwargs):
    kwargs.setdefault("channel", Channel.LINK)
    return services.response_submit(campaign=campaign, answers=answers or GOOD, **kwargs)


@pytest.mark.django_db
def test_shipped_templates_install_once_with_their_groups(templates, principal, school) -> None:
    again = services.templates_install_defaults(actor=principal.user, unit=school)
    assert {t.pk for t in again} == {t.pk for t in templates.values()}
    rating = templates["danh-gia-ho-so"].current_version()
    groups = set(rating.questions.values_list("group", flat=True))
    assert {"access", "procedure", "officials", "results", "feedback", "overall"} <= groups
    assert rating.questions.count() == 12
    education = templates["dich-vu-giao-duc"].current_version()
    assert {"edu_access", "facilities", "environment", "activities", "edu_results"} <= set(
        education.questions.values_list("group", flat=True)
    )


@pytest.mark.django_db
def test_results_by_hand_with_no_opinion_and_blank(campaign) -> None:
    # "overall" answered 5,5,4,4,4,3,2,1, twice "Không ý kiến"; "safety" left blank 12 times
    # except once. Hand result for "overall": valid 8, satisfied 5 → 62,5%, mean 3,5, 0 blank.
    for n, value in enumerate(["5", "5", "4", "4", "4", "3", "2", "1", "0", "khong-y-kien"]):
        answers = {"respondent": "Học sinh", "overall": value}
        if n == 0:
            answers["safety"] = "2"
        submit(campaign, answers, device_id=f"device-{n}")
    computed = results.compute(Response.objects.filter(campaign=campaign))
    overall = next(q for q in computed.questions if q.code == "overall")
    assert (overall.tally.valid, overall.tally.satisfied, overall.tally.no_opinion) == (8, 5, 2)
    assert overall.tally.rate_text() == "62,5%"
    assert overall.tally.mean_text() == "3,50"
    assert overall.tally.blank == 0
    safety = next(q for q in computed.questions if q.code == "safety")
    assert (safety.tally.valid, safety.tally.blank) == (1, 9)
    # Overall across questions pools every valid answer: 8 + 1 = 9, satisfied 5.
    assert (computed.overall.valid, computed.overall.satisfied) == (9, 5)
    respondent = next(q for q in computed.questions if q.code == "respondent")
    assert respondent.options == {"Cha mẹ học sinh": 0, "Học sinh": 10}
    assert computed.responses == 10


@pytest.mark.django_db
def test_missing_required_answers_write_nothing(campaign) -> None:
    with pytest.raises(ValidationError) as caught:
        submit(campaign, {"safety": "4"}, device_id="d1")
    assert set(caught.value.message_dict) == {"respondent", "overall"}
    assert "bắt buộc" in caught.value.message_dict["overall"][0]
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["6", "-1", "4.5", "abc", "99999999999999999999", True])
def test_out_of_range_scale_values_are_refused(campaign, value) -> None:
    with pytest.raises(ValidationError) as caught:
        submit(campaign, {**GOOD, "overall": value}, device_id="d1")
    assert "từ 1" in caught.value.message_dict["overall"][0]
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_choice_outside_the_list_and_unknown_question_in_strict_mode(campaign) -> None:
    with pytest.raises(ValidationError) as caught:
        submit(campaign, {**GOOD, "respondent": "Hiệu trưởng"}, device_id="d1")
    assert "respondent" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        submit(campaign, {**GOOD, "bogus": "1"}, device_id="d1", strict=True)
    assert "bogus" in caught.value.message_dict
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_closed_campaign_refuses_and_says_when_it_ended(campaign, principal) -> None:
    services.campaign_set_status(
        actor=principal.user, campaign=campaign, status=CampaignStatus.CLOSED
    )
    with pytest.raises(services.SurveyClosed):
        submit(campaign, device_id="d1")
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.OPEN, ends_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(services.SurveyClosed) as caught:
        submit(campaign, device_id="d1")
    assert "đã kết thúc ngày" in caught.value.messages[0]
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_one_response_per_device_on_an_anonymous_link(campaign) -> None:
    submit(campaign, device_id="phone-1")
    with pytest.raises(services.AlreadyAnswered):
        submit(campaign, device_id="phone-1")
    submit(campaign, device_id="phone-2")
    with pytest.raises(ValidationError, match="cookie"):
        submit(campaign, device_id="")
    assert Response.objects.filter(campaign=campaign).count() == 2


@pytest.mark.django_db
def test_kiosk_takes_many_responses_from_one_device(campaign) -> None:
    for _ in range(3):
        submit(campaign, channel=Channel.KIOSK)
    assert Response.objects.filter(channel=Channel.KIOSK).count() == 3


@pytest.mark.django_db
def test_invitation_token_answers_once_and_keeps_the_class(token_campaign, principal) -> None:
    invitation = services.invitations_issue(
        actor=principal.user, campaign=token_campaign, count=2, segment="8A"
    )[0]
    response = submit(token_campaign, invitation_token=invitation.token)
    assert response.segment == "8A"
    assert response.channel == Channel.INVITATION
    with pytest.raises(services.AlreadyAnswered):
        submit(token_campaign, invitation_token=invitation.token)
    with pytest.raises(ValidationError, match="không đúng"):
        submit(token_campaign, invitation_token="forged-token")
    with pytest.raises(ValidationError, match="không đúng"):
        submit(token_campaign)  # a token campaign has no anonymous link
    with pytest.raises(ValidationError, match="phiếu mời riêng"):
        submit(token_campaign, channel=Channel.KIOSK)  # nor a kiosk
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_response_keeps_the_version_it_answered(campaign, principal, templates) -> None:
    first = submit(campaign, device_id="a")
    template = templates["dich-vu-giao-duc"]
    old = list(template.current_version().questions.values("code", "group", "kind", "text"))
    questions = [{**q, "options": [], "required": q["code"] == "overall"} for q in old]
    questions = [q for q in questions if q["kind"] == "scale"]
    version = services.template_new_version(
        actor=principal.user, template=template, questions=questions, note="Bỏ câu chọn"
    )
    campaign.refresh_from_db()
    second = submit(campaign, {"overall": "4"}, device_id="b")
    assert first.version.number == 1
    assert second.version == version
    assert version.number == 2
    computed = results.compute(Response.objects.filter(campaign=campaign))
    overall = next(q for q in computed.questions if q.code == "overall")
    assert overall.tally.valid == 2


@pytest.mark.django_db
def test_every_response_is_audited_without_personal_data(campaign) -> None:
    response = submit(campaign, {**GOOD, "comment": "Cô Lan 0912345678 rất tận tâm"}, device_id="x")
    event = AuditEvent.objects.get(verb="survey.respond", object_id=str(response.pk))
    assert event.after["answers"] == 5
    assert "0912345678" not in str(event.after)


# ---------------------------------------------------------------- concurrency


def _race(n, action):
    outcomes: list[str] = []
    barrier = threading.Barrier(n)

    def worker() -> None:
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except services.AlreadyAnswered:
            outcomes.append("refused")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_one_token_used_concurrently_counts_once(token_campaign, principal) -> None:
    invitation = services.invitations_issue(actor=principal.user, campaign=token_campaign, count=1)[
        0
    ]
    outcomes = _race(4, lambda: submit(token_campaign, invitation_token=invitation.token))
    assert outcomes == ["ok", "refused", "refused", "refused"]
    assert Response.objects.filter(invitation=invitation).count() == 1
    assert Answer.objects.count() == len(GOOD)


@pytest.mark.django_db(transaction=True)
def test_one_device_flooding_concurrently_counts_once(campaign) -> None:
    outcomes = _race(4, lambda: submit(campaign, device_id="same-phone"))
    assert outcomes == ["ok", "refused", "refused", "refused"]
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_breakdown_by_local_month(campaign) -> None:
    from datetime import datetime

    from cchc.core.timezones import VN as vn

    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=timezone.localdate() - timedelta(days=400)
    )
    campaign.refresh_from_db()
    # 31/10 23:30 in Hà Nội is still October locally (16:30 UTC); 01/11 07:00 is November.
    for n, (moment, score) in enumerate(
        [
            (datetime(2026, 10, 31, 23, 30, tzinfo=vn), "5"),
            (datetime(2026, 11, 2, 7, 0, tzinfo=vn), "2"),
        ]
    ):
        submit(
            campaign,
            {**GOOD, "overall": score, "toilets": "", "safety": ""},
            device_id=f"m{n}",
            submitted_at=moment,
        )
    months = results.by_month(Response.objects.filter(campaign=campaign))
    assert [(m.month, t.valid, t.satisfied) for m, t in months] == [(10, 1, 1), (11, 1, 0)]

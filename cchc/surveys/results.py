"""Results of a set of responses: per question, per group and overall, plus breakdowns.

All counting is a handful of grouped queries (design.md: SQL, not Python loops over answers); the
formulas themselves are the pure ones in `stats`. Questions are matched across template versions
by their code, so a campaign whose template gained a question mid-way still adds up correctly;
"blank" counts the responses whose version asked the question but left it unanswered.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet

from cchc.surveys.models import (
    Answer,
    Question,
    QuestionGroup,
    QuestionKind,
    Response,
)
from cchc.surveys.stats import Tally


@dataclass
class QuestionResult:
    code: str
    text: str
    group: str
    kind: str
    order: int
    tally: Tally = field(default_factory=Tally)
    options: dict[str, int] = field(default_factory=dict)
    answered: int = 0  # choice and text questions: how many answered

    @property
    def group_label(self) -> str:
        return QuestionGroup(self.group).label if self.group in QuestionGroup.values else ""


@dataclass
class GroupResult:
    code: str
    label: str
    tally: Tally


@dataclass
class Results:
    responses: int
    questions: list[QuestionResult]
    groups: list[GroupResult]
    overall: Tally

    @property
    def scale_questions(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.kind == QuestionKind.SCALE]

    @property
    def choice_questions(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)]


def _questions(responses: QuerySet[Response]) -> tuple[dict[str, QuestionResult], dict[str, int]]:
    """The questions asked (latest wording per code) and how many responses were asked each."""
    per_version = dict(
        responses.order_by()
        .values_list("version_id")
        .annotate(n=Count("id"))
        .values_list("version_id", "n")
    )
    found: dict[str, QuestionResult] = {}
    asked: dict[str, int] = defaultdict(int)
    for question in Question.objects.filter(version_id__in=per_version).order_by(
        "version__number", "order"
    ):
        found[question.code] = QuestionResult(
            question.code,
            question.text,
            question.group,
            question.kind,
            question.order,
            options={option: 0 for option in question.options},
        )
        asked[question.code] += per_version[question.version_id]
    return found, asked


def compute(responses: QuerySet[Response]) -> Results:
    """Everything the results page, the exports and the public page show, for `responses`."""
    questions, asked = _questions(responses)
    answers = Answer.objects.filter(response__in=responses.order_by().values("pk"))
    rows = (
        answers.filter(question__kind=QuestionKind.SCALE)
        .order_by()
        .values_list("question__code", "scale", "no_opinion")
        .annotate(n=Count("id"))
    )
    for code, scale, no_opinion, n in rows:
        result = questions.get(code)
        if result is None:
            continue
        if no_opinion:
            result.tally.no_opinion += n
        elif scale is not None:
            result.tally.counts[scale] += n
    for code, choice, n in (
        answers.filter(question__kind=QuestionKind.SINGLE)
        .exclude(choice="")
        .order_by()
        .values_list("question__code", "choice")
        .annotate(n=Count("id"))
    ):
        if code in questions:
            questions[code].options[choice] = questions[code].options.get(choice, 0) + n
            questions[code].answered += n
    for code, chosen in answers.filter(question__kind=QuestionKind.MULTIPLE).values_list(
        "question__code", "choices"
    ):
        if code in questions and chosen:
            questions[code].answered += 1
            for option in chosen:
                questions[code].options[option] = questions[code].options.get(option, 0) + 1
    for code, n in (
        answers.filter(question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by()
        .values_list("question__code")
        .annotate(n=Count("id"))
    ):
        if code in questions:
            questions[code].answered = n
    for code, result in questions.items():
        if result.kind == QuestionKind.SCALE:
            result.tally.blank = asked[code] - result.tally.valid - result.tally.no_opinion
    ordered = sorted(questions.values(), key=lambda q: q.order)
    groups: dict[str, Tally] = {}
    overall = Tally()
    for result in ordered:
        if result.kind != QuestionKind.SCALE:
            continue
        groups[result.group] = groups.get(result.group, Tally()).add(result.tally)
        overall = overall.add(result.tally)
    group_results = [
        GroupResult(code, QuestionGroup(code).label, tally)
        for code, tally in groups.items()
        if code in QuestionGroup.values
    ]
    return Results(responses.count(), ordered, group_results, overall)


def pooled(responses: QuerySet[Response]) -> Tally:
    """The overall tally (every valid scale answer) in one query: what the KPI counts."""
    tally = Tally()
    rows = (
        Answer.objects.filter(
            response__in=responses.order_by().values("pk"), question__kind=QuestionKind.SCALE
        )
        .order_by()
        .values_list("scale", "no_opinion")
        .annotate(n=Count("id"))
    )
    for scale, no_opinion, n in rows:
        if no_opinion:
            tally.no_opinion += n
        elif scale is not None:
            tally.counts[scale] += n
    return tally


def _by(responses: QuerySet[Response], key: Any) -> list[tuple[Any, Tally]]:
    rows = (
        Answer.objects.filter(
            response__in=responses.order_by().values("pk"),
            question__kind=QuestionKind.SCALE,
            scale__isnull=False,
        )
        .annotate(bucket=key)
        .order_by()
        .values_list("bucket", "scale")
        .annotate(n=Count("id"))
    )
    buckets: dict[Any, Tally] = {}
    for bucket, scale, n in rows:
        buckets.setdefault(bucket, Tally()).counts[scale] += n
    return sorted(buckets.items(), key=lambda item: (item[0] is None, item[0] or ""))


def _months(first: datetime, last: datetime) -> list[tuple[date, datetime, datetime]]:
    """Local calendar months from `first` to `last` (at most the last 36), with their bounds."""
    from cchc.core.timezones import VN

    month = first.astimezone(VN).date().replace(day=1)
    end = last.astimezone(VN).date()
    out = []
    while month <= end:
        following = (month + timedelta(days=32)).replace(day=1)
        out.append(
            (
                month,
                datetime.combine(month, time.min, tzinfo=VN),
                datetime.combine(following, time.min, tzinfo=VN),
            )
        )
        month = following
    return out[-36:]


def by_month(responses: QuerySet[Response]) -> list[tuple[Any, Tally]]:
    """One pass over the answers with a filtered count per (month, level): truncating every
    answer's time to its local month costs a function call per row on SQLite (6 s for 300,000
    answers in bench/surveys.py), comparing with month bounds does not."""
    bounds = responses.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    if bounds["first"] is None:
        return []
    months = _months(bounds["first"], bounds["last"])
    counts = {
        f"m{i}_{level}": Count(
            "id",
            filter=Q(
                response__submitted_at__gte=start, response__submitted_at__lt=end, scale=level
            ),
        )
        for i, (_, start, end) in enumerate(months)
        for level in range(1, 6)
    }
    row = Answer.objects.filter(
        response__in=responses.order_by().values("pk"), question__kind=QuestionKind.SCALE
    ).aggregate(**counts)
    out = []
    for i, (month, _, _) in enumerate(months):
        tally = Tally({level: row[f"m{i}_{level}"] for level in range(1, 6)})
        if tally.valid:
            out.append((month, tally))
    return out


def by_procedure(responses: QuerySet[Response]) -> list[tuple[Any, Tally]]:
    return _by(responses.filter(dossier__isnull=False), F("response__dossier__procedure__name"))


def by_segment(responses: QuerySet[Response]) -> list[tuple[Any, Tally]]:
    return [
        (bucket, tally)
        for bucket, tally in _by(responses, F("response__segment"))
        if bucket  # responses without a class are not a class
    ]

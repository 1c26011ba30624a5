"""What :func:`~cchc.plans.parsing.parse_plan` returns: the result dataclasses.

``ParsedPlan`` holds the whole plan; ``Section`` is a node of the body tree; ``Target``,
``TaskItem`` and ``AssignmentItem`` are what the import flow saves; ``DocumentReference`` and
``Basis`` are the documents a plan cites. :class:`PlanParseError` is re-exported from
:mod:`.reading` so that callers find every type here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.plans.parsing.reading import PlanParseError

__all__ = [
    "AssignmentItem",
    "Basis",
    "DocumentReference",
    "ParsedPlan",
    "PlanParseError",
    "Section",
    "Target",
    "TaskItem",
]


@dataclass
class DocumentReference:
    """A document cited as "Kế hoạch số 211/KH-UBND ngày 19 tháng 01 năm 2026 của …"."""

    raw: str
    number: str
    symbol: str
    doc_type: str
    date: dt.date | None
    issuer: str

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "symbol": self.symbol,
            "type": self.doc_type,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
            "raw": self.raw,
        }


@dataclass
class Basis:
    text: str
    references: list[DocumentReference] = field(default_factory=list)
    line: int = 0


@dataclass
class Section:
    """A node of the plan body; ``kind`` keeps the marker type so an export can print it back."""

    number: str
    title: str
    text: str
    children: list[Section] = field(default_factory=list)
    line: int = 0
    kind: str = "item"  # part | item | letter | bullet | paragraph
    columns: dict[str, str] = field(default_factory=dict)  # task-table cells by role

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()

    def to_json(self) -> dict:
        data = {
            "number": self.number,
            "title": self.title,
            "children": [child.to_json() for child in self.children],
            "text": self.text,
            "kind": self.kind,
            "line": self.line,
        }
        if self.columns:
            data["columns"] = dict(self.columns)
        return data


@dataclass
class Target:
    number: str
    text: str
    comparator: str | None
    value: Decimal | str | None
    unit: str | None
    kpi: str | None
    line: int = 0

    def to_json(self) -> dict:
        value: int | float | str | None
        if isinstance(self.value, Decimal):
            value = (
                int(self.value)
                if self.value == self.value.to_integral_value()
                else float(self.value)
            )
        else:
            value = self.value
        return {
            "number": self.number,
            "text": self.text,
            "comparator": self.comparator,
            "value": value,
            "unit": self.unit,
            "kpi": self.kpi,
        }


@dataclass
class TaskItem:
    number: str
    title: str
    text: str
    group_number: str
    group_title: str
    references: list[DocumentReference] = field(default_factory=list)
    owner: str = ""
    collaborators: str = ""
    deadline: str = ""  # as written ("Tháng 3/2026", "Thường xuyên"); the import flow parses it
    line: int = 0

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "group_number": self.group_number,
            "group_title": self.group_title,
            "references": [ref.to_json() for ref in self.references],
            "owner": self.owner,
            "collaborators": self.collaborators,
            "deadline": self.deadline,
        }


@dataclass
class AssignmentItem:
    name: str
    honorific: str
    title: str
    duties: list[str] = field(default_factory=list)
    kind: str = "person"  # person | unit
    line: int = 0

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "duties": list(self.duties),
            "honorific": self.honorific,
            "kind": self.kind,
        }


@dataclass
class ParsedPlan:
    issuer: str = ""
    parent_body: str = ""
    number: str | None = None
    symbol: str | None = None
    title: str = ""
    unit: str = ""
    place: str | None = None
    date: dt.date | None = None
    year: int | None = None
    basis: list[Basis] = field(default_factory=list)
    purposes: str = ""
    requirements: str = ""
    sections: list[Section] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[TaskItem] = field(default_factory=list)
    assignments: list[AssignmentItem] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer: str | None = None
    signer_title: str | None = None
    warnings: list[str] = field(default_factory=list)
    recognised: dict[str, int] = field(default_factory=dict)
    introduction: str = ""
    closing: str = ""
    signature_lines: list[str] = field(default_factory=list)

    @property
    def parent_plan(self) -> DocumentReference | None:
        """The plan this one implements (the school plan is based on the commune's 211/KH-UBND)."""
        for basis in self.basis:
            for reference in basis.references:
                if reference.doc_type == "Kế hoạch":
                    return reference
        return None

    def to_json(self) -> dict:
        """The ``cchc plan import --json`` contract of issue 5, plus a few extra keys."""
        parent = self.parent_plan
        return {
            "number": self.number,
            "symbol": self.symbol,
            "title": self.title,
            "unit": self.unit,
            "date": self.date.isoformat() if self.date else None,
            "basis": [
                {"text": b.text, "references": [r.to_json() for r in b.references]}
                for b in self.basis
            ],
            "sections": [section.to_json() for section in self.sections],
            "targets": [target.to_json() for target in self.targets],
            "tasks": [task.to_json() for task in self.tasks],
            "assignments": [assignment.to_json() for assignment in self.assignments],
            "issuer": self.issuer,
            "parent_body": self.parent_body,
            "place": self.place,
            "year": self.year,
            "parent_plan": parent.symbol if parent else None,
            "purposes": self.purposes,
            "requirements": self.requirements,
            "recipients": list(self.recipients),
            "signer": self.signer,
            "signer_title": self.signer_title,
            "warnings": list(self.warnings),
            "recognised": dict(self.recognised),
        }

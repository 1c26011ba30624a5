"""Recognise the structure of a Vietnamese reform plan (kế hoạch CCHC) in plain text.

A plan follows Decree 30/2020/NĐ-CP loosely: a header (issuing body, "Số: 211/KH-UBND", place
and date), the title "KẾ HOẠCH" with its subject, the basis (*căn cứ*), Roman-numbered parts
(purposes, targets, tasks, organisation), numbered items, "-" bullets, a closing sentence,
"Nơi nhận:" and the signature. Real files are messier than the decree: the seed repeats
"III.", numbers get glued to words ("1.Tiếp tục"), lines are hard-wrapped, tables replace
lists. The parser therefore never trusts one cue: it reads lines, joins wrapped ones, builds a
tree by marker rank, and only then reads targets, tasks and assignments off the tree. Whatever
it had to guess or could not read goes to ``ParsedPlan.warnings`` with the line number, so the
staff page can show it for review before anything is saved.

Decisions on the open points of issue 5 (the import flow relies on them):

* Tasks written as "a)", "b)" under group "1" are numbered "1.a", "1.b"; "-" bullets directly
  under a group that has no numbered sub-items become tasks "1.1", "1.2" … by position; a
  group with no sub-items at all is itself a task (its group number equals its number).
* Items of "Tổ chức thực hiện" that name a unit or a group instead of a person ("Văn phòng
  HĐND-UBND", "Các tổ chuyên môn") become assignments with ``kind="unit"``, ``name=""`` and
  ``title`` set to the unit; other items there (e.g. "Chế độ báo cáo") are kept in the
  sections but produce a warning instead of an assignment.
  A bare role ("Kế toán: …", "Hiệu trưởng: …") is a ``kind="unit"`` assignment too: the
  reviewer picks the person.
* Targets under "a)" or bullets take their container's number: "2.a", "2.1" (positional).
  A rating ("xếp loại Tốt", "từ loại tốt trở lên") is always ``>=``: a better rating meets it.
  "dưới 5%" gives ``"<"``, a fifth comparator besides the four of the brief.
* The plan year is the year in the title ("… năm 2026"), else the year of the date: a plan for
  2026 is often signed in December 2025.
* A wrapped line joins its paragraph when it starts in lower case, when the paragraph ends on
  an unfinished word ("của", "và", ",") or, in hard-wrapped text, when the previous line filled
  the column; blank lines alone never split a sentence, so double-spaced exports read the same.

The package is split by concern; every public name is re-exported here, so callers import from
``cchc.plans.parsing`` only:

* :mod:`.reading` — uploaded bytes (.txt, .docx) to clean NFC text; ``PlanParseError``, ``fold``;
* :mod:`.types` — the result dataclasses (``ParsedPlan``, ``Section``, ``Target`` …);
* :mod:`.lines` — lines, item markers, paragraphs and the body tree;
* :mod:`.header` — header block, title, closing, recipients and signature;
* :mod:`.figures` — cited documents, target figures, KPI matching, short titles;
* :mod:`.extract` — basis, purposes, targets, tasks and assignments read off the tree;
* :mod:`.parser` — :func:`parse_plan`, which puts the pieces together.

Pure package: no Django import; user-facing text is Vietnamese.
"""

from cchc.plans.parsing.figures import extract_references, match_kpi, short_title, target_figure
from cchc.plans.parsing.parser import NOT_A_PLAN, parse_plan
from cchc.plans.parsing.reading import (
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    TEXT_SUFFIXES,
    PlanParseError,
    clean_text,
    decode_plan_bytes,
    fold,
    read_plan_file,
    roman_numeral,
)
from cchc.plans.parsing.types import (
    AssignmentItem,
    Basis,
    DocumentReference,
    ParsedPlan,
    Section,
    Target,
    TaskItem,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "NOT_A_PLAN",
    "TEXT_SUFFIXES",
    "AssignmentItem",
    "Basis",
    "DocumentReference",
    "ParsedPlan",
    "PlanParseError",
    "Section",
    "Target",
    "TaskItem",
    "clean_text",
    "decode_plan_bytes",
    "extract_references",
    "fold",
    "match_kpi",
    "parse_plan",
    "read_plan_file",
    "roman_numeral",
    "short_title",
    "target_figure",
]

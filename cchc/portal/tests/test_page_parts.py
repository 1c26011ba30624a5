"""The look-up page rendered from compiled parts (cchc.portal.page_parts) is the very text the
template engine renders, for every state the page has, so the fast path cannot drift from the
template that defines the markup (issue 11 item 2)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.template import Context, Template, engines
from django.utils.safestring import mark_safe

from cchc.core.timezones import VN
from cchc.dossiers.forms import LookupForm
from cchc.dossiers.selectors import PublicDossier, PublicStep
from cchc.portal import lean, lookup_page
from cchc.portal.page_parts import compile_page

LOOKUP = "portal/lookup.html"


def _django(name: str, values: dict) -> str:
    return lean.compiled(name).render(Context({**values, "layout": lean.compiled(lean.LAYOUT)}))


def _values(entry, result) -> dict:
    return {
        **lookup_page.context(entry, result),
        "action": "/tra-cuu/",
        "site_name": "Trường THCS <Nguyễn> & \"Trãi\" 'A'",
        "assets": lean.assets(),
    }


def _dossier(**changes) -> PublicDossier:
    at = datetime(2026, 3, 2, 9, 5, tzinfo=VN)
    fields = {
        "code": "000.31.41.H29-260302-0001",
        "procedure": "Chuyển trường đối với học sinh trung học cơ sở",
        "unit": "Trường THCS Nguyễn Trãi",
        "applicant": "N*** V*** An",
        "status": "Đang giải quyết",
        "status_code": "processing",
        "submitted_at": at,
        "received_at": at,
        "due_at": datetime(2026, 3, 9, 16, 0, tzinfo=VN),
        "new_due_at": None,
        "result_at": None,
        "returned_at": None,
        "steps": [PublicStep(at, "Được tiếp nhận", "")],
        "supplement_items": None,
        "supplement_reason": None,
        "phone_matched": None,
    }
    return PublicDossier(**{**fields, **changes})


def _not_found():
    entry = LookupForm.check({"code": "KHONG-CO"})
    entry.add_error("code", "Không tìm thấy hồ sơ có mã này. Hãy kiểm tra lại mã trên giấy hẹn.")
    return entry, None


LATER = datetime(2026, 3, 12, 10, 30, tzinfo=VN)
CASES = {
    "empty form": lambda: (LookupForm.check(None), None),
    "no code": lambda: (LookupForm.check({"code": "", "phone_last4": ""}), None),
    "bad phone": lambda: (LookupForm.check({"code": "A-1", "phone_last4": "12"}), None),
    "letters for a phone": lambda: (LookupForm.check({"code": "A", "phone_last4": "abcd"}), None),
    "not found": _not_found,
    "found, no digits": lambda: (LookupForm.check({"code": "A"}), _dossier()),
    "digits do not match": lambda: (
        LookupForm.check({"code": "A", "phone_last4": "0000"}),
        _dossier(phone_matched=False),
    ),
    "paused for papers": lambda: (
        LookupForm.check({"code": "A", "phone_last4": "5678"}),
        _dossier(
            applicant="Nguyễn Văn An",
            status="Chờ bổ sung",
            phone_matched=True,
            supplement_items=["Học bạ", "Giấy khai sinh <bản sao>"],
            supplement_reason="Thiếu học bạ & giấy khai sinh",
            steps=[
                PublicStep(datetime(2026, 3, 2, 9, 5, tzinfo=VN), "Được tiếp nhận", ""),
                PublicStep(LATER, "Yêu cầu bổ sung giấy tờ", "Thiếu học bạ"),
            ],
        ),
    ),
    "late, with an apology": lambda: (
        LookupForm.check({"code": "A", "phone_last4": "5678"}),
        _dossier(applicant="Nguyễn Văn An", phone_matched=True, new_due_at=LATER, apology="sent"),
    ),
    "late, apology awaiting signature": lambda: (
        LookupForm.check({"code": "A"}),
        _dossier(new_due_at=LATER, apology="pending"),
    ),
    "overdue": lambda: (
        LookupForm.check({"code": "A"}),
        _dossier(past_due=True),
    ),
    "overdue, past the apology's date too": lambda: (
        LookupForm.check({"code": "A"}),
        _dossier(new_due_at=LATER, apology="sent", past_due=True, past_new_due=True),
    ),
    "waiting for papers, pause rule": lambda: (
        LookupForm.check({"code": "A"}),
        _dossier(
            status="Yêu cầu bổ sung giấy tờ", status_code="supplement", supplement_rule="pause"
        ),
    ),
    "waiting for papers before acceptance": lambda: (
        LookupForm.check({"code": "A"}),
        _dossier(status_code="supplement", received_at=None, due_at=None),
    ),
    "a corrected appointment": lambda: (
        LookupForm.check({"code": "A", "phone_last4": "5678"}),
        _dossier(
            phone_matched=True,
            new_due_at=LATER,
            apology="pending",
            steps=[
                PublicStep(LATER, "Đang xử lý", "Đơn vị hẹn lại <ngày> & giờ", LATER),
                PublicStep(LATER, "Đang xử lý", "Đơn vị sửa lại ngày hẹn"),
            ],
        ),
    ),
    "returned": lambda: (
        LookupForm.check({"code": "A"}),
        _dossier(status="Đã trả kết quả", returned_at=LATER, received_at=None, due_at=None),
    ),
    "done late, apology sent": lambda: (
        LookupForm.check({"code": "A"}),
        _dossier(
            status="Đã xử lý xong",
            status_code="done",
            result_at=LATER,
            new_due_at=LATER,
            apology="sent",
            done_late=True,
        ),
    ),
    "no steps, odd text": lambda: (
        LookupForm.check({"code": "<script>alert('x')</script>", "phone_last4": '"1234"'}),
        _dossier(procedure="A & B <i>", applicant='O\'Neil "Bé"', steps=[]),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_look_up_page_is_the_templates_own_text(case) -> None:
    entry, result = CASES[case]()
    values = _values(entry, result)
    fast = lean.page(LOOKUP)

    assert fast is not None  # the look-up template compiles: nothing falls back
    assert fast(dict(values)) == _django(LOOKUP, values)


def test_the_page_escapes_what_a_visitor_typed() -> None:
    entry = LookupForm.check({"code": "<script>x</script>", "phone_last4": "12"})
    page = lean.page(LOOKUP)(_values(entry, None))  # type: ignore[misc]

    assert "<script>x" not in page
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in page
    assert "Nhập đủ 4 số cuối điện thoại" in page  # Vietnamese text as written


def _both(source: str, values: dict, layout: str | None = None) -> tuple[str | None, str]:
    engine = engines["django"].engine  # type: ignore[attr-defined]
    template = Template(source, engine=engine)
    parent = Template(layout, engine=engine) if layout is not None else None
    page = compile_page(template, parent)
    django_values = {**values, "layout": parent} if parent is not None else values
    expected = template.render(Context(dict(django_values)))
    return (page(dict(values)) if page is not None else None), expected


class _Thing:
    name = "đồ vật <1>"

    def label(self) -> str:
        return "nhãn & 2"


class _Letters:
    """Iterable without a length (Django makes a list of it)."""

    def __iter__(self):
        return iter("abc")


@pytest.mark.parametrize(
    ("source", "values"),
    [
        ("{% if a %}có{% elif b %}b{% else %}không{% endif %}", {"a": "", "b": "x"}),
        ("{% if a %}có{% elif b %}b{% else %}không{% endif %}", {}),
        ("{% if not a %}không có a{% endif %}|{{ missing }}|{{ a.b.c }}", {"a": {"b": None}}),
        ("{{ n }} {{ none }} {{ yes }} {{ t }}", {"n": 12345, "none": None, "yes": True, "t": 1.5}),
        ("{{ safe }} {{ plain }}", {"safe": mark_safe("<b>đậm</b>"), "plain": "<b>"}),
        ("{{ obj.name }} {{ obj.label }} {{ f }}", {"obj": _Thing(), "f": lambda: "gọi <x>"}),
        ("{{ xs.0 }} {{ d.k }}", {"xs": ["một", "hai"], "d": {"k": "&"}}),
        (
            "{% for x in xs %}<{{ x }}>{% for x in x %}[{{ x }}]{% endfor %}{{ x }}"
            "{% empty %}trống{% endfor %}{{ x }}",
            {"xs": ["ab", "c"], "x": "ngoài"},
        ),
        ("{% for x in xs %}{{ x }}{% empty %}trống{% endfor %}", {"xs": None}),
        ("{% for x in xs %}{{ x }}{% endfor %}", {"xs": _Letters()}),
        ("{% for x in xs %}{{ x.name }}{% endfor %}", {"xs": [_Thing(), {"name": "<d>"}]}),
        ("{# ghi chú #}{% comment %}bỏ{% endcomment %}còn", {}),
        ("{{ when }}", {"when": datetime(2026, 3, 2, 9, 5, tzinfo=VN)}),
    ],
)
def test_compiled_parts_render_as_django_does(source, values) -> None:
    page, expected = _both(source, values)

    assert page is not None
    assert page == expected


def test_extends_takes_the_childs_blocks_and_the_parents_defaults() -> None:
    layout = (
        "<title>{% block title %}{{ site }}{% endblock %}</title>{% block body %}{% endblock %}"
    )
    child = (
        "{% extends layout %}bỏ qua{% block body %}<p>{{ text }}</p>"
        "{% block inner %}trong{% endblock %}{% endblock %}"
    )
    page, expected = _both(child, {"site": "Trang & A", "text": "<chữ>"}, layout)

    assert page == expected == "<title>Trang &amp; A</title><p>&lt;chữ&gt;</p>trong"


@pytest.mark.parametrize(
    "source",
    [
        "{{ a|upper }}",  # a filter
        "{% for x in xs %}{{ forloop.counter }}{% endfor %}",
        "{% for k, v in xs %}{{ k }}{% endfor %}",
        "{% if a == b %}x{% endif %}",
        "{% if a and b %}x{% endif %}",
        "{% url 'portal:lookup' %}",
        '{{ "chữ" }}',
        "{% block a %}{{ block.super }}{% endblock %}",
    ],
)
def test_what_cannot_be_kept_exact_falls_back_to_django(source) -> None:
    engine = engines["django"].engine  # type: ignore[attr-defined]

    assert compile_page(Template(source, engine=engine)) is None

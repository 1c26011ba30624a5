"""The plan import links its people (issue 9, item 3): staff matching, people created in place,
target and task owners guessed from duties and changeable in the review, the place name."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from cchc.accounts.models import Role
from cchc.organizations.models import Group, Staff
from cchc.plans import exporting, importing, linking
from cchc.plans.models import Plan, PlanImport
from cchc.plans.parsing import parse_plan, read_plan_file
from cchc.plans.tests.conftest import SEED
from tests.factories import StaffFactory
from tests.fixtures import client_for

TRANG, TRAN, ANH, THUY, THOA, VINH = range(6)


@pytest.fixture
def seed_json() -> dict:
    return parse_plan(read_plan_file(SEED.read_bytes(), SEED.name)).to_json()


def test_roles_and_groups_come_from_titles() -> None:
    assert linking.role_for_title("Phó hiệu trưởng") == Role.VICE_PRINCIPAL
    assert linking.role_for_title("Hiệu trưởng") == Role.PRINCIPAL
    assert linking.role_for_title("nhân viên Văn thư") == Role.CLERK
    assert linking.role_for_title("Trưởng ban Thanh tra nhân dân") == Role.INSPECTION_HEAD
    assert linking.role_for_title("Tổ trưởng tổ Tin học, Lịch sử - Địa lý") == Role.IT_LEAD
    assert linking.role_for_title("Kế toán") == Role.ACCOUNTANT
    assert linking.group_for_title("Tổ trưởng tổ Tin học, Lịch sử - Địa lý") == (
        "Tin học, Lịch sử - Địa lý"
    )
    assert linking.group_for_title("Phó hiệu trưởng") == ""


def test_principal_owns_the_whole_and_vice_principals_what_their_duties_name(seed_json) -> None:
    owners = linking.guess_target_owners(seed_json["assignments"], seed_json["targets"])

    kpis = [t["kpi"] for t in seed_json["targets"]]
    assert owners[kpis.index("satisfaction_rate")] == TRAN
    assert owners[kpis.index("e_payment_staff_rate")] == TRAN
    assert owners[kpis.index("cchc_self_score")] == TRANG
    assert owners.count(TRANG) == 7


def test_task_owners_follow_the_duties_that_mention_them(seed_json) -> None:
    owners = dict(
        zip(
            [t["number"] for t in seed_json["tasks"]],
            linking.guess_task_owners(seed_json["assignments"], seed_json["tasks"]),
            strict=True,
        )
    )

    assert owners["3.3"] == THUY  # receiving and resolving procedures: the clerk's desk
    assert owners["1.4"] in {TRAN, ANH}  # communication: the vice principals' duty
    assert owners["2.2"] in {TRAN, ANH}
    assert owners["3.6"] in {TRAN, ANH, THUY}  # "Thực hiện báo cáo theo quy định"
    assert owners["1.1"] == TRANG  # nothing specific: the principal, who owns the whole
    assert None not in owners.values()
    assert len(set(owners.values())) >= 4


@pytest.mark.django_db
def test_matching_ignores_diacritics_and_case_and_uses_the_title(school) -> None:
    plain = StaffFactory(unit=school, full_name="nguyen tan  VINH")
    teacher = StaffFactory(unit=school, full_name="Dương Thị Huyền Trân")
    deputy = StaffFactory(
        unit=school, full_name="DƯƠNG THỊ HUYỀN TRÂN", roles=[Role.VICE_PRINCIPAL]
    )

    assert importing.staff_matches(school, "Nguyễn Tấn Vinh") == [plain]
    assert importing.staff_matches(school, "Dương Thị Huyền Trân", "Phó hiệu trưởng") == [deputy]
    assert len(importing.staff_matches(school, "Dương Thị Huyền Trân")) == 2
    assert teacher.pk != deputy.pk


@pytest.mark.django_db
def test_fresh_school_import_creates_the_people_and_owns_every_task(principal, school) -> None:
    school.parent.name = "Ủy ban nhân dân xã Bình Hưng"
    school.parent.save()
    pending = importing.plan_import_preview(
        actor=principal.user, unit=school, filename="kh.txt", data=SEED.read_bytes()
    )

    plan = importing.plan_import_confirm(actor=principal.user, pending=pending)

    people = {s.full_name: s for s in Staff.objects.filter(unit=school)}
    assert len(people) == 6
    assert people["La Nguyễn Hoàng Anh"].role_assignments.get().role == Role.VICE_PRINCIPAL
    assert people["Lê Thị Thanh Thủy"].role_assignments.get().role == Role.CLERK
    assert people["Trần Thị Thoa"].role_assignments.get().role == Role.INSPECTION_HEAD
    vinh = people["Nguyễn Tấn Vinh"]
    assert vinh.group == Group.objects.get(unit=school, name="Tin học, Lịch sử - Địa lý")
    assert vinh.group.head == vinh
    assert [a.staff for a in plan.assignments.order_by("order")] == [
        people[name]
        for name in (
            principal.full_name,
            "Dương Thị Huyền Trân",
            "La Nguyễn Hoàng Anh",
            "Lê Thị Thanh Thủy",
            "Trần Thị Thoa",
            "Nguyễn Tấn Vinh",
        )
    ]
    assert plan.targets.get(kpi_code="satisfaction_rate").owner == people["Dương Thị Huyền Trân"]
    assert plan.targets.filter(owner__isnull=True).count() == 0
    leaves = plan.tasks.filter(parent__isnull=False)
    assert leaves.filter(owner__isnull=True).count() == 0
    assert leaves.get(number="3.3").owner == people["Lê Thị Thanh Thủy"]
    assert plan.place == "Bình Hưng"
    text = "\n".join(p.text for p in Document(io.BytesIO(exporting.plan_docx(plan))).paragraphs)
    tables = Document(io.BytesIO(exporting.plan_docx(plan))).tables
    cells = " ".join(c.text for t in tables for row in t.rows for c in row.cells)
    assert "Bình Hưng, ngày" in text + cells


@pytest.mark.django_db
def test_review_shows_each_guess_and_the_choices_are_saved(principal, school) -> None:
    client = client_for(principal)
    other = StaffFactory(unit=school, full_name="Phan Văn Lợi")
    upload = client.post(
        reverse("plans:import"), {"file": SimpleUploadedFile("kh.txt", SEED.read_bytes())}
    )
    pending = PlanImport.objects.get()
    review = client.get(upload["Location"])
    body = review.content.decode()
    assert "Sẽ tạo mới" in body
    assert "Theo phân công: “Thực hiện báo cáo theo quy định”" in body
    form = review.context["form"]
    data = {name: form.get_initial_for_field(field, name) for name, field in form.fields.items()}
    data |= {
        "place": "Bình Hưng",
        "year": "2026",
        "assignment_2": "",  # do not create La Nguyễn Hoàng Anh
        "assignment_4_role": Role.STAFF,  # create Trần Thị Thoa as plain staff
        "target_owner_0": f"s{other.pk}",
        "task_owner_0": f"a{VINH}",
    }
    data = {k: v for k, v in data.items() if v is not None}

    response = client.post(upload["Location"], data)

    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get()
    assert pending.unit == plan.unit
    assert not Staff.objects.filter(full_name="La Nguyễn Hoàng Anh").exists()
    assert not Staff.objects.get(full_name="Trần Thị Thoa").role_assignments.exists()
    assert plan.targets.get(number="1").owner == other
    assert plan.tasks.get(number="1.1").owner.full_name == "Nguyễn Tấn Vinh"
    assert plan.place == "Bình Hưng"

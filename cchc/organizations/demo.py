"""The demo school from the seed plan, its commune and two sibling schools, plus bulk data.

The six people named in part "TỔ CHỨC THỰC HIỆN" of ke-hoach-cchc-2026.txt appear with their
positions and roles. Everything is created through the services, so the audit chain is real.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import Role, RoleAssignment, User
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.core.timezones import VN
from cchc.organizations import services
from cchc.organizations.models import Group, Staff, Unit, UnitKind

DEMO_PASSWORD = "DemoCCHC@2026"  # noqa: S105 - printed on purpose for the demo log-ins

COMMUNE = {
    "kind": UnitKind.COMMUNE,
    "name": "Ủy ban nhân dân xã Bình Hưng",
    "short_name": "UBND xã Bình Hưng",
    "code": "000.00.31.H29",
    "symbol": "UBND",
    "address": "Số 1 đường Quốc lộ 50, xã Bình Hưng, Thành phố Hồ Chí Minh",
    "phone": "028 3758 0001",
    "email": "ubnd.binhhung@tphcm.example",
}

SCHOOL = {
    "kind": UnitKind.SCHOOL,
    "name": "Trường Trung học cơ sở Nguyễn Thái Bình",
    "short_name": "Trường THCS Nguyễn Thái Bình",
    "code": "000.31.41.H29",
    "symbol": "THCSNTB",
    "address": "Ấp 4, xã Bình Hưng, Thành phố Hồ Chí Minh",
    "phone": "028 3758 4141",
    "email": "thcsnguyenthaibinh@binhhung.example",
    "bank_bin": "970415",
    "bank_account": "113000041410",
    "bank_account_holder": "TRUONG THCS NGUYEN THAI BINH",
}

SIBLINGS = [
    {
        "kind": UnitKind.SCHOOL,
        "name": "Trường Tiểu học Bình Hưng",
        "short_name": "Trường TH Bình Hưng",
        "code": "000.31.42.H29",
        "symbol": "THBH",
        "address": "Ấp 2, xã Bình Hưng, Thành phố Hồ Chí Minh",
        "phone": "028 3758 4242",
        "email": "thbinhhung@binhhung.example",
    },
    {
        "kind": UnitKind.SCHOOL,
        "name": "Trường Mầm non Bình Hưng",
        "short_name": "Trường MN Bình Hưng",
        "code": "000.31.43.H29",
        "symbol": "MNBH",
        "address": "Ấp 1, xã Bình Hưng, Thành phố Hồ Chí Minh",
        "phone": "028 3758 4343",
        "email": "mnbinhhung@binhhung.example",
    },
]


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    position: str
    roles: tuple[str, ...] = ()
    group: str | None = None
    phone: str = ""
    has_certificate: bool = True


SCHOOL_GROUPS = [
    "Tổ Toán - Khoa học tự nhiên",
    "Tổ Ngữ văn - Tiếng Anh",
    "Tổ Tin học, Lịch sử - Địa lý",
    "Tổ Văn phòng",
]

SCHOOL_PEOPLE = [
    Person(
        "trangntt", "Nguyễn Thị Thanh Trang", "Hiệu trưởng", (Role.PRINCIPAL,), None, "0903 111 201"
    ),
    Person(
        "trandth",
        "Dương Thị Huyền Trân",
        "Phó hiệu trưởng",
        (Role.VICE_PRINCIPAL,),
        None,
        "0903 111 202",
    ),
    Person(
        "anhlnh",
        "La Nguyễn Hoàng Anh",
        "Phó hiệu trưởng",
        (Role.VICE_PRINCIPAL,),
        None,
        "0903 111 203",
    ),
    Person(
        "thuyltt",
        "Lê Thị Thanh Thủy",
        "Nhân viên Văn thư",
        (Role.CLERK,),
        "Tổ Văn phòng",
        "0903 111 204",
    ),
    Person(
        "thoatt",
        "Trần Thị Thoa",
        "Giáo viên, Trưởng ban Thanh tra nhân dân",
        (Role.INSPECTION_HEAD,),
        "Tổ Ngữ văn - Tiếng Anh",
        "0903 111 205",
    ),
    Person(
        "vinhnt",
        "Nguyễn Tấn Vinh",
        "Tổ trưởng tổ Tin học, Lịch sử - Địa lý",
        (Role.IT_LEAD,),
        "Tổ Tin học, Lịch sử - Địa lý",
        "0903 111 206",
    ),
    Person(
        "loipv", "Phan Văn Lợi", "Giáo viên Toán", (), "Tổ Toán - Khoa học tự nhiên", "0903 111 207"
    ),
    Person(
        "yencn",
        "Châu Ngọc Yến",
        "Giáo viên Khoa học tự nhiên",
        (),
        "Tổ Toán - Khoa học tự nhiên",
        "0903 111 208",
        False,
    ),
    Person(
        "hanvtn",
        "Võ Thị Ngọc Hân",
        "Giáo viên Ngữ văn",
        (),
        "Tổ Ngữ văn - Tiếng Anh",
        "0903 111 209",
    ),
    Person(
        "nganltk",
        "Lý Thị Kim Ngân",
        "Giáo viên Tiếng Anh",
        (),
        "Tổ Ngữ văn - Tiếng Anh",
        "0903 111 210",
        False,
    ),
    Person(
        "khoahm",
        "Huỳnh Minh Khoa",
        "Giáo viên Tin học",
        (),
        "Tổ Tin học, Lịch sử - Địa lý",
        "0903 111 211",
    ),
    Person(
        "linhdtm",
        "Đặng Thị Mỹ Linh",
        "Giáo viên Lịch sử - Địa lý",
        (),
        "Tổ Tin học, Lịch sử - Địa lý",
        "0903 111 212",
    ),
    Person(
        "habtt", "Bùi Thị Thu Hà", "Kế toán", (Role.ACCOUNTANT,), "Tổ Văn phòng", "0903 111 213"
    ),
]

COMMUNE_PEOPLE = [
    # The chair heads the commune as a principal heads a school: he approves and signs its papers
    # ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"), the consolidated reform report among them, which the
    # reform officer builds; the office's clerk numbers them and releases them with the seal.
    Person(
        "hungnv",
        "Nguyễn Văn Hùng",
        "Chủ tịch Ủy ban nhân dân xã",
        (Role.PRINCIPAL,),
        None,
        "0903 222 300",
    ),
    Person(
        "hanltn",
        "Lê Thị Ngọc Hân",
        "Công chức Văn phòng - Thống kê (văn thư)",
        (Role.CLERK,),
        None,
        "0903 222 302",
    ),
    Person(
        "tuanpm",
        "Phạm Minh Tuấn",
        "Công chức Văn phòng - Thống kê, phụ trách CCHC",
        (Role.COMMUNE_OFFICER,),
        None,
        "0903 222 301",
    ),
]

SIBLING_PEOPLE = {
    "000.31.42.H29": [
        Person("hoanglv", "Lê Văn Hoàng", "Hiệu trưởng", (Role.PRINCIPAL,), None, "0903 333 401"),
        Person("maint", "Nguyễn Thị Mai", "Nhân viên Văn thư", (Role.CLERK,), None, "0903 333 402"),
        Person("sontb", "Trần Bảo Sơn", "Giáo viên", (), None, "0903 333 403"),
    ],
    "000.31.43.H29": [
        Person("lantt", "Trương Thị Lan", "Hiệu trưởng", (Role.PRINCIPAL,), None, "0903 444 501"),
        Person(
            "phuongvt", "Võ Thị Phương", "Nhân viên Văn thư", (Role.CLERK,), None, "0903 444 502"
        ),
    ],
}


def _email(username: str, unit: Unit) -> str:
    return f"{username}@{unit.email.split('@', 1)[1]}" if "@" in unit.email else ""


def _ensure_unit(data: dict, parent: Unit | None) -> tuple[Unit, bool]:
    existing = Unit.objects.filter(code=data["code"]).first()
    if existing is not None:
        return existing, False
    return services.unit_create(actor=None, parent=parent, **data), True


def _ensure_people(unit: Unit, people: list[Person], password_hash: str) -> list[Person]:
    groups = {g.name: g for g in Group.objects.filter(unit=unit)}
    for person in people:
        if Staff.objects.filter(unit=unit, full_name=person.full_name).exists():
            continue
        user, _ = User.objects.get_or_create(
            username=person.username,
            defaults={"password": password_hash, "email": _email(person.username, unit)},
        )
        last, _, first = person.full_name.rpartition(" ")
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
        services.staff_create(
            actor=None,
            unit=unit,
            full_name=person.full_name,
            roles=list(person.roles),
            position=person.position,
            group=groups.get(person.group) if person.group else None,
            email=_email(person.username, unit),
            phone=person.phone,
            has_signature_certificate=person.has_certificate,
            user=user,
        )
    return people


ADMIN_NAME = "Quản trị hệ thống"


@transaction.atomic
def seed_base(password: str = DEMO_PASSWORD) -> list[tuple[str, str, str, str]]:
    """The commune, its three schools and their people; safe to run again (nothing duplicated)."""
    password_hash = make_password(password)
    commune, _ = _ensure_unit(COMMUNE, None)
    school, created = _ensure_unit(SCHOOL, commune)
    if created or not Group.objects.filter(unit=school).exists():
        for name in SCHOOL_GROUPS:
            services.group_create(actor=None, unit=school, name=name)
    _ensure_people(school, SCHOOL_PEOPLE, password_hash)
    by_name = {s.full_name: s for s in Staff.objects.filter(unit=school)}
    leaders = {
        "Tổ Toán - Khoa học tự nhiên": (None, "Dương Thị Huyền Trân"),
        "Tổ Ngữ văn - Tiếng Anh": ("Trần Thị Thoa", "La Nguyễn Hoàng Anh"),
        "Tổ Tin học, Lịch sử - Địa lý": ("Nguyễn Tấn Vinh", "La Nguyễn Hoàng Anh"),
        "Tổ Văn phòng": ("Lê Thị Thanh Thủy", "Dương Thị Huyền Trân"),
    }
    for group in Group.objects.filter(unit=school, head__isnull=True, supervisor__isnull=True):
        head, supervisor = leaders.get(group.name, (None, None))
        services.group_set_leaders(
            actor=None,
            group=group,
            head=by_name.get(head) if head else None,
            supervisor=by_name.get(supervisor) if supervisor else None,
        )
    _ensure_people(commune, COMMUNE_PEOPLE, password_hash)
    logins = [(p.username, p.full_name, p.position, school.short_name) for p in SCHOOL_PEOPLE]
    logins += [(p.username, p.full_name, p.position, commune.short_name) for p in COMMUNE_PEOPLE]
    # The name in one field, as every account made by the system keeps it (QA walk: "Quản trị" /
    # "hệ thống" as given / family name read "hệ thống Quản trị" in the audit log); an admin
    # made by an earlier demo with the split name is put right.
    admin, made = User.objects.get_or_create(
        username="quantri",
        defaults={
            "password": password_hash,
            "first_name": ADMIN_NAME,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if not made and (admin.first_name, admin.last_name) == ("Quản trị", "hệ thống"):
        admin.first_name, admin.last_name = ADMIN_NAME, ""
        admin.save(update_fields=["first_name", "last_name"])
    logins.append(("quantri", "Quản trị hệ thống", "Quản trị hệ thống (trang /quan-tri/)", "—"))
    units = [commune.pk, school.pk]
    for data in SIBLINGS:
        sibling, _ = _ensure_unit(data, commune)
        units.append(sibling.pk)
        people = SIBLING_PEOPLE[data["code"]]
        _ensure_people(sibling, people, password_hash)
        logins += [(p.username, p.full_name, p.position, sibling.short_name) for p in people]
    # The demo's records start on the year's first working days, so its units have used the
    # system since then: reports due from then on are owed (and flagged when missing).
    since = datetime(timezone.localdate().year, 1, 2, 7, 30, tzinfo=VN)
    Unit.objects.filter(pk__in=units, created_at__gt=since).update(created_at=since)
    return logins


GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Ngọc",
    "Nhung",
    "Phúc",
    "Phương",
    "Quân",
    "Quyên",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trung",
    "Tú",
    "Tuấn",
    "Uyên",
    "Vân",
    "Việt",
    "Xuân",
    "Yến",
]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Thu", "Đức", "Kim"]
POSITIONS = ["Giáo viên", "Giáo viên", "Giáo viên", "Giáo viên", "Nhân viên", "Tổ trưởng"]


def seed_bulk(
    *, units: int, staff_per_unit: int, progress: Callable[[int], None] | None = None
) -> int:
    """Generate `units` schools under the demo commune with bulk inserts (for benchmarks).

    One audit event per generated unit records what was created, so the chain stays verifiable
    without paying one audited service call per row.
    """
    commune = Unit.objects.get(code=COMMUNE["code"])
    start = Unit.objects.filter(code__startswith="BENCH.").count()
    batch = 50
    made = 0
    while made < units:
        size = min(batch, units - made)
        with transaction.atomic():
            new_units = Unit.objects.bulk_create(
                [
                    Unit(
                        kind=UnitKind.SCHOOL,
                        name=f"Trường THCS số {start + made + i + 1}",
                        short_name=f"THCS số {start + made + i + 1}",
                        code=f"BENCH.{start + made + i + 1:05d}",
                        symbol=f"THCS{start + made + i + 1}",
                        parent=commune,
                        path="",
                    )
                    for i in range(size)
                ]
            )
            if new_units[0].pk is None:  # backends that do not return keys
                codes = [u.code for u in new_units]
                new_units = list(Unit.objects.filter(code__in=codes).order_by("code"))
            for unit in new_units:
                unit.path = f"{commune.path}{unit.pk:06d}."
            Unit.objects.bulk_update(new_units, ["path"])
            groups = Group.objects.bulk_create(
                [Group(unit=u, name=name) for u in new_units for name in SCHOOL_GROUPS]
            )
            groups_by_unit: dict[int, list[Group]] = {}
            for g in groups:
                groups_by_unit.setdefault(g.unit_id, []).append(g)
            staff = []
            for unit in new_units:
                unit_groups = groups_by_unit.get(unit.pk, [])
                for j in range(staff_per_unit):
                    n = unit.pk * 7919 + j
                    name = (
                        f"{FAMILY[n % len(FAMILY)]} {MIDDLE[(n // 7) % len(MIDDLE)]} "
                        f"{GIVEN[(n // 3) % len(GIVEN)]}"
                    )
                    staff.append(
                        Staff(
                            unit=unit,
                            group=unit_groups[j % len(unit_groups)] if unit_groups else None,
                            full_name=name,
                            position="Hiệu trưởng" if j == 0 else POSITIONS[j % len(POSITIONS)],
                            phone=f"09{n % 100000000:08d}",
                            has_signature_certificate=j % 5 != 0,
                        )
                    )
            Staff.objects.bulk_create(staff, batch_size=2000)
            principals = Staff.objects.filter(unit__in=new_units, position="Hiệu trưởng")
            RoleAssignment.objects.bulk_create(
                [RoleAssignment(staff=p, role=Role.PRINCIPAL) for p in principals]
            )
            for unit in new_units:
                audit_record(
                    actor=None,
                    verb=AuditVerb.SEED_BULK_CREATE,
                    obj=unit,
                    unit=unit,
                    after={
                        "unit": unit.code,
                        "staff": staff_per_unit,
                        "groups": len(SCHOOL_GROUPS),
                    },
                )
        made += size
        if progress:
            progress(size)
    return made


def seed_other_apps(**options: Any) -> list[str]:
    """Run `seed_demo_data()` of every other installed app that has a `demo` module.

    Domain apps build on the units and people above; discovering them here keeps this app
    free of imports from the apps that depend on it.
    """
    lines: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cchc.") or config.name == "cchc.organizations":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        lines += module.seed_demo_data(**options)
    # The apology letters the register's demo released: handed over or posted since.
    lines += importlib.import_module("cchc.dossiers.demo").seed_apology_hand_overs(**options)
    # The one-stop papers of the last weeks, signed with the certificates made above.
    lines += importlib.import_module("cchc.dossiers.demo_paper_signing").seed_signed_papers(
        **options
    )
    # Last: the reform-index self-assessment reads the figures every app above just made.
    lines += importlib.import_module("cchc.kpi.demo_assessment").seed_demo_assessment(**options)
    # Then the past nights' indicator snapshots, from all of the above (the trend lines).
    lines += importlib.import_module("cchc.kpi.demo_history").seed_snapshot_history(**options)
    return lines

"""First-run set-up: the unit, its parent and the first administrator-principal, in one go.

A fresh install has no unit and no account, so nothing else works until this runs. It is
offered at `/cai-dat/` (and as `cchc setup` for scripted installs) exactly while it is needed:
once it has succeeded it is closed for ever, even if every unit were later deleted, because the
audit log (append-only, hash-chained) keeps the "installation.setup" event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cchc.accounts.models import Role, User
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.models import AuditEvent
from cchc.organizations.models import Unit, UnitKind
from cchc.organizations.services import staff_create, unit_create

SETUP_VERB: Final = AuditVerb.INSTALLATION_SETUP
# Decision 20/2020/QĐ-TTg Art. 4: at most 35 characters, groups of digits and capital letters
# separated by dots (e.g. 000.31.41.H29). Tolerant on group length, strict on the alphabet.
UNIT_CODE_RE: Final = re.compile(r"[0-9A-Z]{1,6}(\.[0-9A-Z]{1,6})+")
UNIT_CODE_MESSAGE: Final = (
    "Mã định danh điện tử gồm các nhóm chữ số và chữ in hoa ngăn cách bởi dấu chấm, "
    "tối đa 35 ký tự, ví dụ 000.31.41.H29 (Quyết định 20/2020/QĐ-TTg)."
)
USERNAME_RE: Final = re.compile(r"[A-Za-z0-9_.@+-]{3,150}")


class SetupClosed(Exception):
    """The installation is already set up; the page and the command refuse."""


def setup_is_open() -> bool:
    """True until the first unit exists (or the set-up was ever recorded)."""
    return not Unit.objects.exists() and not AuditEvent.objects.filter(verb=SETUP_VERB).exists()


def clean_unit_code(raw: str, *, field: str = "unit_code") -> str:
    """Upper-case, no spaces; raises a field ValidationError for a code of the wrong shape."""
    code = "".join(raw.split()).upper()
    if len(code) > 35 or not UNIT_CODE_RE.fullmatch(code):
        raise ValidationError({field: UNIT_CODE_MESSAGE})
    return code


@dataclass(frozen=True)
class SetupRequest:
    unit_name: str
    unit_code: str
    admin_username: str
    admin_full_name: str
    password: str
    unit_kind: str = UnitKind.SCHOOL
    unit_address: str = ""
    unit_phone: str = ""
    unit_email: str = ""
    parent_name: str = ""
    parent_code: str = ""
    admin_email: str = ""
    admin_position: str = "Hiệu trưởng"


def _validate(request: SetupRequest) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not request.unit_name.strip():
        add("unit_name", "Hãy nhập tên đơn vị.")
    for field, value in (("unit_code", request.unit_code), ("parent_code", request.parent_code)):
        if field == "parent_code" and not value and not request.parent_name:
            continue
        try:
            clean_unit_code(value, field=field)
        except ValidationError as error:
            add(field, error.message_dict[field][0])
    if request.parent_code and not request.parent_name.strip():
        add("parent_name", "Hãy nhập tên đơn vị cấp trên (hoặc bỏ trống cả mã).")
    if (
        request.parent_code
        and "".join(request.parent_code.split()).upper()
        == "".join(request.unit_code.split()).upper()
    ):
        add("parent_code", "Mã của đơn vị cấp trên phải khác mã của đơn vị.")
    if request.unit_kind not in UnitKind.values:
        add("unit_kind", "Loại đơn vị không hợp lệ.")
    if not USERNAME_RE.fullmatch(request.admin_username):
        add(
            "admin_username",
            "Tên đăng nhập từ 3 ký tự, chỉ gồm chữ không dấu, số và các dấu . _ - @ +.",
        )
    elif User.objects.filter(username__iexact=request.admin_username).exists():
        add("admin_username", "Tên đăng nhập này đã có người dùng.")
    if not request.admin_full_name.strip():
        add("admin_full_name", "Hãy nhập họ và tên của hiệu trưởng.")
    if request.admin_email and User.objects.filter(email__iexact=request.admin_email).exists():
        add("admin_email", "Địa chỉ thư này đã gắn với một tài khoản khác.")
    candidate = User(
        username=request.admin_username,
        email=request.admin_email,
        first_name=request.admin_full_name,
    )
    try:
        validate_password(request.password, candidate)
    except ValidationError as error:
        errors.setdefault("password", []).extend(error.messages)
    return errors


def _lock_units() -> None:
    """Two set-ups racing with different codes must not both succeed (PostgreSQL; SQLite's
    IMMEDIATE transactions already serialise writers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE organizations_unit IN SHARE ROW EXCLUSIVE MODE")


def installation_setup(request: SetupRequest) -> tuple[Unit, User]:
    """Create the parent (if any), the unit and the administrator-principal; audited.

    Raises SetupClosed when a unit already exists, ValidationError with per-field Vietnamese
    messages for bad input. Nothing is written unless everything is.
    """
    errors = _validate(request)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            _lock_units()
            if not setup_is_open():
                raise SetupClosed
            parent = None
            if request.parent_code:
                parent = unit_create(
                    actor=None,
                    kind=UnitKind.COMMUNE,
                    name=request.parent_name.strip(),
                    code=clean_unit_code(request.parent_code, field="parent_code"),
                )
            unit = unit_create(
                actor=None,
                parent=parent,
                kind=request.unit_kind,
                name=request.unit_name.strip(),
                code=clean_unit_code(request.unit_code),
                address=request.unit_address.strip(),
                phone=request.unit_phone.strip(),
                email=request.unit_email.strip(),
            )
            user = User(
                username=request.admin_username,
                email=request.admin_email.strip(),
                first_name=request.admin_full_name.strip(),
                is_staff=True,
                is_superuser=True,
            )
            user.set_password(request.password)
            user.save()
            staff_create(
                actor=user,
                unit=unit,
                full_name=" ".join(request.admin_full_name.split()),
                position=request.admin_position,
                email=request.admin_email.strip(),
                user=user,
                roles=[Role.PRINCIPAL, Role.SYSTEM_ADMIN],
            )
            audit_record(
                actor=user,
                verb=SETUP_VERB,
                obj=unit,
                unit=unit,
                after={
                    "unit": snapshot(unit, ["name", "code", "kind"]),
                    "parent": parent.code if parent else None,
                    "admin": user.username,
                },
            )
    except IntegrityError:
        # A concurrent set-up (or a second click) took the code or the user name first.
        raise SetupClosed from None
    return unit, user

"""Rules the database itself enforces, because the admin site, imports and data migrations write
rows without going through the services (issue 18, part 4).

Each helper builds one `CheckConstraint` with a Vietnamese message (the admin's forms show it
through `Model.validate_constraints`); `verify_then_add` makes a migration look at the rows
already there before adding constraints, so an old bad row stops the migration with a list of
what to fix instead of a bare IntegrityError halfway through a table rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import migrations, models
from django.db.models import F, Q


def one_of(
    field: str, choices: type[models.Choices], *, name: str, label: str, blank: bool = False
) -> models.CheckConstraint:
    """`field` holds one of the choices' values (or "" when `blank`): a status, a channel …"""
    values = [*choices.values, *([""] if blank else [])]
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": values}),
        name=name,
        violation_error_message=f"{label} không phải một giá trị hợp lệ.",
    )


def not_before(
    later: str, earlier: str, *, name: str, message: str, strictly: bool = False
) -> models.CheckConstraint:
    """`later` ≥ `earlier` (> when `strictly`); a missing `later` (open end) passes."""
    lookup = "gt" if strictly else "gte"
    return models.CheckConstraint(
        condition=Q(**{f"{later}__isnull": True}) | Q(**{f"{later}__{lookup}": F(earlier)}),
        name=name,
        violation_error_message=message,
    )


def between(field: str, low: int, high: int, *, name: str, message: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=name,
        violation_error_message=message,
    )


def existing_rows_check(app_label: str, operations: list[Any]) -> Callable[[Any, Any], None]:
    """A RunPython function: stop with the ids of rows that break any new CheckConstraint."""

    def check(apps: Any, schema_editor: Any) -> None:
        problems = []
        for operation in operations:
            constraint = getattr(operation, "constraint", None)
            if not isinstance(constraint, models.CheckConstraint):
                continue
            model = apps.get_model(app_label, operation.model_name)
            bad = model._base_manager.using(schema_editor.connection.alias).exclude(
                constraint.condition
            )
            ids = list(bad.order_by("pk").values_list("pk", flat=True)[:10])
            if ids:
                problems.append(
                    f"{model._meta.db_table}: {bad.count()} dòng vi phạm {constraint.name} "
                    f"(id {', '.join(map(str, ids))}{', …' if len(ids) == 10 else ''})"
                )
        if problems:
            raise RuntimeError(
                "Dữ liệu hiện có không thỏa ràng buộc mới; sửa các dòng sau rồi chạy lại "
                "migrate:\n" + "\n".join(problems)
            )

    return check


def verify_then_add(app_label: str, operations: Iterable[Any]) -> list[Any]:
    """The migration's AddConstraint operations, preceded by a check of the existing rows."""
    operations = list(operations)
    return [
        migrations.RunPython(
            existing_rows_check(app_label, operations), migrations.RunPython.noop, elidable=True
        ),
        *operations,
    ]

"""House rule (issue 18, style.md): whoever acts is typed. Every parameter named `actor` says
what it is (our `User`, or `User | None` where the system acts too), never `Any` or nothing,
and nobody asks an actor `getattr(actor, "pk", None)` to guess. mypy checks the types; this
checks the rule mypy cannot see (an `Any` is always accepted)."""

from __future__ import annotations

import ast
from pathlib import Path

import cchc

ROOT = Path(cchc.__file__).resolve().parent


def _sources() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _actor_parameters(tree: ast.AST) -> list[tuple[int, ast.arg]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                if arg.arg == "actor":
                    found.append((node.lineno, arg))
    return found


def _untyped(annotation: ast.expr | None) -> bool:
    """No annotation, `object`, or `Any` anywhere in it (`AnyUser` is a real type)."""
    if annotation is None:
        return True
    names = {
        node.id if isinstance(node, ast.Name) else node.attr
        for node in ast.walk(annotation)
        if isinstance(node, ast.Name | ast.Attribute)
    }
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return _untyped(ast.parse(annotation.value, mode="eval").body)
    return bool(names & {"Any", "object"})


def test_every_actor_parameter_is_typed_and_not_any() -> None:
    offenders = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, arg in _actor_parameters(tree):
            if _untyped(arg.annotation):
                shown = ast.unparse(arg.annotation) if arg.annotation is not None else "?"
                offenders.append(f"{path.relative_to(ROOT)}:{line} actor: {shown}")
    assert offenders == []


def test_no_service_guesses_whether_the_actor_is_a_user() -> None:
    offenders = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "hasattr")
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "actor"
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_rule_sees_an_untyped_actor() -> None:
    """The checker itself: an `Any` actor and a missing annotation are both found."""
    tree = ast.parse(
        "def a(*, actor: Any) -> None: ...\n"
        "def b(actor): ...\n"
        "def c(*, actor: User | None) -> None: ...\n"
        "def d(actor: AnyUser) -> None: ...\n"
        "def e(actor: typing.Any | None) -> None: ...\n"
    )
    verdicts = [_untyped(arg.annotation) for _, arg in _actor_parameters(tree)]
    assert verdicts == [True, True, False, False, True]

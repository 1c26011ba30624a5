"""A Django template turned once into plain Python parts, for the busiest public page (issue 11).

Django's template engine spends most of its time per variable on machinery a small page of
plain strings does not use: each `{{ name }}` is resolved through the context's stack, tried as
a key, an attribute and an index, localised, and escaped through lazy wrappers. For the public
look-up that was a quarter of the server's time per request. `compile_page(template, layout)`
walks the compiled template's nodes once and returns a function `render(context) -> str` built
from closures: text is a constant, `{{ a.b }}` a dict look-up and `html.escape`, `{% if a %}`
a truth test, `{% for x in xs %}` a Python loop, `{% extends %}` resolved against `layout` once.

The template stays the one definition of the markup (the full layout for signed-in visitors
still renders it through Django), and the output is the same text Django renders, byte for
byte (`tests/test_page_parts.py` compares them). Only what that equality can be kept for is
compiled: filters, tags other than if/for/block/extends/comment, `forloop`, `block.super`,
several loop variables or conditions with operators make `compile_page` return None, and the
caller renders through Django as before. A value that is not a plain dict key or plain text
(an object attribute, a number, a date, safe HTML) is handed to Django's own resolution and
`render_value_in_context`, so it reads exactly as in a template.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, cast

from django.template import Context, Template
from django.template.base import (
    FilterExpression,
    Node,
    TextNode,
    Variable,
    VariableNode,
    render_value_in_context,
)
from django.template.defaulttags import CommentNode, ForNode, IfNode
from django.template.loader_tags import BlockNode, ExtendsNode

Scope = dict[str, Any]
Part = Callable[[Scope], str]
Page = Callable[[Scope], str]


class Unsupported(Exception):
    """The template uses something `compile_page` does not reproduce exactly."""


_MISSING = object()
# Names Django puts in the context itself, which a plain dict of the view's values lacks.
_DJANGO_NAMES = frozenset({"forloop", "block"})
# render_value_in_context reads only the context's flags (autoescape, use_l10n, use_tz).
_FLAGS = Context(autoescape=True)


def compile_page(template: Template, layout: Template | None = None) -> Page | None:
    """`template` (which may `{% extends %}` a variable: `layout` is then its parent) as one
    function of the context's dict, or None when it uses something not compiled here."""
    try:
        nodes = list(template.nodelist)
        first = next((node for node in nodes if not isinstance(node, TextNode)), None)
        if isinstance(first, ExtendsNode):
            if layout is None or any(isinstance(n, ExtendsNode) for n in layout.nodelist):
                raise Unsupported("extends without a known parent, or a parent that extends")
            part = _nodes(list(layout.nodelist), first.blocks, template)
        else:
            part = _nodes(nodes, {}, template)
    except Unsupported:
        return None
    return part


def _nodes(nodes: list[Node], blocks: dict[str, BlockNode], template: Template) -> Part:
    """Consecutive nodes as one part; neighbouring text merged into one constant."""
    parts: list[Part | str] = []
    for node in nodes:
        part = _node(node, blocks, template)
        if isinstance(part, str) and parts and isinstance(parts[-1], str):
            parts[-1] += part
        elif part != "":
            parts.append(part)
    if not parts:
        return lambda scope: ""
    if len(parts) == 1:
        only = parts[0]
        return (lambda scope: only) if isinstance(only, str) else only
    fixed = [(part, None) if isinstance(part, str) else ("", part) for part in parts]

    def render(scope: Scope) -> str:
        return "".join([text if call is None else call(scope) for text, call in fixed])

    return render


def _node(node: Node, blocks: dict[str, BlockNode], template: Template) -> Part | str:
    if isinstance(node, TextNode):
        return node.s
    if isinstance(node, CommentNode):
        return ""
    if isinstance(node, VariableNode):
        return _variable(node.filter_expression, template)
    if isinstance(node, IfNode):
        return _if(node, blocks, template)
    if isinstance(node, ForNode):
        return _for(node, blocks, template)
    if isinstance(node, BlockNode):
        chosen = blocks.get(node.name, node)
        return _nodes(list(chosen.nodelist), blocks, template)
    raise Unsupported(type(node).__name__)


def _lookups(expression: FilterExpression) -> tuple[str, ...]:
    """The dotted names of a variable without filters."""
    var = expression.var
    if expression.filters or not isinstance(var, Variable) or var.lookups is None:
        raise Unsupported(f"not a plain variable: {expression.token}")
    if var.translate or var.lookups[0] in _DJANGO_NAMES:
        raise Unsupported(f"not a plain variable: {expression.token}")
    return tuple(var.lookups)


def _context(scope: Scope, template: Template) -> Context:
    """A Django context over the page's values, for what Django resolves itself (it reads the
    engine's settings, such as string_if_invalid, through the context's template)."""
    context = Context(scope, autoescape=True)
    context.template = template
    return context


def _value(scope: Scope, lookups: tuple[str, ...]) -> Any:
    """The value when each step is a key of a plain dict and the value is not callable (what
    Django's own resolution gives then), else _MISSING for Django to resolve."""
    value: Any = scope
    for bit in lookups:
        if type(value) is not dict:
            return _MISSING
        value = value.get(bit, _MISSING)
        if value is _MISSING or callable(value):
            return _MISSING
    return value


def _variable(expression: FilterExpression, template: Template) -> Part:
    lookups = _lookups(expression)
    escape = html.escape  # what django.utils.html.escape does to plain text

    def render(scope: Scope) -> str:
        value = _value(scope, lookups)
        if type(value) is str:
            return escape(value)
        if value is _MISSING:
            value = expression.resolve(_context(scope, template))
        return render_value_in_context(value, _FLAGS)

    return render


def _condition(condition: Any, template: Template) -> Callable[[Scope], Any]:
    """A condition of one variable (`{% if a %}`, `{% if not a %}`): its truth."""
    if getattr(condition, "id", None) == "literal":
        lookups = _lookups(condition.value)

        def truth(scope: Scope) -> Any:
            value = _value(scope, lookups)
            if value is _MISSING:
                return condition.eval(_context(scope, template))
            return value

        return truth
    if getattr(condition, "id", None) == "not" and getattr(condition, "second", None) is None:
        inner = _condition(condition.first, template)
        return lambda scope: not inner(scope)
    raise Unsupported(f"condition {condition!r}")


def _if(node: IfNode, blocks: dict[str, BlockNode], template: Template) -> Part:
    branches = [
        (
            _condition(condition, template) if condition is not None else None,
            _nodes(list(nodes), blocks, template),
        )
        for condition, nodes in node.conditions_nodelists
    ]

    def render(scope: Scope) -> str:
        for truth, part in branches:
            if truth is None or truth(scope):
                return part(scope)
        return ""

    return render


def _for(node: ForNode, blocks: dict[str, BlockNode], template: Template) -> Part:
    if len(node.loopvars) != 1 or node.is_reversed:
        raise Unsupported("for with several names or reversed")
    name = node.loopvars[0]
    sequence = cast(FilterExpression, node.sequence)  # the stubs allow a str; the parser never
    lookups = _lookups(sequence)
    body = _nodes(cast(list[Node], list(node.nodelist_loop)), blocks, template)
    empty = _nodes(cast(list[Node], list(node.nodelist_empty)), blocks, template)

    def render(scope: Scope) -> str:
        values = _value(scope, lookups)
        if values is _MISSING:
            values = sequence.resolve(_context(scope, template), ignore_failures=True)
        if values is None:
            values = []
        if not hasattr(values, "__len__"):
            values = list(values)
        if len(values) < 1:
            return empty(scope)
        # The loop's name shadows the page's while the loop runs, as Django's context push does.
        saved = scope.get(name, _MISSING)
        try:
            out = []
            for item in values:
                scope[name] = item
                out.append(body(scope))
        finally:
            if saved is _MISSING:
                scope.pop(name, None)
            else:
                scope[name] = saved
        return "".join(out)

    return render

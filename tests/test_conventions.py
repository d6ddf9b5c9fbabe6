"""Conventions kept by walking the source (CONVENTIONS.md "Writes, reads, access", "Audit"):

- who may do what (`can_*`) is decided in `policies.py` modules only;
- audit events are members of `audit.events.AuditEventType`, never bare strings;
- a URL of the project is reversed without a fallback: a missing name is a bug, not a variant;
- no scope is read from a missing user: the hand-made `scope_q(user, ...)` is gone, national
  scope is `Scope.national()` or a `CommandLineActor`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py")) + ["reta"]


def _product_modules() -> Iterator[tuple[str, ast.Module]]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def test_permission_decisions_live_in_policies_modules() -> None:
    found = [
        f"{name}:{node.lineno} {node.name}"
        for name, tree in _product_modules()
        if not name.endswith("policies.py")
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("can_")
    ]
    assert found == []


def test_audit_events_are_members_of_the_catalogue() -> None:
    found = []
    for name, tree in _product_modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called not in ("audit_record", "audit_event"):
                continue
            for keyword in node.keywords:
                if keyword.arg == "event" and isinstance(keyword.value, ast.Constant):
                    found.append(f"{name}:{node.lineno} event={keyword.value.value!r}")
    assert found == []


def test_urls_are_reversed_without_a_fallback() -> None:
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _product_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "NoReverseMatch"
    ]
    assert found == []


def test_no_scope_is_built_by_hand_from_a_user() -> None:
    """`scope_q(user, field)` was the primitive wrapped by hand in every module; what is left is
    `Model.objects.visible_to(user)` and `get_visible_or_404` (administration.access)."""
    found = [
        f"{name}:{node.lineno} {node.id}"
        for name, tree in _product_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in ("scope_q", "complaints_visible_to", "serials_visible_to")
    ]
    assert found == []

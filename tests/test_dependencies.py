"""Which module may import which: no import cycle between modules of the project, and the
direction chosen between the apps that used to import each other.

- complaints -> paperforms: the Reporting module checks and marks a paper form's serial through
  `paperforms.services` (with `paperforms.serials` and the model). The core of paperforms
  (models, serials, policies, selectors, services) never imports complaints: it knows the
  complaint by its label and its attributes. Only its edge (pdf, views, the command) uses the
  public pieces of complaints (catalogues, rule codes, queries, selectors, policies).
- diligences -> complaints: nothing in complaints imports diligences.
- The kernels import no app module they do not own: reta.guards, reta.transactions and
  reta.db_router import Django only,
  administration.numbering Django and administration.models only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py")) + ["reta"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(path): path
    for app in APPS
    for path in (ROOT / app).rglob("*.py")
    if "migrations" not in path.relative_to(ROOT).parts
}


def _imports(path: Path, *, top_level_only: bool) -> Iterator[str]:
    """The modules `path` imports (`from a import b` counts as `a.b` when that is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes: list[ast.AST] = []
    if top_level_only:
        for node in tree.body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
                continue  # not executed at run time
            nodes.extend(ast.walk(node) if isinstance(node, (ast.If, ast.Try)) else [node])
    else:
        nodes = list(ast.walk(tree))
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in MODULES else node.module


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_of_the_project_imports_itself_back_at_import_time() -> None:
    graph = {
        name: {target for target in _imports(path, top_level_only=True) if target in MODULES and target != name}
        for name, path in MODULES.items()
    }
    assert _cycles(graph) == []


def _imported_by(prefix: str) -> dict[str, set[str]]:
    return {
        name: set(_imports(path, top_level_only=False))
        for name, path in MODULES.items()
        if name == prefix or name.startswith(prefix + ".")
    }


def _from(imports: set[str], app: str) -> set[str]:
    return {module for module in imports if module == app or module.startswith(app + ".")}


@pytest.mark.parametrize("module", ["models", "serials", "policies", "selectors", "services"])
def test_the_core_of_paperforms_never_imports_complaints(module: str) -> None:
    imports = set(_imports(MODULES[f"paperforms.{module}"], top_level_only=False))
    assert _from(imports, "complaints") == set()


def test_complaints_reach_paperforms_through_its_services_only() -> None:
    allowed = {"paperforms.models", "paperforms.serials", "paperforms.services"}
    used = {module for imports in _imported_by("complaints").values() for module in _from(imports, "paperforms")}
    assert used <= allowed, used - allowed


def test_complaints_never_import_diligences() -> None:
    used = {module for imports in _imported_by("complaints").values() for module in _from(imports, "diligences")}
    assert used == set()


def test_the_kernels_import_nothing_they_do_not_own() -> None:
    guards = set(_imports(MODULES["reta.guards"], top_level_only=False))
    assert {module.split(".")[0] for module in guards} <= {"__future__", "typing", "django"}
    retries = {module.split(".")[0] for module in _imports(MODULES["reta.transactions"], top_level_only=False)}
    assert retries & set(APPS) == set() and "django" in retries
    private_media = set(_imports(MODULES["reta.private_media"], top_level_only=False))
    assert {module.split(".")[0] for module in private_media} <= {
        "__future__",
        "hashlib",
        "logging",
        "os",
        "typing",
        "django",
    }
    router = set(_imports(MODULES["reta.db_router"], top_level_only=False))
    assert {module.split(".")[0] for module in router} <= {
        "__future__",
        "functools",
        "logging",
        "time",
        "re",
        "collections",
        "contextlib",
        "contextvars",
        "typing",
        "django",
    }
    numbering = set(_imports(MODULES["administration.numbering"], top_level_only=False))
    assert {module for module in numbering if module.split(".")[0] in APPS} == {"administration.models"}


# Which apps each app may import (README "Architecture"). The kernel modules of `reta` (guards,
# history, pdf, exports, transactions, private_media, form_fields, db_router) are shared by every
# app; the rest of `reta` is the project shell (settings, URLs, middleware, navigation), which may
# import every module that has a screen.
RETA_KERNEL = {
    "reta.guards",
    "reta.history",
    "reta.pdf",
    "reta.exports",
    "reta.transactions",
    "reta.private_media",
    "reta.form_fields",
    "reta.db_router",
}
MAY_IMPORT: dict[str, set[str]] = {
    "administration": {"audit"},
    "audit": {"administration"},
    "people": {"administration", "audit"},
    "complaints": {"administration", "audit", "people", "paperforms"},
    "paperforms": {"administration", "audit", "people", "complaints"},
    "diligences": {"administration", "audit", "people", "complaints"},
    "stats": {"administration", "audit", "people", "complaints"},
    # stats: the server-rendered charts (stats.charts, the map's outlines) only; stats never imports investigations.
    "investigations": {"administration", "audit", "people", "complaints", "diligences", "stats"},
    "analysis": {"administration", "audit", "people", "complaints", "investigations", "stats"},
    # htcds: the statistics read model and scope, and the codes of the case files (status, recruitment).
    "htcds": {"administration", "audit", "complaints", "investigations", "stats"},
    "demo": set(APPS) - {"demo"},
    "reta": set(APPS) - {"reta", "demo"},
}


def test_every_app_is_listed_with_what_it_may_import() -> None:
    assert set(MAY_IMPORT) == set(APPS)


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_each_app_imports_only_what_it_may(app: str) -> None:
    allowed = MAY_IMPORT[app] | {app}
    wrong = {}
    for name, imports in _imported_by(app).items():
        for module in imports:
            target = module.split(".")[0]
            if target not in APPS or target in allowed:
                continue
            if target == "reta" and any(module == k or module.startswith(k + ".") for k in RETA_KERNEL):
                continue
            wrong.setdefault(name, set()).add(module)
    assert wrong == {}, f"{app} imports outside what it may (README 'Architecture'): {wrong}"


def test_the_reta_kernel_imports_only_the_audit_context() -> None:
    used = {
        module
        for name in RETA_KERNEL
        for module in _imports(MODULES[name], top_level_only=False)
        if module.split(".")[0] in APPS and not module.startswith("reta")
    }
    assert used <= {"audit.context"}, used


def test_no_app_imports_demo() -> None:
    users = {
        name for app in APPS if app != "demo" for name, imports in _imported_by(app).items() if _from(imports, "demo")
    }
    assert users == set()

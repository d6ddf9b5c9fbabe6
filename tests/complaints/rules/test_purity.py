"""The rule engine is pure Python: nothing under complaints/rules imports Django (CONVENTIONS.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import complaints.rules

RULES_DIR = Path(complaints.rules.__file__).parent


def imported_modules(source: str) -> set[str]:
    """Every module a Python source imports, at any depth (absolute names; relative ones start with '.')."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("__import__", "import_module")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            modules.add(str(node.args[0].value))
    return modules


def imports_django(source: str) -> bool:
    return any(module == "django" or module.startswith("django.") for module in imported_modules(source))


def test_the_rules_package_has_modules_to_check() -> None:
    assert {path.name for path in RULES_DIR.rglob("*.py")} >= {"__init__.py", "engine.py", "facts.py", "codes.py"}


def test_no_module_under_complaints_rules_imports_django() -> None:
    offenders = [
        str(path.relative_to(RULES_DIR))
        for path in sorted(RULES_DIR.rglob("*.py"))
        if imports_django(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_check_sees_every_way_of_importing_django() -> None:
    assert imports_django("import django")
    assert imports_django("import os, django.conf")
    assert imports_django("from django.utils import timezone")
    assert imports_django("def f():\n    from django.db import models\n")
    assert imports_django("importlib.import_module('django.conf')")
    assert imports_django("__import__('django')")
    assert not imports_django("import djangoish\nfrom .codes import django_like")


def test_importing_the_rules_loads_no_django_module() -> None:
    code = (
        "import sys, complaints.rules, complaints.rules.engine\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded)\n"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=RULES_DIR.parents[1], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"

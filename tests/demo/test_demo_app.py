"""The demo app stays out of the product: it may import every app, nothing imports it."""

from __future__ import annotations

import ast
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
# Where the product's code lives: every top-level package except the demo itself and the tests.
PRODUCT = sorted(
    path
    for path in ROOT.iterdir()
    if path.is_dir() and (path / "__init__.py").exists() and path.name not in {"demo", "tests"}
)


def _imports_demo(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "demo" or a.name.startswith("demo.") for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "demo" or node.module.startswith("demo."):
                return True
    return False


def test_no_product_module_imports_the_demo_app() -> None:
    assert {path.name for path in PRODUCT} >= {"administration", "audit", "complaints", "reta"}
    offenders = [
        str(path.relative_to(ROOT)) for package in PRODUCT for path in package.rglob("*.py") if _imports_demo(path)
    ]
    assert offenders == []


def test_the_demo_commands_belong_to_the_demo_app() -> None:
    commands = get_commands()
    for name in ("load_demo_data", "demo_otp_code", "generate_synthetic"):
        assert commands[name] == "demo"

"""The stats app's place among the apps: complaints never imports stats (the read model is kept
through complaints' domain signals, connected in StatsConfig.ready), and every module of stats
says what it owns and what it may import."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from django.apps import apps

from complaints.models import Complaint
from complaints.signals import complaint_amended, complaint_recorded

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_complaints_imports_nothing_of_stats() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in _imports(path) if name.split(".")[0] == "stats")
        for path in (ROOT / "complaints").rglob("*.py")
    }
    assert not {path: names for path, names in offenders.items() if names}


def test_stats_listens_to_the_complaints_signals() -> None:
    assert apps.is_installed("stats")
    for signal in (complaint_recorded, complaint_amended):
        assert signal.has_listeners(Complaint), signal


def test_every_module_of_stats_says_what_it_may_import() -> None:
    missing = []
    for path in sorted((ROOT / "stats").glob("*.py")):
        if path.name in ("apps.py", "urls.py"):
            continue
        module = importlib.import_module(f"stats.{path.stem}" if path.stem != "__init__" else "stats")
        if "May import" not in (module.__doc__ or "") and "may import" not in (module.__doc__ or ""):
            missing.append(path.name)
    assert not missing

"""Retention (SECURITY.md 12, README "Audit"): RETA never purges audit events. There is no purge
command and no code path of the product deletes an audit row; the ORM and (on MySQL/MariaDB) the
database refuse it (tests/audit/test_audit_trail.py, tests/complaints/test_freeze_database.py)."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
# What may empty the table: the test runner's flush (reta.testing_db), never the product.
NOT_PRODUCT = ("tests", ".venv", "reta/testing_db", "node_modules")
DELETING = [
    re.compile(r"(DELETE\s+FROM|TRUNCATE(\s+TABLE)?|DROP\s+TABLE)\s+`?audit_auditevent", re.IGNORECASE),
    re.compile(r"AuditEvent\b[^\n]*\.(delete|_raw_delete)\("),
    re.compile(r"audit_events?[^\n]*\.delete\("),
]


def _product_sources() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not any(path.relative_to(ROOT).as_posix().startswith(part) for part in NOT_PRODUCT)
    ]


def test_no_command_purges_the_audit_trail() -> None:
    commands = get_commands()
    purging = {name for name in commands if re.search(r"purge|prune", name) and "audit" in name}
    assert purging == set()
    assert {name for name, app in commands.items() if app == "audit"} == {"verify_audit"}


def test_no_code_path_of_the_product_deletes_audit_rows() -> None:
    sources = _product_sources()
    assert any(path.name == "chain.py" for path in sources)  # the scan reads the product
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(pattern.search(line) for pattern in DELETING)
    ]
    assert found == []


def test_the_scan_would_see_a_purge() -> None:
    assert any(p.search("cursor.execute('DELETE FROM audit_auditevent WHERE created_at < %s')") for p in DELETING)
    assert any(p.search("AuditEvent.objects.filter(created_at__lt=cut).delete()") for p in DELETING)

"""The id that groups what one request, command run or service call writes (audit.context)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from audit import context
from audit.events import AuditEventType
from audit.services import audit_record

ROOT = Path(__file__).resolve().parents[2]
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def test_nothing_is_bound_outside_a_request_or_a_scope() -> None:
    assert context.current_request_id() == ""


def test_a_scope_binds_one_id_that_nested_scopes_keep() -> None:
    with context.request_id_scope() as outer:
        assert HEX32.match(outer) and context.current_request_id() == outer
        with context.request_id_scope() as inner:
            assert inner == outer
    assert context.current_request_id() == ""
    with context.request_id_scope() as later:
        assert later != outer


def test_the_request_id_wins_over_a_scope() -> None:
    token = context.bind(SimpleNamespace(request_id="f" * 32, META={}))
    try:
        with context.request_id_scope() as scoped:
            assert scoped == "f" * 32 and context.current_request_id() == "f" * 32
    finally:
        context.unbind(token)


def test_a_decorated_call_gets_its_own_id_each_time() -> None:
    @context.request_id_scope()
    def call() -> str:
        return context.current_request_id()

    first, second = call(), call()
    assert HEX32.match(first) and HEX32.match(second) and first != second


@pytest.mark.django_db
def test_an_event_written_outside_a_request_carries_the_scope_id(personas: dict) -> None:
    with context.request_id_scope() as request_id:
        event = audit_record(event=AuditEventType.EXPORT, actor=personas["auditor"])
    assert event.request_id == request_id
    assert audit_record(event=AuditEventType.EXPORT, actor=personas["auditor"]).request_id == ""


def test_a_command_run_from_manage_py_has_its_own_id() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "reta.settings_test"}
    code = "from audit.context import current_request_id; print(current_request_id())"
    run = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert HEX32.match(run.stdout.strip())

"""``manage.py classify``: facts JSON on stdin, the classification result JSON on stdout. No database."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[2]

LAW_EXAMPLE_FACTS = {
    "date_of_facts": "2010-05-01",
    "victims": [{"age": 16, "sex": "F"}],
    "suspects": [{"sex": "M"}],
    "conducts": ["recruitment", "transfer"],
    "means": ["deception"],
    "purposes": ["prostitution"],
    "case_facts": [],
    "related_facts": ["hands_over_for_sex"],
}

LAW_EXAMPLE_RESULT = {
    "law": "PE-2007",
    "article": "153",
    "outcome": "trafficking",
    "purpose_categories": ["sexual_exploitation"],
    "aggravating": [{"code": "victim_14_to_17_or_incapable", "degree": 1, "article": "153-A"}],
    "related_crimes": [{"code": "proxenetismo", "article": "181"}],
    "alert": "high",
    "warnings": [],
}


class Unreadable(io.StringIO):
    """A stdin that must not be read."""

    def read(self, *args: Any) -> str:
        raise AssertionError("stdin was read")


def run_classify(stdin: Any, *args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("classify", *args, stdin=stdin, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def run_failing(stdin: Any, *args: str) -> str:
    """Run the command expecting exit status 2; return what it wrote on stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("classify", *args, stdin=stdin, stdout=stdout, stderr=stderr)
    assert caught.value.code == 2
    assert stdout.getvalue() == ""
    return stderr.getvalue()


def test_it_classifies_the_law_md_example() -> None:
    out, err = run_classify(io.StringIO(json.dumps(LAW_EXAMPLE_FACTS)))
    data = json.loads(out)
    explanation = data.pop("explanation")
    assert data == LAW_EXAMPLE_RESULT
    assert "Se registran conductas de captación y traslado (art. 153 del Código Penal, Ley 28950)." in explanation
    assert err == ""


def test_it_prints_indented_json_with_spanish_letters_as_they_are() -> None:
    out, _ = run_classify(io.StringIO(json.dumps(LAW_EXAMPLE_FACTS)))
    assert out == json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"
    assert "captación" in out


def test_law_forces_a_profile() -> None:
    out, _ = run_classify(io.StringIO(json.dumps(LAW_EXAMPLE_FACTS)), "--law", "PE-2021")
    data = json.loads(out)
    assert (data["law"], data["article"], data["aggravating"][0]["article"]) == ("PE-2021", "129-A", "129-B")


def test_bad_json_exits_with_status_2_and_a_spanish_message() -> None:
    err = run_failing(io.StringIO('{"conducts": ["recruitment",'))
    assert "Error: La entrada no es un JSON válido (línea 1, columna 29)." in err


def test_input_not_in_utf8_exits_with_status_2() -> None:
    err = run_failing(io.BytesIO(b'{"conducts": ["captaci\xf3n"]}'))
    assert "Error: La entrada no está codificada en UTF-8." in err


def test_an_unknown_code_exits_with_status_2_and_a_spanish_message() -> None:
    err = run_failing(io.StringIO(json.dumps({**LAW_EXAMPLE_FACTS, "means": ["bribery"]})))
    assert "Error: Código desconocido en «means» (medios): «bribery»." in err


def test_a_bad_date_exits_with_status_2() -> None:
    err = run_failing(io.StringIO(json.dumps({**LAW_EXAMPLE_FACTS, "date_of_facts": "2999-01-01"})))
    assert "es posterior a hoy" in err


def test_an_unknown_law_exits_with_status_2_before_reading_the_input() -> None:
    err = run_failing(Unreadable(), "--law", "PE-1924")
    assert "Error: Perfil de ley desconocido: «PE-1924». Valores válidos: PE-2007, PE-2014, PE-2021." in err


def manage_py(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "reta.settings_test")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "classify", *args],
        input=stdin,
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_manage_py_reads_stdin_and_exits_0() -> None:
    done = manage_py(json.dumps(LAW_EXAMPLE_FACTS))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    data.pop("explanation")
    assert data == LAW_EXAMPLE_RESULT


@pytest.mark.parametrize(
    ("stdin", "args", "message"),
    [
        pytest.param("no es json", (), "La entrada no es un JSON válido", id="bad_json"),
        pytest.param('{"conducts": ["secuestro"]}', (), "Código desconocido en «conducts»", id="unknown_code"),
        pytest.param("{}", ("--law", "PE-2000"), "Perfil de ley desconocido: «PE-2000»", id="unknown_law"),
    ],
)
def test_manage_py_exits_with_status_2_on_bad_input(stdin: str, args: tuple[str, ...], message: str) -> None:
    done = manage_py(stdin, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""

"""``manage.py classify [--law PE-2007|PE-2014|PE-2021] < facts.json``: classify facts from stdin.

Reads the facts JSON of LAW.md on stdin and prints the classification result JSON. Bad JSON, unknown
codes, bad dates or an unknown --law: a Spanish message on stderr and exit status 2.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand
from django.utils import timezone

from complaints.rules import RulesError, classify, decision_to_dict, facts_from_dict, get_profile

USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Clasifica los hechos de una denuncia según la Ley 28950 y sus reformas. Lee el JSON de los hechos "
        "por la entrada estándar y escribe el resultado en JSON."
    )
    requires_system_checks: list[str] = []  # a pure computation: no database, no checks needed
    stealth_options = ("stdin",)  # call_command("classify", stdin=io.StringIO(...)) in tests

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--law",
            metavar="PERFIL",
            help="Fuerza un perfil de ley (PE-2007, PE-2014 o PE-2021) en lugar de elegirlo por la fecha "
            "de los hechos.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        law = options["law"]
        try:
            if law is not None:
                get_profile(law)  # refuse an unknown profile before reading the input
            data = json.loads((options.get("stdin") or sys.stdin).read())
            today = timezone.localdate()
            decision = classify(facts_from_dict(data, today=today), law=law, today=today)
        except UnicodeDecodeError:
            self._fail("La entrada no está codificada en UTF-8.")
        except json.JSONDecodeError as error:
            self._fail(f"La entrada no es un JSON válido (línea {error.lineno}, columna {error.colno}).")
        except RulesError as error:
            self._fail(str(error))
        self.stdout.write(json.dumps(decision_to_dict(decision), indent=2, ensure_ascii=False))

    def _fail(self, message: str) -> NoReturn:
        """Spanish message on stderr, exit status 2 (CommandError would exit with 1 and an English prefix)."""
        self.stderr.write(f"Error: {message}")
        sys.exit(USAGE_ERROR)

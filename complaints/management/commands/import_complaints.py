"""``manage.py import_complaints FILE.jsonl --user USERNAME [--skip-invalid]``: the legacy import.

Every line is checked before anything is written (complaints.importing). Bad lines are listed with
their number and reason; with any bad line nothing is imported unless ``--skip-invalid``. Numbers
already in the database are skipped (importing the same file twice imports nothing the second time).

``--user`` is required: the personal account the records are registered under (their "registered
by") and the actor of the audit events. It must be an active national administrator's account: the
import writes frozen records that only that role may amend, and there is no shared "system" account
in RETA (SECURITY.md 1).

Exit status: 0 when it went through (with ``--skip-invalid``, also when lines were skipped and the
rest imported); 2 when the file has errors and nothing was imported, or the user or the file is
refused. A summary is printed: imported, already present, invalid.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from administration.models import User
from administration.policies import can_sign_in
from complaints import policies
from complaints.importing import ImportAborted, complaints_import

FAILED = 2
SHOWN_ERRORS = 200


class Command(BaseCommand):
    help = (
        "Importa denuncias del sistema original desde un archivo JSON Lines (una denuncia por línea). "
        "Revisa todo el archivo antes de escribir y lo importa en una sola transacción."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="ARCHIVO.jsonl", help="Archivo JSON Lines en UTF-8 ('-' lee la entrada).")
        parser.add_argument(
            "--user",
            required=True,
            metavar="USUARIO",
            help="Cuenta personal (administrador nacional activo) bajo la que se registran las denuncias.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Importa las líneas válidas aunque otras tengan errores (las erróneas se listan y se omiten).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["user"])
        path = options["file"]
        try:
            if path == "-":
                lines = sys.stdin.read().splitlines()
            else:
                lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
        except FileNotFoundError:
            self._fail(f"No existe el archivo {path}.")
        except UnicodeDecodeError:
            self._fail(f"El archivo {path} no está codificado en UTF-8.")
        except OSError as error:
            self._fail(f"No se pudo leer {path}: {error.strerror}.")

        started = time.monotonic()
        try:
            report = complaints_import(actor=actor, lines=lines, source=str(path), skip_invalid=options["skip_invalid"])
        except ImportAborted as aborted:
            self._fail(f"{aborted.error}. Se deshizo la importación: no se importó nada.")
        elapsed = time.monotonic() - started

        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(str(error))
        if len(report.errors) > SHOWN_ERRORS:
            self.stderr.write(f"... y {len(report.errors) - SHOWN_ERRORS} líneas con errores más.")
        self.stdout.write(
            f"Líneas leídas: {report.lines:,}. Importadas: {len(report.imported):,}. "
            f"Ya existentes (omitidas): {len(report.already_present):,}. "
            f"Con errores: {len(report.errors):,}. ({elapsed:.1f} s)"
        )
        if report.errors and not options["skip_invalid"]:
            self._fail(
                "El archivo tiene errores: no se importó nada. Corríjalos, o use --skip-invalid para importar "
                "solo las líneas válidas."
            )
        if report.nothing_imported_because_of_errors:
            self._fail("Ninguna línea válida nueva: no se importó nada.")

    def _actor(self, username: str) -> User:
        user = User.objects.filter(username=username).select_related("unit").first()
        if user is None:
            self._fail(f"No existe la cuenta {username}.")
        if not can_sign_in(user):
            self._fail(f"La cuenta {username} no está activa, venció o no tiene unidad.")
        if not policies.can_import_complaints(user):
            self._fail(f"La cuenta {username} no es de administrador nacional: solo ese rol importa denuncias.")
        return user

    def _fail(self, message: str) -> NoReturn:
        """Spanish message on stderr, exit status 2 (as `classify` does)."""
        self.stderr.write(f"Error: {message}")
        sys.exit(FAILED)

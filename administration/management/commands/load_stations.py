"""``manage.py load_stations FILE.csv --user USERNAME [--dry-run] [--valid-from YYYY-MM-DD]``: the
bulk load of police stations (administration.tree.stations_load), as the page
`/administracion/unidades/cargar-comisarias/` does it.

The file: UTF-8, header ``code,name,parent,district``. Every error is listed with its line number
and, if there is any, nothing is created (all or nothing). ``--dry-run`` lists what would be created
and creates nothing. ``--user`` names the active national administrator's account the load is
audited under. Exit status 2 when the file has errors or the user or the file is refused.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from administration import tree
from administration.models import User
from administration.policies import is_national_admin_account

FAILED = 2


class Command(BaseCommand):
    help = "Carga comisarías desde un CSV (code,name,parent,district): todo o nada, con --dry-run para simular."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "file", metavar="ARCHIVO.csv", help="Archivo CSV en UTF-8 con la cabecera code,name,parent,district."
        )
        parser.add_argument("--user", required=True, metavar="USUARIO", help="Cuenta de administrador nacional activa.")
        parser.add_argument("--dry-run", action="store_true", help="Muestra lo que se crearía, sin crear nada.")
        parser.add_argument(
            "--valid-from",
            metavar="AAAA-MM-DD",
            help="Fecha de inicio de vigencia de las comisarías (hoy por defecto).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("es"):
            self._load(options)

    def _load(self, options: dict[str, Any]) -> None:
        actor = User.objects.filter(username=options["user"]).first()
        if actor is None or not is_national_admin_account(actor):
            self._fail(f"La cuenta {options['user']} no es de un administrador nacional activo.")
        try:
            valid_from = (
                datetime.date.fromisoformat(options["valid_from"]) if options["valid_from"] else timezone.localdate()
            )
        except ValueError:
            self._fail(f"La fecha {options['valid_from']} no es válida (AAAA-MM-DD).")
        try:
            text = Path(options["file"]).read_text(encoding="utf-8")
        except FileNotFoundError:
            self._fail(f"No existe el archivo {options['file']}.")
        except UnicodeDecodeError:
            self._fail(f"El archivo {options['file']} no está codificado en UTF-8.")
        result = tree.stations_load(actor=actor, text=text, valid_from=valid_from, dry_run=options["dry_run"])
        for line, message in result.errors:
            self.stderr.write(f"Línea {line}: {message}")
        if result.errors:
            self._fail(f"El archivo tiene {len(result.errors)} líneas con errores: no se creó nada.")
        for row in result.rows:
            self.stdout.write(
                f"{row['line']}: {row['code']} {row['name']} (bajo {row['parent']}, distrito {row['district']})"
            )
        if options["dry_run"]:
            self.stdout.write(f"Simulación: se crearían {len(result.rows)} comisarías; no se creó nada.")
        else:
            self.stdout.write(f"Comisarías creadas: {result.created}.")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(f"Error: {message}")
        sys.exit(FAILED)

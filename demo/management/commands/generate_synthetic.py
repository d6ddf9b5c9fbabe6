"""``manage.py generate_synthetic --complaints N --seed S [--from-year 2004 --to-year 2026]``.

Writes N realistic, reproducible synthetic complaints straight into the database (bulk, no
per-record service, no history rows: see demo.synthetic), or, with ``--jsonl FILE``, writes
them in the legacy import format instead (to try ``import_complaints``) and leaves the database as
it is.

``--user`` is the account the complaints are registered under; it defaults to ``admin.nacional``,
the demo national administrator, which exists wherever synthetic data belongs (a try-out or a
benchmark database).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand
from django.utils import timezone

from administration.models import User
from demo.synthetic import World, generate_records, records_to_jsonl, synthetic_load

FAILED = 2


class Command(BaseCommand):
    help = (
        "Genera denuncias sintéticas realistas y reproducibles (la misma semilla da los mismos datos) para "
        "pruebas de carga. Sin historial de cambios."
    )

    def add_arguments(self, parser: Any) -> None:
        this_year = timezone.localdate().year
        parser.add_argument("--complaints", type=int, required=True, metavar="N", help="Cuántas denuncias.")
        parser.add_argument("--seed", type=int, required=True, metavar="S", help="Semilla del generador.")
        parser.add_argument("--from-year", type=int, default=2004, help="Primer año de registro (2004).")
        parser.add_argument(
            "--to-year", type=int, default=this_year, help=f"Último año de registro ({this_year}, hasta hoy)."
        )
        parser.add_argument(
            "--user",
            default="admin.nacional",
            metavar="USUARIO",
            help="Cuenta bajo la que se registran (por defecto admin.nacional, la cuenta de demostración).",
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="Denuncias por transacción (2000).")
        parser.add_argument(
            "--jsonl",
            metavar="ARCHIVO",
            help="Escribe las denuncias en formato de importación (JSON Lines) en lugar de la base de datos.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["complaints"]
        if count < 1:
            self._fail("--complaints debe ser mayor que cero.")
        if options["from_year"] > options["to_year"]:
            self._fail("--from-year no puede ser posterior a --to-year.")
        started = time.monotonic()
        if options["jsonl"]:
            self._write_jsonl(options)
            self.stdout.write(
                f"Escritas {count:,} denuncias en {options['jsonl']} ({time.monotonic() - started:.1f} s)."
            )
            return
        author = User.objects.filter(username=options["user"]).select_related("unit").first()
        if author is None:
            self._fail(f"No existe la cuenta {options['user']} (cargue los datos de demostración o use --user).")

        def progress(written: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"  {written:,} denuncias ({written / max(elapsed, 1e-9):,.0f}/s)")

        written = synthetic_load(
            count=count,
            seed=options["seed"],
            author=author,
            from_year=options["from_year"],
            to_year=options["to_year"],
            batch_size=options["batch_size"],
            progress=progress if options["verbosity"] >= 2 else None,
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generadas {written:,} denuncias sintéticas en {elapsed:.1f} s ({written / elapsed:,.0f}/s)."
            )
        )

    def _write_jsonl(self, options: dict[str, Any]) -> None:
        records = generate_records(
            options["complaints"],
            seed=options["seed"],
            world=World.load(),
            from_year=options["from_year"],
            to_year=options["to_year"],
        )
        with Path(options["jsonl"]).open("w", encoding="utf-8") as out:
            out.writelines(records_to_jsonl(records))

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(f"Error: {message}")
        sys.exit(FAILED)

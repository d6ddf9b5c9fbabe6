"""`python manage.py issue_forms --unit <unit code> --count N --output forms.pdf [--user USERNAME]`

Issues N new serials to a unit (the same service as the screen: transactional, race-free, audited),
writes the PDF of the batch and prints the serial range. Without --user the command acts as an
explicit national actor (`administration.access.CommandLineActor`): the batch and the audit trail
record the operating-system account that ran it.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from administration.access import CommandLineActor
from administration.models import Unit, User
from paperforms import policies, selectors, services
from paperforms.pdf import render_blank_form_pdf


class Command(BaseCommand):
    help = (
        "Emite un lote de formularios de denuncia en papel (números de serie con código QR) para una unidad, "
        "escribe el PDF del lote e imprime el rango de series emitido."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Código de la unidad (p. ej. DIRTEPOL-CUSCO-CPNP-1).")
        parser.add_argument(
            "--count", required=True, type=int, help=f"Número de formularios (1 a {services.MAX_BATCH_SIZE})."
        )
        parser.add_argument("--output", required=True, help="Archivo PDF a escribir (p. ej. forms.pdf).")
        parser.add_argument(
            "--user", default="", help="Administrador nacional que emite (cuenta de RETA); por omisión, el sistema."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            unit = Unit.objects.get(code=options["unit"])
        except Unit.DoesNotExist as exc:
            raise CommandError(f"No existe la unidad con código {options['unit']}.") from exc
        actor: User | CommandLineActor
        if options["user"]:
            account = User.objects.filter(username=options["user"]).select_related("unit").first()
            if account is None or not policies.can_issue_paper_forms_as(account):
                raise CommandError(f"{options['user']} no es un administrador nacional activo.")
            actor = account
        else:
            actor = CommandLineActor(f"issue_forms ({getpass.getuser()})")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"No existe la carpeta {output.parent}.")
        try:
            batch = services.paper_form_batch_issue(actor=actor, unit=unit, count=options["count"])
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        serials = selectors.batch_serials(batch)
        output.write_bytes(render_blank_form_pdf(serials, generated_by=actor))
        services.paper_forms_printed(actor=actor, batch=batch)
        self.stdout.write(f"{batch.first_serial} … {batch.last_serial}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Emitidos {batch.count} formularios para {unit.name} ({unit.code}): "
                f"{batch.first_serial} a {batch.last_serial}. PDF: {output} ({len(serials) * 6} páginas)."
            )
        )

"""`python manage.py load_demo_data`: the demo accounts, then the demo complaints (the original
system's published figures 2004-2011 and a few of this year: demo.complaints), then the demo case
file made of the Madre de Dios complaint (demo.case_files). Needs the reference data. Idempotent."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from administration.models import Unit
from demo.accounts import DEMO_ACCOUNTS, demo_totp_device, demo_users_ensure, totp_secret
from demo.case_files import demo_case_file_ensure
from demo.complaints import demo_complaints_ensure


class Command(BaseCommand):
    help = "Create the demo accounts for a try-out (password from RETA_DEMO_PASSWORD)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Solo disponible en modo de demostración (DEBUG=True): crea cuentas con una contraseña "
                "conocida e imprime la clave del segundo factor."
            )
        if not Unit.objects.filter(code="DIVINTRAP").exists():
            raise CommandError("Primero cargue los datos de referencia: python manage.py load_reference_data")
        result = demo_users_ensure(password=settings.RETA_DEMO_PASSWORD)
        self.stdout.write(f"Cuentas de demostración: {result['created']} creadas, {result['total']} en total.")
        # The demo's alerts are real rows in the inboxes; their e-mails are not sent anywhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            complaints = demo_complaints_ensure()
            case = demo_case_file_ensure()
        self.stdout.write(
            f"Denuncias de demostración (cifras publicadas 2004-2011): {complaints['imported']} importadas, "
            f"{complaints['present']} ya existían; {complaints['recent']} recientes registradas."
        )
        if case.case_file is None:
            self.stdout.write("Carpeta de demostración: no se creó (falta la denuncia de Madre de Dios).")
        else:
            self.stdout.write(
                f"Carpeta de demostración {case.case_file.number} (investigador.cusco, denuncia de Madre de Dios): "
                f"{'creada' if case.created else 'ya existía'}; informe policial generado, listo para remitir."
            )
        if not options["quiet_logins"]:
            self.print_logins()

    def print_logins(self) -> None:
        device = demo_totp_device()
        self.stdout.write("")
        self.stdout.write("Cuentas de demostración (contraseña: RETA_DEMO_PASSWORD, por defecto reta-demo-2026):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<24} {account.description}")
        self.stdout.write("")
        self.stdout.write("Segundo factor de admin.nacional (TOTP): añada esta clave a una app autenticadora")
        self.stdout.write(f"  clave: {totp_secret(device)}")
        self.stdout.write(f"  URI:   {device.config_url}")
        self.stdout.write("  o lea el código actual con: make otp   (python manage.py demo_otp_code)")
        buffer = io.StringIO()
        segno.make(device.config_url, error="l").terminal(out=buffer, compact=True)
        self.stdout.write(buffer.getvalue(), ending="")

"""Demo accounts for a try-out (`make run`). Idempotent: a second run changes nothing."""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from administration.models import Role, Unit, User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    unit_code: str
    role: str
    description: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "oficial.cusco",
        "Rosa",
        "Huamán Quispe",
        "DIRTEPOL-CUSCO-CPNP-1",
        Role.STATION_OFFICER,
        "Comisaría PNP Cusco (station officer)",
    ),
    DemoAccount(
        "operador.0800",
        "Luis",
        "Castro Ramos",
        "LINEA-0800",
        Role.HOTLINE_OPERATOR,
        "Línea 0800-23232 (hotline operator)",
    ),
    DemoAccount(
        "investigador.cusco",
        "Julio",
        "Mamani Condori",
        "DIRTEPOL-CUSCO-TRATA",
        Role.REGIONAL_INVESTIGATOR,
        "Specialised unit, X DIRTEPOL Cusco (regional investigator)",
    ),
    DemoAccount(
        "investigador.divintrap",
        "Carmen",
        "Vargas Torres",
        "DIVINTRAP",
        Role.NATIONAL_INVESTIGATOR,
        "DIVINTRAP (national investigator)",
    ),
    DemoAccount(
        "admin.nacional",
        "Jorge",
        "Salazar Ríos",
        "DIVINTRAP",
        Role.NATIONAL_ADMIN,
        "DIVINTRAP (national administrator, TOTP second factor)",
    ),
    DemoAccount(
        "monitor.ddhh",
        "Patricia",
        "Flores Medina",
        "SPDH",
        Role.MONITOR,
        "Secretaría Permanente de DDHH (monitor, read-only)",
    ),
    DemoAccount(
        "auditor", "Miguel", "Rojas Paredes", "MININTER", Role.AUDITOR, "Ministerio del Interior (auditor, read-only)"
    ),
    DemoAccount(
        "oficial.lima",
        "Diana",
        "Chávez León",
        "DIRTEPOL-LIMA-CPNP-1",
        Role.STATION_OFFICER,
        "Comisaría PNP Lima (station officer, outsider to Cusco)",
    ),
)


@transaction.atomic
def demo_users_ensure(*, password: str) -> dict[str, int]:
    """Create the demo accounts that are missing; existing ones are left exactly as they are."""
    created = 0
    expires = timezone.localdate() + datetime.timedelta(days=365)
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        user = User(
            username=account.username,
            first_name=account.first_name,
            last_name=account.last_name,
            email=f"{account.username}@demo.reta.pe",
            unit=Unit.objects.get(code=account.unit_code),
            role=account.role,
            expires_on=expires,
        )
        user.set_password(password)
        user._change_reason = "demo data"
        user.save()
        created += 1
    admin = User.objects.get(username="admin.nacional")
    if not TOTPDevice.objects.filter(user=admin, confirmed=True).exists():
        TOTPDevice.objects.create(user=admin, name="RETA demo", confirmed=True)
    return {"created": created, "total": len(DEMO_ACCOUNTS)}


def demo_totp_device() -> TOTPDevice:
    return TOTPDevice.objects.get(user__username="admin.nacional", confirmed=True)


def totp_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")

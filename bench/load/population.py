"""The national population of the load test (run inside Django by bench/load/run.py).

- accounts: station officers spread over every station of the reference tree (2,000 over 196
  stations by default), investigators (a fifth at DIVINTRAP, national; the others over the
  regional specialised units), secretariat monitors (SPDH, statistics and compliance) and national
  administrators with a confirmed TOTP device each (second factor done for real by the load);
  one password for all, hashed ONCE with the production hasher (hashing it 2,000 times would cost
  minutes of PBKDF2 and prove nothing), rows written with bulk_create (no history rows);
- a background of synthetic complaints (demo.synthetic.synthetic_load, the `make bench` loader);
- case files opened through the real service (investigations.services.case_file_open) from
  complaints each investigator sees, under investigation, with the complaint's persons.

Returns the accounts file the Locust users read (bench/load/data/accounts.json)."""

from __future__ import annotations

import base64
import binascii
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from administration.models import Role, Unit, User
from complaints.models import Complaint
from demo.synthetic import synthetic_load
from investigations import services as case_services
from investigations.models import CaseFile, CaseStatus

PREFIX = "carga."


def _accounts(kind: str, units: list[Unit], count: int, role: str, password_hash: str) -> list[User]:
    expires = timezone.localdate().replace(year=timezone.localdate().year + 1)
    users = []
    for index in range(count):
        unit = units[index % len(units)]
        users.append(
            User(
                username=f"{PREFIX}{kind}.{index + 1:04d}",
                first_name=kind.capitalize(),
                last_name=f"Carga {index + 1:04d}",
                email=f"{kind}.{index + 1:04d}@carga.reta.pe",
                unit=unit,
                role=role,
                expires_on=expires,
                password=password_hash,
            )
        )
    return users


def accounts_create(*, officers: int, investigators: int, monitors: int, admins: int, password: str) -> dict[str, Any]:
    started = time.monotonic()
    password_hash = make_password(password)  # the production hasher (settings.PASSWORD_HASHERS)
    stations = list(Unit.objects.filter(kind=Unit.Kind.STATION, is_active=True).order_by("code"))
    regional = list(Unit.objects.filter(kind=Unit.Kind.REGIONAL_SPECIALISED, is_active=True).order_by("code"))
    divintrap = Unit.objects.get(code="DIVINTRAP")
    spdh = Unit.objects.get(code="SPDH")
    national = max(1, investigators // 5) if investigators else 0
    users = [
        *_accounts("oficial", stations, officers, Role.STATION_OFFICER, password_hash),
        *_accounts("divintrap", [divintrap], national, Role.NATIONAL_INVESTIGATOR, password_hash),
        *_accounts("investigador", regional, investigators - national, Role.REGIONAL_INVESTIGATOR, password_hash),
        *_accounts("secretaria", [spdh], monitors, Role.MONITOR, password_hash),
        *_accounts("admin", [divintrap], admins, Role.NATIONAL_ADMIN, password_hash),
    ]
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=1000)
        for admin in User.objects.filter(username__startswith=f"{PREFIX}admin."):
            TOTPDevice.objects.create(user=admin, name="carga", confirmed=True)
    return {"accounts": len(users), "stations": len(stations), "seconds": time.monotonic() - started}


def complaints_create(*, count: int, seed: int) -> dict[str, Any]:
    started = time.monotonic()
    author = User.objects.filter(username__startswith=f"{PREFIX}admin.").select_related("unit").first()
    if author is None:
        author = User.objects.filter(username__startswith=f"{PREFIX}divintrap.").select_related("unit").first()
    written = synthetic_load(count=count, seed=seed, author=author, to_year=timezone.localdate().year)
    return {"complaints": written, "seconds": time.monotonic() - started}


def case_files_create(*, per_investigator: int) -> dict[str, Any]:
    """Each investigator opens `per_investigator` case files from complaints of this year and the
    last it sees (complaints not yet in a case file of the same unit)."""
    started = time.monotonic()
    year = timezone.localdate().year
    used: set[int] = set()
    opened = 0
    investigators = User.objects.filter(
        username__startswith=PREFIX, role__in=[Role.NATIONAL_INVESTIGATOR, Role.REGIONAL_INVESTIGATOR]
    ).select_related("unit")
    for investigator in investigators.order_by("username"):
        candidates = (
            Complaint.objects.visible_to(investigator)
            .filter(status=Complaint.Status.SUBMITTED, submitted_at__year__gte=year - 1)
            .exclude(pk__in=used)
            .order_by("-submitted_at")
            .values_list("pk", flat=True)[: per_investigator * 3]
        )
        for pk in list(candidates)[:per_investigator]:
            used.add(pk)
            case_file = case_services.case_file_open(
                actor=investigator,
                data=case_services.OpenData(title=f"Carpeta de carga {investigator.username} {pk}", complaint_ids=[pk]),
            )
            case_services.case_file_change_status(
                actor=investigator, case_file=case_file, to_status=CaseStatus.UNDER_INVESTIGATION
            )
            case_services.case_file_add_complaint_persons(actor=investigator, case_file=case_file)
            opened += 1
    return {"case_files": opened, "seconds": time.monotonic() - started}


def accounts_file(password: str) -> dict[str, Any]:
    """What the Locust users need: user names, the password, TOTP keys, case files and their complaints."""
    users = User.objects.filter(username__startswith=PREFIX).order_by("username")
    by_role: dict[str, list[dict[str, Any]]] = {}
    for user in users.values("pk", "username", "role"):
        by_role.setdefault(user["role"], []).append({"username": user["username"], "pk": user["pk"]})
    case_files: dict[int, list[dict[str, Any]]] = {}
    for case_file in CaseFile.objects.filter(lead__username__startswith=PREFIX).prefetch_related("complaint_links"):
        complaint_ids = list(case_file.complaint_links.values_list("complaint_id", flat=True))
        case_files.setdefault(case_file.lead_id, []).append({"pk": case_file.pk, "complaints": complaint_ids})
    for role in (Role.NATIONAL_INVESTIGATOR, Role.REGIONAL_INVESTIGATOR):
        for account in by_role.get(role, []):
            account["case_files"] = case_files.get(account["pk"], [])
    for account in by_role.get(Role.NATIONAL_ADMIN, []):
        device = TOTPDevice.objects.get(user_id=account["pk"], confirmed=True)
        account["totp_key"] = binascii.hexlify(device.bin_key).decode()
        account["totp_b32"] = base64.b32encode(device.bin_key).decode()
        account["totp_step"] = device.step
        account["totp_digits"] = device.digits
    return {"password": password, "roles": by_role}

"""The data a simulated officer types (shared by the Locust users and run.py's sequential
comparison; standard library only)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import random
import re
import struct
import time
from typing import Any

FIRST_NAMES_F = ["Lucía", "María", "Rosa", "Carmen", "Milagros", "Yesenia", "Flor", "Ana", "Luz", "Noemí", "Deysi"]
FIRST_NAMES_M = ["Juan", "Carlos", "Luis", "Jorge", "Pedro", "Wilmer", "Edwin", "Percy", "Hugo", "Raúl"]
LAST_NAMES = ["Quispe", "Mamani", "Condori", "Huamán", "Flores", "Apaza", "Chávez", "Ramos", "Torres", "Vargas"]
# Tambopata, Lima, Cusco, Puno, Iquitos, Callería
DISTRICTS = ["170101", "150101", "080101", "210101", "160101", "250101"]
PLACES = ["bar_nightclub"]  # when the form offers no list of kinds
NUMBER = re.compile(r"[A-Z0-9-]+-\d{4}-\d{6}")


def lima_today() -> datetime.date:
    return (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=5)).date()


def totp(key_hex: str, *, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 as django-otp's TOTPDevice (SHA-1, t0 0)."""
    counter = int(time.time()) // step
    mac = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % (10**digits)
    return str(code).zfill(digits)


def complaint_values(form: Any, username: str, rng: random.Random) -> list[tuple[str, str]]:
    """The complaint form's fields (as the page gave them) filled for one victim and one suspect,
    a new person each time (random names and documents: no possible duplicate to decide on)."""
    district = rng.choice(DISTRICTS)
    sex = rng.choice(["F", "F", "F", "M"])
    victim_first = rng.choice(FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M)
    facts = lima_today() - datetime.timedelta(days=rng.randint(1, 60))
    changes: dict[str, Any] = {
        "origin": "station",
        "facts_date": facts.isoformat(),
        "facts_time": f"{rng.randint(0, 23):02d}:{rng.choice([0, 15, 30, 45]):02d}",
        "department": district[:2],
        "province": district[:4],
        "place_district": district,
        "place_address": f"Jr. Los Pinos {rng.randint(1, 2000)}",
        "place_kind": rng.choice([kind for kind in form.options.get("place_kind", []) if kind] or PLACES),
        "complainant_first_names": rng.choice(FIRST_NAMES_F),
        "complainant_last_names": f"{rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
        "complainant_document_type": "dni",
        "complainant_document_number": f"{rng.randint(10_000_000, 99_999_999)}",
        "complainant_contact": f"9{rng.randint(10_000_000, 99_999_999)}",
        "complainant_relation": "madre",
        "narrative": "Captada con una falsa oferta de trabajo y trasladada a otra ciudad (prueba de carga).",
        "responsible_officer": f"S3 PNP {username}",
        "conducts": ["recruitment", "transfer"],
        "means": ["deception"],
        "purposes": [rng.choice(["prostitution", "forced_labour", "prostitution"])],
        "victims-TOTAL_FORMS": "1",
        "victims-0-first_names": victim_first,
        "victims-0-last_names": f"{rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
        "victims-0-sex": sex,
        "victims-0-age": str(rng.randint(12, 35)),
        "victims-0-minor": "unknown",
        "victims-0-nationality": rng.choice(["PE", "PE", "PE", "VE"]),
        "victims-0-document_type": "dni",
        "victims-0-document_number": f"{rng.randint(10_000_000, 99_999_999)}",
        "suspects-TOTAL_FORMS": "1",
        "suspects-0-alias": rng.choice(["La Tía", "El Gordo", "Chino", "La Señora"]),
        "suspects-0-sex": rng.choice(["F", "M"]),
        "suspects-0-approximate_age": str(rng.randint(25, 60)),
        "suspects-0-relation_to_victim": "desconocida",
    }
    return form.values(**changes)

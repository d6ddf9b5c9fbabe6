"""`python manage.py demo_otp_code`: the current TOTP code of the demo administrator.

Only for try-outs: refuses to run unless DEBUG is on."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from demo.accounts import demo_totp_device


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo account admin.nacional (DEBUG only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Solo disponible en modo de demostración (DEBUG=True).")
        device = demo_totp_device()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}  (válido {remaining} s más)")

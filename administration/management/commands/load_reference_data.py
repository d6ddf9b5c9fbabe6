"""Load the reference data shipped with RETA: the INEI geography and the unit tree (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from administration.models import Unit
from administration.services import reference_data_load

KIND_LABELS = {
    Unit.Kind.MINISTRY: "ministerio",
    Unit.Kind.MONITORING: "secretaría de seguimiento",
    Unit.Kind.HOTLINE: "línea 0800",
    Unit.Kind.POLICE: "mando policial",
    Unit.Kind.DIRECTORATE: "direcciones nacionales",
    Unit.Kind.NATIONAL_SPECIALISED: "división nacional especializada",
    Unit.Kind.TERRITORIAL_DIRECTORATE: "direcciones territoriales",
    Unit.Kind.REGIONAL_SPECIALISED: "unidades especializadas regionales",
    Unit.Kind.STATION: "comisarías",
}


class Command(BaseCommand):
    help = (
        "Carga los datos de referencia del proyecto (fixtures/ubigeo/*.json y fixtures/units.json): "
        "departamentos, provincias y distritos del INEI y el árbol de unidades. Puede repetirse sin efecto."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = reference_data_load()
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started

        self.stdout.write(
            f"Departamentos: {result['departments']:,} · Provincias: {result['provinces']:,} · "
            f"Distritos: {result['districts']:,}"
        )
        kinds = ", ".join(
            f"{KIND_LABELS.get(kind, kind)} {count:,}" for kind, count in result["units_by_kind"].items() if count
        )
        self.stdout.write(f"Unidades: {result['units']:,} ({kinds})")
        written = result["written"]
        if any(written.values()):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Escritos: departamentos {written['departments']:,}, provincias {written['provinces']:,}, "
                    f"distritos {written['districts']:,}, unidades {written['units']:,}, "
                    f"entradas de catálogos {written['catalogue_entries']:,} ({elapsed:.1f} s)."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Sin cambios: los datos ya estaban al día ({elapsed:.1f} s)."))

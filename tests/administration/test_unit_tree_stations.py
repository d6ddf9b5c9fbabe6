"""Bulk load of police stations from a CSV file (issue 13, item 1): a dry run shows what would be
created and every error with its line; the load is all or nothing."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from administration import tree
from administration.models import Unit
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = (
    "code,name,parent,district\n"
    "DIRTEPOL-LIMA-CPNP-8,Comisaría PNP Surco,DIRTEPOL-LIMA,{lima}\n"
    "DIRTEPOL-LIMA-CPNP-8-A,Puesto Surco Alto,DIRTEPOL-LIMA-CPNP-8,{lima}\n"
)
BAD = (
    "code,name,parent,district\n"
    "DIRTEPOL-LIMA-CPNP-8,Comisaría PNP Surco,DIRTEPOL-LIMA,{lima}\n"
    "DIRTEPOL-LIMA-CPNP-8,Comisaría repetida,DIRTEPOL-LIMA,{lima}\n"
    "DIRTEPOL-LIMA-CPNP-1,Comisaría existente,DIRTEPOL-LIMA,{lima}\n"
    "DIRTEPOL-X-CPNP-1,Comisaría huérfana,DIRTEPOL-X,{lima}\n"
    "DIRTEPOL-LIMA-CPNP-9,Comisaría sin distrito,DIRTEPOL-LIMA,999999\n"
    "solo,dos\n"
)


def _text(template: str, units: dict) -> str:
    return template.format(lima=units["DIRTEPOL-LIMA-CPNP-1"].district_id)


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def test_dry_run_shows_what_would_be_created_and_creates_nothing(personas: dict, units: dict) -> None:
    result = tree.stations_load(
        actor=personas["national_admin"], text=_text(GOOD, units), valid_from=_yesterday(), dry_run=True
    )
    assert result.ok and [row["code"] for row in result.rows] == ["DIRTEPOL-LIMA-CPNP-8", "DIRTEPOL-LIMA-CPNP-8-A"]
    assert not Unit.objects.filter(code__startswith="DIRTEPOL-LIMA-CPNP-8").exists()


def test_load_creates_every_station_in_the_tree(personas: dict, units: dict) -> None:
    result = tree.stations_load(
        actor=personas["national_admin"], text=_text(GOOD, units), valid_from=_yesterday(), dry_run=False
    )
    assert result.created == 2
    post = Unit.objects.get(code="DIRTEPOL-LIMA-CPNP-8-A")
    assert post.kind == Unit.Kind.STATION and post.directorate == units["DIRTEPOL-LIMA"]
    assert post.path == "MININTER/PNP/DIRTEPOL-LIMA/DIRTEPOL-LIMA-CPNP-8/DIRTEPOL-LIMA-CPNP-8-A/"
    assert AuditEvent.objects.filter(event="stations_loaded").count() == 1


def test_every_error_has_its_line_and_nothing_is_created(personas: dict, units: dict) -> None:
    result = tree.stations_load(
        actor=personas["national_admin"], text=_text(BAD, units), valid_from=_yesterday(), dry_run=False
    )
    errors = dict(result.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert "está repetido (línea 2)" in errors[3]
    assert "ya existe" in errors[4]
    assert "la unidad superior DIRTEPOL-X no existe" in errors[5]
    assert "no es un ubigeo del INEI" in errors[6]
    assert "tiene 2 columnas, no 4" in errors[7]
    assert result.created == 0 and not Unit.objects.filter(code="DIRTEPOL-LIMA-CPNP-8").exists()


def test_the_page_shows_the_dry_run_and_the_errors(clients: dict, units: dict) -> None:
    url = reverse("administration:stations_load")
    client = clients["national_admin"]
    page = client.get(url).content.decode()
    assert '<label for="id_file"' in page and '<label for="id_dry_run"' in page
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("c.csv", _text(BAD, units).encode()),
            "valid_from": _yesterday().isoformat(),
            "dry_run": "on",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Errores: no se creó nada" in body and "Línea 5: la unidad superior DIRTEPOL-X no existe" in body
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("c.csv", _text(GOOD, units).encode()),
            "valid_from": _yesterday().isoformat(),
            "dry_run": "on",
        },
    )
    assert "Se crearían 2 comisarías" in response.content.decode()
    assert not Unit.objects.filter(code="DIRTEPOL-LIMA-CPNP-8").exists()
    response = client.post(
        url, {"file": SimpleUploadedFile("c.csv", _text(GOOD, units).encode()), "valid_from": _yesterday().isoformat()}
    )
    assert response.status_code == 302 and Unit.objects.filter(code="DIRTEPOL-LIMA-CPNP-8-A").exists()


def test_the_command_dry_runs_refuses_errors_and_loads(personas: dict, units: dict, tmp_path: Any) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(_text(GOOD, units), encoding="utf-8")
    bad.write_text(_text(BAD, units), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("load_stations", str(good), "--user", "national.admin", "--dry-run", stdout=out, stderr=err)
    assert "se crearían 2 comisarías" in out.getvalue()
    assert not Unit.objects.filter(code="DIRTEPOL-LIMA-CPNP-8").exists()
    with pytest.raises(SystemExit) as exited:
        call_command("load_stations", str(bad), "--user", "national.admin", stdout=out, stderr=err)
    assert exited.value.code == 2
    assert "Línea 5: la unidad superior DIRTEPOL-X no existe" in err.getvalue()
    with pytest.raises(SystemExit):
        call_command("load_stations", str(good), "--user", "station.officer", stdout=out, stderr=err)
    call_command("load_stations", str(good), "--user", "national.admin", stdout=out, stderr=err)
    assert "Comisarías creadas: 2." in out.getvalue()
    assert Unit.objects.filter(code="DIRTEPOL-LIMA-CPNP-8-A").exists()

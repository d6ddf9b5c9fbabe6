"""Factories for geography, units and accounts. `small_tree()` builds the part of the unit tree
the personas need (Cusco, Lima, Madre de Dios, DIRINCRI/DIVINTRAP, the hotline) without the
1,895 districts of the full reference data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from administration.models import Department, District, Province, Role, Unit, User

TEST_PASSWORD = "una-clave-de-prueba-larga"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 90) + 10:02d}")
    name = factory.LazyAttribute(lambda o: f"Departamento {o.code}")
    capital = factory.LazyAttribute(lambda o: o.name)
    latitude = Decimal("-12.0")
    longitude = Decimal("-77.0")


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    department = factory.SubFactory(DepartmentFactory)
    code = factory.LazyAttribute(lambda o: f"{o.department.code}01")
    name = factory.LazyAttribute(lambda o: f"Provincia {o.code}")
    capital = factory.LazyAttribute(lambda o: o.name)
    latitude = Decimal("-12.0")
    longitude = Decimal("-77.0")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    province = factory.SubFactory(ProvinceFactory)
    department = factory.LazyAttribute(lambda o: o.province.department)
    code = factory.LazyAttribute(lambda o: f"{o.province.code}01")
    name = factory.LazyAttribute(lambda o: f"Distrito {o.code}")
    capital = factory.LazyAttribute(lambda o: o.name)
    latitude = Decimal("-12.0")
    longitude = Decimal("-77.0")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"UNIT-{n}")
    name = factory.LazyAttribute(lambda o: f"Unidad {o.code}")
    kind = Unit.Kind.STATION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    first_name = "Ana"
    last_name = "Quispe"
    email = factory.LazyAttribute(lambda o: f"{o.username}@policia.gob.pe")
    role = Role.STATION_OFFICER
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805, ANN001, ANN202
        if create:
            obj.save()


def _district(dep_code: str, dep_name: str, prov_name: str, dist_name: str) -> District:
    department = DepartmentFactory(code=dep_code, name=dep_name, capital=prov_name)
    province = ProvinceFactory(code=f"{dep_code}01", department=department, name=prov_name, capital=dist_name)
    return DistrictFactory(code=f"{dep_code}0101", province=province, department=department, name=dist_name)


def small_tree() -> dict[str, Unit]:
    """The units the personas belong to, shaped like the reference data (UNITS.md)."""
    cusco = _district("08", "Cusco", "Cusco", "Cusco")
    lima = _district("15", "Lima", "Lima", "Lima")
    mdd = _district("17", "Madre de Dios", "Tambopata", "Tambopata")
    units: dict[str, Unit] = {}

    def unit(code: str, name: str, kind: str, parent: str | None = None, district: District | None = None) -> Unit:
        units[code] = UnitFactory(
            code=code, name=name, kind=kind, parent=units[parent] if parent else None, district=district
        )
        return units[code]

    K = Unit.Kind
    unit("MININTER", "Ministerio del Interior", K.MINISTRY)
    unit("SPDH", "Secretaría Permanente de DDHH", K.MONITORING, "MININTER")
    unit("LINEA-0800", "Línea 0800-23232", K.HOTLINE, "SPDH")
    unit("PNP", "Policía Nacional del Perú", K.POLICE, "MININTER")
    unit("DIRINCRI", "DIRINCRI", K.DIRECTORATE, "PNP")
    unit("DIVINTRAP", "DIVINTRAP", K.NATIONAL_SPECIALISED, "DIRINCRI")
    for code, name, district in (
        ("DIRTEPOL-CUSCO", "X DIRTEPOL Cusco", cusco),
        ("DIRTEPOL-LIMA", "VII DIRTEPOL Lima", lima),
        ("DIRTEPOL-MADRE-DE-DIOS", "DIRTEPOL Madre de Dios", mdd),
    ):
        directorate = unit(code, name, K.TERRITORIAL_DIRECTORATE, "PNP", district)
        directorate.jurisdiction.set([district.department])
        unit(f"{code}-TRATA", f"Unidad de trata — {name}", K.REGIONAL_SPECIALISED, code, district)
        unit(f"{code}-CPNP-1", f"Comisaría PNP {district.name}", K.STATION, code, district)
    return units


PERSONAS: dict[str, tuple[str, str]] = {
    # persona: (unit code, role)
    "station_officer": ("DIRTEPOL-CUSCO-CPNP-1", Role.STATION_OFFICER),
    "hotline_operator": ("LINEA-0800", Role.HOTLINE_OPERATOR),
    "regional_investigator": ("DIRTEPOL-CUSCO-TRATA", Role.REGIONAL_INVESTIGATOR),
    "national_investigator": ("DIVINTRAP", Role.NATIONAL_INVESTIGATOR),
    "national_admin": ("DIVINTRAP", Role.NATIONAL_ADMIN),
    "monitor": ("SPDH", Role.MONITOR),
    "auditor": ("MININTER", Role.AUDITOR),
    "outsider": ("DIRTEPOL-LIMA-CPNP-1", Role.STATION_OFFICER),
}

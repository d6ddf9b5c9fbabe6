"""A case file with what the police report shows, written straight to the models (the services of
persons, things and work live on their own branches): the minor victim of the Madre de Dios
complaint (from the complaint), an alleged trafficker, a place, a route Cusco → Madre de Dios, a
vehicle, a phone, an operation, two exhibits (one with two custody hand-overs), a statement."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

MINOR_NAMES = ("Lucía", "Condori Apaza")


@dataclass
class CaseData:
    case_file: Any
    victim: Any
    trafficker: Any
    legs: list
    exhibits: list
    statement: Any


def build_case(personas: dict, complaints: dict, *, case_file: Any = None) -> CaseData:
    from administration.models import District
    from investigations import services
    from investigations.models import (
        CasePerson,
        CasePersonRole,
        CasePhone,
        CasePlace,
        CaseVehicle,
        CustodyTransfer,
        Exhibit,
        JournalEntry,
        Operation,
        RouteLeg,
    )
    from investigations.models.persons import VictimOutcome
    from people.models import Identity
    from tests.investigations.conftest import open_case

    lead = personas["regional_investigator"]
    case_file = case_file or open_case(personas, complaints["frozen"])
    services.case_file_change_status(actor=lead, case_file=case_file, to_status="under_investigation")
    services.case_file_add_complaint_persons(actor=lead, case_file=case_file)
    victim = CasePerson.objects.get(case_file=case_file, role=CasePersonRole.VICTIM)
    VictimOutcome.objects.create(
        case_person=victim, result="rescued", on_date=datetime.date(2026, 11, 25), institution="", recorded_by=lead
    )
    identity = Identity.objects.create(first_names="Rosa Elvira", last_names="Quispe Mamani")
    trafficker = CasePerson.objects.create(
        case_file=case_file,
        identity=identity,
        role=CasePersonRole.ALLEGED_TRAFFICKER,
        organisation_role="recruiter",
        recruitment_method="social_network" if _has_choice("social_network") else "",
        added_by=lead,
    )
    cusco = District.objects.filter(code__startswith="08").first()
    tambopata = District.objects.get(code="170101")
    bar = CasePlace.objects.create(
        case_file=case_file,
        kind="bar",
        name="Bar El Dorado",
        address="Av. León Velarde 1020",
        district=tambopata,
        added_by=lead,
    )
    vehicle = CaseVehicle.objects.create(case_file=case_file, plate="ABC123", kind="bus", make="Volvo", added_by=lead)
    CasePhone.objects.create(case_file=case_file, number="+51984111333", holder=trafficker, added_by=lead)
    legs = [
        RouteLeg.objects.create(
            case_file=case_file,
            sequence=1,
            stage="recruitment",
            district=cusco,
            departed_on=datetime.date(2026, 11, 1),
            transport="bus",
            carrier="Transportes Sur",
            vehicle=vehicle,
            added_by=lead,
        ),
        RouteLeg.objects.create(
            case_file=case_file,
            sequence=2,
            stage="destination",
            place=bar,
            district=tambopata,
            arrived_on=datetime.date(2026, 11, 2),
            added_by=lead,
        ),
    ]
    operation = Operation.objects.create(
        case_file=case_file,
        number=1,
        occurred_at=timezone.now() - datetime.timedelta(days=3),
        place="Bar El Dorado",
        district=tambopata,
        persons_rescued=1,
        persons_arrested=1,
        recorded_by=lead,
    )
    exhibits = [
        Exhibit.objects.create(
            case_file=case_file,
            sequence=n,
            code=f"EV-00{n}",
            description=description,
            kind="document",
            seized_on=timezone.localdate() - datetime.timedelta(days=3),
            operation=operation,
            initial_holder="S3 PNP Rosa Huamán",
            recorded_by=lead,
        )
        for n, description in ((1, "Cuaderno de cuentas del bar"), (2, "Celular Samsung"))
    ]
    for hours, (giver, taker) in enumerate(
        (("S3 PNP Rosa Huamán", "Almacén DIRTEPOL"), ("Almacén DIRTEPOL", "Fiscalía"))
    ):
        CustodyTransfer.objects.create(
            exhibit=exhibits[0],
            from_holder=giver,
            to_holder=taker,
            handed_at=timezone.now() - datetime.timedelta(days=2, hours=-hours),
            reason="Custodia.",
            recorded_by=lead,
        )
    statement = JournalEntry.objects.create(
        case_file=case_file,
        sequence=1,
        entry_date=timezone.localdate(),
        kind="statement",
        text="Declaración de la testigo sobre la oferta de trabajo.",
        author=lead,
    )
    return CaseData(case_file, victim, trafficker, legs, exhibits, statement)


def _has_choice(value: str) -> bool:
    from investigations.models import RecruitmentMethod

    return value in RecruitmentMethod.values

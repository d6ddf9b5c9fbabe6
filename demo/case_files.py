"""The demo case file of `make run` (issue 11, item 9): the Madre de Dios complaint of this year
(demo.complaints, form token ``demo-recent-1``, filed by oficial.cusco with a recruitment place in
Cusco, so DIRTEPOL-CUSCO-TRATA is alerted) becomes a case file of Cusco's specialised unit, worked
by investigador.cusco (the lead) through the real services of the Investigation module — never a
raw model write: opened from the complaint, under investigation, the complaint's persons, an
alleged trafficker ("La Tía", a new identity with a Peruvian phone and a car), the bar «El Dorado»
in Tambopata and the bus terminal of Cusco, the route Cusco (recruitment) → Madre de Dios
(destination) in two legs, an operation in Tambopata with one person rescued, two exhibits seized
in it with a custody hand-over each, a statement in the journal, the proof matrix's elements
supported, the conclusions, and a police report GENERATED but not transmitted ("ready to send").

Every date is computed from the complaint's date of the facts (nine days before the load), never
from a literal day. Loading again adds nothing: a case file linked to the complaint is the marker.
Without the complaint (the demo complaints not loaded) nothing is done.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from administration.models import District, User
from complaints.models import Complaint
from investigations import proof, reporting, services, things, work
from investigations.models import CaseComplaint, CaseFile, CasePerson, CasePersonRole, CaseStatus
from investigations.person_services import PersonData, case_person_add, case_person_add_outcome

LIMA = ZoneInfo("America/Lima")
COMPLAINT_FORM_KEY = "demo-recent-1"  # the form token demo.complaints gives it
LEAD = "investigador.cusco"
TITLE = "Bar «El Dorado» — Tambopata (captación en Cusco)"
CONCLUSIONS = (
    "Se acredita que la investigada conocida como «La Tía» captó a la víctima, menor de edad, en la "
    "ciudad del Cusco mediante una falsa oferta de trabajo publicada en un diario, y la trasladó por vía "
    "terrestre a Puerto Maldonado, donde fue acogida en el bar «El Dorado» con fines de explotación "
    "sexual. El operativo del bar permitió rescatar a la víctima e incautar el cuaderno de cuentas y el "
    "celular de la investigada. Se recomienda formalizar la investigación preparatoria."
)


@dataclass(frozen=True)
class DemoCaseFile:
    """What `demo_case_file_ensure` found or did."""

    case_file: CaseFile | None
    created: bool


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LIMA)


def _build(lead: Any, complaint: Complaint) -> CaseFile:
    facts = complaint.facts_date
    case_file = services.case_file_open(
        actor=lead,
        data=services.OpenData(
            title=TITLE,
            summary="Menor captada en Cusco con una falsa oferta de trabajo y explotada en un bar de Tambopata.",
            complaint_ids=[complaint.pk],
        ),
    )
    services.case_file_change_status(actor=lead, case_file=case_file, to_status=CaseStatus.UNDER_INVESTIGATION)
    services.case_file_add_complaint_persons(actor=lead, case_file=case_file)
    victim = CasePerson.objects.filter(case_file=case_file, role=CasePersonRole.VICTIM).first()
    trafficker = case_person_add(
        actor=lead,
        case_file=case_file,
        data=PersonData(
            role=CasePersonRole.ALLEGED_TRAFFICKER,
            first_names="Marleni",
            last_names="Huallpa Ccori",
            sex="F",
            nationality="PE",
            alias="La Tía",
            phone="984 555 123",
            organisation_role="recruiter",
            recruitment_method="job_offer_newspaper",
            recruitment_detail="Aviso de empleo de «mesera» en un diario del Cusco.",
        ),
    )

    # Places, the trafficker's phone and car
    terminal = things.place_save(
        actor=lead,
        case_file=case_file,
        data={
            "kind": "port",
            "name": "Terminal terrestre del Cusco",
            "address": "Av. Velasco Astete s/n",
            "district": District.objects.get(code="080101"),
            "latitude": Decimal("-13.536300"),
            "longitude": Decimal("-71.959400"),
        },
    )
    bar = things.place_save(
        actor=lead,
        case_file=case_file,
        data={
            "kind": "bar",
            "name": "Bar «El Dorado»",
            "address": "Av. León Velarde 1020",
            "district": District.objects.get(code="170101"),
            "latitude": Decimal("-12.593300"),
            "longitude": Decimal("-69.189100"),
            "operator": "«La Tía»",
        },
    )
    things.phone_save(
        actor=lead,
        case_file=case_file,
        data={"number": "984 555 123", "holder": trafficker, "notes": "Número del aviso de empleo."},
    )
    car = things.vehicle_save(
        actor=lead,
        case_file=case_file,
        data={
            "plate": "BDF-482",
            "kind": "car",
            "make": "Toyota",
            "model": "Corolla",
            "colour": "Blanco",
            "owner_person": trafficker,
        },
    )

    # The route: recruitment in Cusco, destination in Tambopata (dates from the facts)
    things.leg_save(
        actor=lead,
        case_file=case_file,
        data={
            "stage": "recruitment",
            "place": terminal,
            "district": terminal.district,
            "departed_on": facts - datetime.timedelta(days=2),
            "arrived_on": facts - datetime.timedelta(days=1),
            "transport": "bus",
            "carrier": "Empresa de transportes interprovincial (Cusco - Puerto Maldonado)",
        },
    )
    things.leg_save(
        actor=lead,
        case_file=case_file,
        data={
            "stage": "destination",
            "place": bar,
            "district": bar.district,
            "departed_on": facts - datetime.timedelta(days=1),
            "arrived_on": facts - datetime.timedelta(days=1),
            "transport": "car",
            "vehicle": car,
            "notes": "Del terminal de Puerto Maldonado al bar en el auto de la investigada.",
        },
    )

    # The operation, its exhibits and their custody
    operation_at = _at(facts + datetime.timedelta(days=3), 22, 30)
    operation = work.case_operation_add(
        actor=lead,
        case_file=case_file,
        data=work.OperationData(
            occurred_at=operation_at,
            place="Bar «El Dorado», Av. León Velarde 1020",
            district=bar.district,
            units=[lead.unit],
            persons_rescued=1,
            persons_arrested=1,
            rescued_persons=[victim] if victim else [],
            arrested_persons=[trafficker],
            items_seized="Un cuaderno de cuentas y un celular.",
            summary="Intervención con la fiscalía de turno; se rescató a una menor de edad.",
        ),
    )
    if victim is not None:
        case_person_add_outcome(
            actor=lead,
            case_file=case_file,
            case_person_id=victim.pk,
            result="rescued",
            on_date=operation_at.date(),
            institution="DIRTEPOL Madre de Dios",
        )
    seizer = "SO2 PNP Carlos Mamani Torres"
    store = "Almacén de evidencias de la DIRTEPOL Madre de Dios"
    exhibits = []
    for description, kind, reason in (
        ("Cuaderno de cuentas del bar con pagos a «La Tía» por pasajes desde Cusco", "document", "Custodia."),
        ("Celular Samsung negro de la investigada, con mensajes a la víctima", "device", "Custodia para pericia."),
    ):
        exhibit = work.case_exhibit_add(
            actor=lead,
            case_file=case_file,
            data=work.ExhibitData(
                description=description,
                kind=kind,
                seized_on=operation_at.date(),
                initial_holder=seizer,
                initial_holder_unit=lead.unit,
                operation=operation,
                seized_from="Bar «El Dorado»",
                storage_place=store,
            ),
        )
        work.case_custody_transfer(
            actor=lead,
            case_file=case_file,
            exhibit_id=exhibit.pk,
            data=work.TransferData(
                from_holder=seizer,
                to_holder=store,
                handed_at=_at(operation_at.date() + datetime.timedelta(days=1), 9),
                reason=reason,
            ),
        )
        exhibits.append(exhibit)

    statement = work.case_journal_write(
        actor=lead,
        case_file=case_file,
        entry_date=operation_at.date() + datetime.timedelta(days=1),
        kind="statement",
        person=victim,
        text=(
            "La víctima declaró, en presencia de la fiscal y de su madre, que respondió a un aviso de empleo "
            "de mesera en un diario del Cusco; que «La Tía» le pagó el pasaje a Puerto Maldonado y que en el "
            "bar la obligaban a atender a clientes."
        ),
    )

    # The proof matrix: the statement supports every element; the exhibits the conducts and purpose
    for element in proof.case_elements(case_file):
        if not element.needs_support:
            continue
        supports = [f"statement:{statement.pk}"]
        if element.group in (proof.CONDUCT, proof.PURPOSE):
            supports.append(f"exhibit:{exhibits[0].pk}")
        if element.group == proof.CONDUCT:
            supports.append(f"exhibit:{exhibits[1].pk}")
        for support in supports:
            reporting.proof_link_add(actor=lead, case_file=case_file, element_code=element.code, support=support)

    reporting.report_write_conclusions(actor=lead, case_file=case_file, conclusions=CONCLUSIONS)
    reporting.report_generate(actor=lead, case_file=case_file)
    return CaseFile.objects.get(pk=case_file.pk)  # as the services left it


@transaction.atomic
def demo_case_file_ensure() -> DemoCaseFile:
    """The demo case file, built when missing (needs the demo accounts and complaints). Idempotent."""
    complaint = Complaint.objects.filter(form_token=COMPLAINT_FORM_KEY).first()
    if complaint is None:
        return DemoCaseFile(None, created=False)
    present = CaseComplaint.objects.filter(complaint=complaint).select_related("case_file").first()
    if present is not None:
        return DemoCaseFile(present.case_file, created=False)
    lead = User.objects.select_related("unit").get(username=LEAD)
    return DemoCaseFile(_build(lead, complaint), created=True)

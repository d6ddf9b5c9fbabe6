"""A small world for the network tests (imported by the tests, not a conftest: other helpers of
issue 12 keep their own fixtures beside theirs).

- Cusco: the frozen complaint of the Cusco station (a 16-year-old victim, facts in Madre de Dios),
  its case file A (Cusco's specialised unit) with the persons of the complaint, a trafficker
  (Julio Huamán) holding the phone +51987654321 and owning the bus ABC-123, a bar, and a route
  Cusco → Madre de Dios;
- Lima: a complaint of the Lima station, its case file B (Lima's specialised unit) with the same
  trafficker, the same phone and the same plate: outside the Cusco investigator's scope.
"""

from __future__ import annotations

from typing import Any

from administration.models import District
from administration.roles import Role
from tests.factories.administration import UserFactory

PHONE = "+51987654321"
PLATE = "ABC123"
TRAFFICKER = ("Julio", "Huamán Ccori")


def build_world(personas: dict, complaints: dict, units: dict) -> dict[str, Any]:
    from complaints.services import complaint_file
    from investigations import services
    from investigations.models import CasePerson, CasePhone, CasePlace, CaseVehicle, RouteLeg
    from people.models import Identity
    from tests.factories.complaints import bar_in_madre_de_dios

    cusco = personas["regional_investigator"]
    lima = UserFactory(username="investigador.lima", unit=units["DIRTEPOL-LIMA-TRATA"], role=Role.REGIONAL_INVESTIGATOR)
    lima_complaint = complaint_file(
        actor=personas["outsider"],
        data=bar_in_madre_de_dios(place_district=District.objects.get(code="150101"), place_address="Jr. Lampa 100"),
    )
    case_a = services.case_file_open(
        actor=cusco, data=services.OpenData(title="Bar en Madre de Dios", complaint_ids=[complaints["frozen"].pk])
    )
    case_b = services.case_file_open(
        actor=lima, data=services.OpenData(title="Bar en Lima", complaint_ids=[lima_complaint.pk])
    )
    services.case_file_add_complaint_persons(actor=cusco, case_file=case_a)
    services.case_file_add_complaint_persons(actor=lima, case_file=case_b)
    trafficker = Identity.objects.create(first_names=TRAFFICKER[0], last_names=TRAFFICKER[1])
    result: dict[str, Any] = {"case_a": case_a, "case_b": case_b, "lima_complaint": lima_complaint, "lima": lima}
    for case_file, actor in ((case_a, cusco), (case_b, lima)):
        person = CasePerson.objects.create(
            case_file=case_file, identity=trafficker, role="alleged_trafficker", added_by=actor
        )
        CasePhone.objects.create(case_file=case_file, number=PHONE, holder=person, added_by=actor)
        CaseVehicle.objects.create(
            case_file=case_file, plate="ABC-123", plate_key=PLATE, kind="bus", owner_person=person, added_by=actor
        )
    victim = CasePerson.objects.filter(case_file=case_a, role="victim").first()
    CasePhone.objects.create(case_file=case_a, number="+51999888777", holder=victim, added_by=cusco)
    bar = CasePlace.objects.create(
        case_file=case_a, kind="bar", name="Bar El Dorado", district_id="170101", added_by=cusco
    )
    RouteLeg.objects.create(case_file=case_a, sequence=1, stage="recruitment", district_id="080101", added_by=cusco)
    RouteLeg.objects.create(case_file=case_a, sequence=2, stage="destination", place=bar, added_by=cusco)
    result.update({"trafficker": trafficker, "victim": victim, "bar": bar})
    return result

"""Fixtures of cross-case analysis tests: one person (same DNI) recorded as two identities, one in a
case file of Cusco's specialised unit (opened from the Cusco complaint), one in a DIVINTRAP case
file for another agency (outside the Cusco investigator's scope)."""

from __future__ import annotations

from typing import Any

import pytest

DNI = "44556677"


def add_person(
    case_file: Any, actor: Any, first: str, last: str, dni: str = DNI, role: str = "alleged_trafficker"
) -> Any:
    from investigations.models import CasePerson
    from people.models import Identity, IdentityDocument, IdentityName

    identity = Identity.objects.create(first_names=first, last_names=last, sex="M")
    IdentityName.objects.create(identity=identity, name=f"{first} {last}", source="investigation")
    IdentityDocument.objects.create(identity=identity, document_type="dni", number=dni, source="investigation")
    person = CasePerson.objects.create(case_file=case_file, identity=identity, role=role, added_by=actor)
    from analysis import indexing, queue

    indexing.index_identity(identity.pk)  # the signals index on commit; a test transaction never commits
    queue.refresh_identities([identity.pk])  # and so does the candidate queue follow
    return person


def build_two_cases(personas: dict, complaint: Any) -> dict[str, Any]:
    from investigations import services

    cusco = services.case_file_open(
        actor=personas["regional_investigator"],
        data=services.OpenData(title="Bar en Madre de Dios", complaint_ids=[complaint.pk]),
    )
    lima = services.case_file_open(
        actor=personas["national_investigator"],
        data=services.OpenData(title="Red en Lima", agency_name="Fiscalía de Lima", agency_reference="F-12"),
    )
    first = add_person(cusco, personas["regional_investigator"], "Julio", "Huamán Quispe")
    second = add_person(lima, personas["national_investigator"], "Julio", "Huaman Quispe")
    return {"cusco": cusco, "lima": lima, "first": first, "second": second}


@pytest.fixture
def two_cases(personas: dict, complaints: dict) -> dict[str, Any]:
    return build_two_cases(personas, complaints["frozen"])

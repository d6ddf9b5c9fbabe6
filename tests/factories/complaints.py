"""Complaint data for tests: the case of the issue (a 16-year-old recruited in Cusco with a
false job offer for a bar in Madre de Dios)."""

from __future__ import annotations

import datetime
from typing import Any

from administration.models import District
from complaints.catalogues import Origin, PlaceKind
from complaints.services import ComplaintData, SuspectData, VictimData


def bar_in_madre_de_dios(**overrides: Any) -> ComplaintData:
    data = ComplaintData(
        origin=Origin.STATION,
        facts_date=datetime.date(2026, 11, 20),
        place_district=District.objects.get(code="170101"),
        place_address="Av. León Velarde 1020, bar «El Dorado»",
        place_kind=PlaceKind.BAR_NIGHTCLUB,
        complainant_first_names="Juana",
        complainant_last_names="Mamani Huallpa",
        complainant_document_type="dni",
        complainant_document_number="41234567",
        complainant_contact="984 111 222",
        complainant_relation="madre",
        narrative="La menor fue captada en Cusco con una falsa oferta de trabajo como mesera y trasladada a un bar.",
        responsible_officer="S3 PNP Rosa Huamán Quispe",
        conducts=["recruitment", "transfer"],
        means=["deception"],
        purposes=["prostitution"],
        victims=[
            VictimData(
                first_names="Lucía",
                last_names="Condori Apaza",
                sex="F",
                age=16,
                nationality="PE",
                document_type="dni",
                document_number="76543210",
            )
        ],
        suspects=[SuspectData(alias="La Tía", sex="F", approximate_age=45, relation_to_victim="desconocida")],
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return data

"""Fixtures of the Investigation module's tests: a case file opened by the regional investigator
(Cusco's specialised unit) from the frozen complaint of the Cusco station."""

from __future__ import annotations

from typing import Any

import pytest


def open_case(personas: dict, complaint: Any, **overrides: Any) -> Any:
    from investigations import services

    data = services.OpenData(title="Bar en Madre de Dios", complaint_ids=[complaint.pk], **overrides)
    return services.case_file_open(actor=personas["regional_investigator"], data=data)


@pytest.fixture
def case_file(personas: dict, complaints: dict) -> Any:
    return open_case(personas, complaints["frozen"])

"""The classification of a complaint in the interface language: outcome, alert, warnings and the
explanation in English on an English page, the stored Spanish (the frozen legal text) otherwise."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints.classification_text import explanation, outcome_label
from complaints.models import Complaint
from complaints.rules import classify
from complaints.services import complaint_facts
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def _page(client: Client, complaint: Complaint, language: str) -> str:
    client.cookies["reta_language"] = language
    response = client.get(reverse("complaints:complaint_result", kwargs={"pk": complaint.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_classification_is_in_english_when_english_is_chosen(personas: dict, complaints: dict) -> None:
    frozen = complaints["frozen"]
    stored = list(frozen.classification["explanation"])
    client = signed_in_client(personas["station_officer"])
    english = _page(client, frozen, "en")
    assert "Consistent with trafficking in persons" in english
    assert "High priority" in english
    assert "Conclusion: the facts are consistent with the crime of trafficking in persons" in english
    assert "By the date of the facts" in english
    assert "Conclusión:" not in english and "Por la fecha de los hechos" not in english
    spanish = _page(client, frozen, "es")
    assert "Consistente con trata de personas" in spanish and "Prioridad alta" in spanish
    assert all(
        sentence.replace("«", "&laquo;").replace("»", "&raquo;") in spanish or sentence in spanish
        for sentence in stored[:1]
    )
    assert stored[-1].startswith("Conclusión:") and "Conclusión: los hechos son consistentes" in spanish
    # The stored record is untouched: Spanish, whatever language the pages were read in.
    frozen.refresh_from_db()
    assert frozen.classification["explanation"] == stored


def test_the_complaint_list_shows_the_outcome_in_the_interface_language(personas: dict, complaints: dict) -> None:
    client = signed_in_client(personas["station_officer"])
    client.cookies["reta_language"] = "en"
    assert "consistent with trafficking in persons" in client.get(reverse("complaints:complaint_list")).content.decode()
    client.cookies["reta_language"] = "es"
    assert "consistente con trata de personas" in client.get(reverse("complaints:complaint_list")).content.decode()


def test_an_explanation_the_engine_no_longer_writes_is_shown_as_stored(complaints: dict) -> None:
    frozen: Any = Complaint.objects.get(pk=complaints["frozen"].pk)
    frozen.classification = {**frozen.classification, "explanation": ["Texto de una versión anterior del motor."]}
    with translation.override("en"):
        assert explanation(frozen) == ["Texto de una versión anterior del motor."]
        assert outcome_label("trafficking") == "consistent with trafficking in persons"
        assert outcome_label("unknown_code") == "unknown_code"
        unsaved = Complaint(classification={"explanation": ["Sin guardar."]})
        assert explanation(unsaved) == ["Sin guardar."]
    with translation.override("es"):
        assert outcome_label("trafficking") == "consistente con trata de personas"


def test_an_explanation_whose_date_of_facts_is_unknown_is_written_again_for_the_same_day(complaints: dict) -> None:
    """With no date of the facts, the law is the one in force on the day of the classification: the
    English text is written for that day (read from the stored sentence), not for today."""
    record: Any = Complaint.objects.get(pk=complaints["frozen"].pk)
    record.facts_date = None  # in memory only: an imported record of the original system
    stored = classify(complaint_facts(record), today=datetime.date(2013, 5, 6)).explanation
    record.classification = {**record.classification, "explanation": list(stored), "law": "PE-2007"}
    record.law_profile = "PE-2007"
    assert stored[0].endswith("la ley en vigor al 06/05/2013.")
    with translation.override("en"):
        english = explanation(record)
    assert english[0].endswith("the law in force on 06/05/2013.")
    assert len(english) == len(stored)

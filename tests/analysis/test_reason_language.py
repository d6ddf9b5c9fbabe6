"""The reasons of a candidate are stable codes, translated only where they are shown: the pages read
them in the user's language (English msgids, Spanish in locale/es), while what a decision and a
merge store stays the code, whatever the language of the analyst who confirmed it."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from analysis.candidates import REASONS, candidate_between, reason_labels
from analysis.models import MatchDecision
from people.models import IdentityMerge
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def _client(user: Any, language: str) -> Any:
    client = signed_in_client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _row(page: Any) -> str:
    text = page.content.decode()
    return text[text.index('class="candidate-row"') :]


def test_the_candidate_list_shows_the_reason_in_the_users_language(personas: dict, two_cases: dict) -> None:
    user = personas["national_investigator"]
    spanish = _client(user, "es").get(reverse("analysis:candidates"))
    english = _client(user, "en").get(reverse("analysis:candidates"))
    assert spanish.status_code == english.status_code == 200
    assert "mismo DNI" in _row(spanish) and "same DNI" not in _row(spanish)
    assert "same DNI" in _row(english) and "mismo DNI" not in _row(english)


def test_a_confirmation_in_english_stores_the_code_and_each_language_reads_its_own(
    personas: dict, two_cases: dict
) -> None:
    user = personas["national_investigator"]
    a, b = sorted((two_cases["first"].identity_id, two_cases["second"].identity_id))
    english = _client(user, "en")
    page = english.get(reverse("analysis:candidate", args=[a, b]))
    assert 'id="candidate-score"' in page.content.decode() and "same DNI" in page.content.decode()
    response = english.post(
        reverse("analysis:candidate", args=[a, b]), {"decision": "confirmed", "reason": "Same DNI in RENIEC."}
    )
    assert response.status_code == 302
    # Stored as codes (the same DNI; the names "Huamán"/"Huaman" are similar), not as English.
    assert MatchDecision.objects.get().reasons == "same_dni\nsimilar_name"
    assert IdentityMerge.objects.get().candidate_reasons == "same_dni\nsimilar_name"
    identity = reverse("analysis:identity", args=[a])
    merges_en = english.get(identity).content.decode().split('id="merges"')[1]
    merges_es = _client(user, "es").get(identity).content.decode().split('id="merges"')[1]
    assert "(same DNI; similar name)" in merges_en and "(mismo DNI; nombre parecido)" in merges_es


def test_every_reason_has_its_spanish_and_a_reason_stored_as_text_is_shown_as_it_was(
    two_cases: dict,
) -> None:
    with translation.override("es"):
        spanish = {code: str(label) for code, label in REASONS.items()}
        assert reason_labels(candidate_between(two_cases["first"].identity_id, two_cases["second"].identity_id).reasons)
    with translation.override("en"):
        english = {code: str(label) for code, label in REASONS.items()}
        assert reason_labels("mismo DNI\nsame_phone\n") == ["mismo DNI", "same phone"]
    assert spanish["same_dni"] == "mismo DNI" and spanish["similar_name_same_birth_date"] == (
        "nombre parecido y misma fecha de nacimiento"
    )
    # Each code has a Spanish of its own, different from its English.
    assert all(spanish[code] != english[code] for code in REASONS)
    assert len(set(spanish.values())) == len(REASONS)

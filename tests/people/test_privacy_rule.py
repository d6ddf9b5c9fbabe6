"""The privacy rule (people.privacy) as a table: no database, no request."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation

from people import matching, privacy

ANA = SimpleNamespace(
    first_names="Ana",
    last_names="Bravo Ruiz",
    full_name="Ana Bravo Ruiz",
    initials="A.B.R.",
    alias="La Rubia",
    document_type="dni",
    document_number="41234567",
)
NAMELESS = SimpleNamespace(
    first_names="", last_names="", full_name="", initials="", alias="", document_type="", document_number=""
)


@pytest.mark.parametrize(
    ("age", "flag", "minor", "protected"),
    [
        (0, None, True, True),
        (17, None, True, True),
        (17, False, True, True),  # the age wins over the flag
        (18, None, False, False),
        (18, True, False, False),
        (45, None, False, False),
        (None, True, True, True),
        (None, False, False, False),
        (None, None, None, True),  # unknown: protected like a minor
    ],
)
def test_who_is_a_minor(age: Any, flag: Any, minor: Any, protected: bool) -> None:
    assert privacy.is_minor(age, flag) is minor
    assert privacy.is_protected(age, flag) is protected
    assert privacy.victim_minor(SimpleNamespace(age=age, minor=flag)) is minor


# (minor, revealed) -> name, document, alias
NAME_TABLE = [
    (True, False, "Minor (protected)", "DNI ••••••", "(withheld)"),
    (True, True, "Minor (protected)", "DNI ••••••", "(withheld)"),  # never, for anyone
    (None, False, "Identity protected (age unknown)", "DNI ••••••", "(withheld)"),
    (None, True, "Identity protected (age unknown)", "DNI ••••••", "(withheld)"),
    (False, False, "A.B.R.", "DNI ••••••", "(withheld)"),
    (False, True, "Ana Bravo Ruiz", "DNI 41234567", "La Rubia"),
]


@pytest.mark.parametrize(("minor", "revealed", "name", "document", "alias"), NAME_TABLE)
def test_names_documents_and_aliases(minor: Any, revealed: bool, name: str, document: str, alias: str) -> None:
    with translation.override("en"):
        assert privacy.masked_name(ANA, minor=minor, revealed=revealed) == name
        assert privacy.masked_document(ANA, minor=minor, revealed=revealed, kind="DNI") == document
        assert privacy.masked_alias(ANA, minor=minor, revealed=revealed) == alias


def test_what_is_not_recorded_shows_as_nothing_or_says_so() -> None:
    with translation.override("en"):
        assert privacy.masked_name(None, minor=False, revealed=True) == ""
        assert privacy.masked_name(NAMELESS, minor=False, revealed=False) == "(no name recorded)"
        assert privacy.masked_name(NAMELESS, minor=True, revealed=False) == "Minor (protected)"
        assert privacy.masked_document(NAMELESS, minor=False, revealed=True) == ""
        assert privacy.masked_alias(NAMELESS, minor=False, revealed=True) == ""
        typed_only = SimpleNamespace(document_type="passport", document_number="")
        assert privacy.masked_document(typed_only, minor=False, revealed=False) == "Document"
        assert privacy.masked_document(typed_only, minor=False, revealed=False, kind="Pasaporte") == "Pasaporte"


def test_the_form_words_are_spanish_whatever_the_language() -> None:
    with translation.override("en"):
        assert privacy.masked_name(ANA, minor=True, revealed=True, labels=privacy.FORM) == (
            "Menor de edad (identidad protegida)"
        )
        assert privacy.masked_name(ANA, minor=None, revealed=False, labels=privacy.FORM) == (
            "Identidad protegida (edad no consta)"
        )
        assert privacy.masked_alias(ANA, minor=False, revealed=False, labels=privacy.FORM) == "(reservado)"
        assert privacy.masked_document(NAMELESS, minor=False, revealed=False, labels=privacy.FORM) == ""


@pytest.mark.parametrize(
    ("minor", "revealed", "cited"),
    [(True, False, "A.B.R."), (True, True, "A.B.R."), (None, True, "A.B.R."), (False, False, "A.B.R."),
     (False, True, "Ana Bravo Ruiz")],
)  # fmt: skip
def test_documents_cite_victims_by_initials(minor: Any, revealed: bool, cited: str) -> None:
    assert privacy.cited_name(ANA, minor=minor, revealed=revealed) == cited
    assert privacy.cited_name(NAMELESS, minor=minor, revealed=revealed) == "N.N."


@pytest.mark.parametrize(
    ("revealed", "private", "contact", "place"),
    [(False, False, "(withheld)", "Jr. Lima 1"), (False, True, "(withheld)", "(withheld)"),
     (True, False, "984 111 222", "Jr. Lima 1"), (True, True, "984 111 222", "Jr. Lima 1")],
)  # fmt: skip
def test_contacts_and_the_address_of_a_private_home(revealed: bool, private: bool, contact: str, place: str) -> None:
    with translation.override("en"):
        assert privacy.masked_contact("984 111 222", revealed=revealed) == contact
        assert privacy.masked_contact("", revealed=revealed) == ""
        assert privacy.masked_place("Jr. Lima 1", private_home=private, revealed=revealed) == place


NARRATIVE = "Lucía Condori (DNI 76543210) fue captada por Ana Bravo; su madre llamó al 984 111 222."
LUCIA = SimpleNamespace(first_names="Lucía", last_names="Condori Apaza", document_number="76543210")


@pytest.mark.parametrize(
    ("revealed", "expected"),
    [
        (False, "L. C. (DNI ••••••) fue captada por A. B.; su madre llamó al (withheld)."),
        (True, "L. C. (DNI ••••••) fue captada por Ana Bravo; su madre llamó al 984 111 222."),
    ],
)
def test_free_text_loses_the_names_a_reader_may_not_see(revealed: bool, expected: str) -> None:
    with translation.override("en"):
        masked = privacy.masked_text(
            NARRATIVE, people=[ANA], protected=[LUCIA], revealed=revealed, contacts=["984 111 222"]
        )
    assert masked == expected


def test_a_reveal_counts_only_for_a_role_that_may_ask_for_it() -> None:
    nobody = SimpleNamespace(is_authenticated=False)
    assert privacy.may_reveal(nobody, True) is False
    view = privacy.sight(nobody, SimpleNamespace(registering_unit_id=1), revealed=True)
    assert view == privacy.MASKED and not view.anything
    victim = SimpleNamespace(person=ANA, age=30, minor=None)
    assert privacy.display_name(victim, view=view) == "A.B.R."
    suspect = SimpleNamespace(person=ANA, approximate_age=40)  # a row that is not a victim: an adult
    assert privacy.display_name(suspect, view=view) == "A.B.R."
    assert privacy.display_name(None, view=view) == ""
    child = SimpleNamespace(person=ANA, age=None, minor=True)
    with translation.override("en"):
        everything_but_minors = privacy.Sight(complainant=True, adults=True, others=True)
        assert privacy.display_name(child, view=everything_but_minors) == "Minor (protected)"
    assert privacy.display_name(child, view=privacy.Sight(minors=True)) == ANA.full_name
    # The complainant's copy: the complainant only.
    complaint = SimpleNamespace(complainant_id=7)
    complainant = SimpleNamespace(**vars(ANA), pk=7)
    assert privacy.display_name(complainant, view=privacy.COMPLAINANT_COPY, complaint=complaint) == ANA.full_name
    assert privacy.display_name(victim, view=privacy.COMPLAINANT_COPY, complaint=complaint) == "A.B.R."


def test_the_sql_and_the_queryset_say_what_the_function_says() -> None:
    assert privacy.minor_sql("v.age", "v.minor") == "CASE WHEN v.age IS NOT NULL THEN v.age < 18 ELSE v.minor END"
    assert str(privacy.MINOR_Q) == "(OR: ('age__lt', 18), (AND: ('age__isnull', True), ('minor', True)))"


def test_the_matching_keys_need_no_django() -> None:
    source = (Path(__file__).resolve().parents[2] / "people" / "matching.py").read_text(encoding="utf-8")
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module or "")
    assert not any(module.split(".")[0] == "django" for module in modules), modules


@pytest.mark.parametrize(
    ("function", "value", "key"),
    [(matching.document_key, "dni 41.234.567-k", "DNI41234567K"), (matching.document_key, "  41234567 ", "41234567"),
     (matching.document_key, "---", ""), (matching.phone_key, "+51 984-111-222", "984111222"),
     (matching.phone_key, "(084) 22 33 44", "084223344"), (matching.name_key, "  María  QUISPE ", "maria quispe")],
)  # fmt: skip
def test_matching_keys(function: Any, value: str, key: str) -> None:
    assert function(value) == key


@pytest.mark.parametrize(
    ("first", "last", "document", "identified"),
    [("Ana", "", "", True), ("", "Bravo", "", True), ("", "", "41234567", True), ("", "", "", False)],
)
def test_a_name_or_a_document_identifies(first: str, last: str, document: str, identified: bool) -> None:
    assert matching.is_identified(first, last, document) is identified

"""Reading and checking the facts JSON of LAW.md. No database."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from complaints.rules import Facts, FactsError, RulesError, Suspect, Victim, facts_from_dict, facts_to_dict

from .builders import make_facts

LAW_EXAMPLE_FACTS = {
    "date_of_facts": "2010-05-01",
    "victims": [{"age": 16, "sex": "F"}],
    "suspects": [{"sex": "M"}],
    "conducts": ["recruitment", "transfer"],
    "means": ["deception"],
    "purposes": ["prostitution"],
    "case_facts": [],
    "related_facts": ["hands_over_for_sex"],
}


def test_the_law_md_example_is_read() -> None:
    assert facts_from_dict(LAW_EXAMPLE_FACTS) == Facts(
        date_of_facts=date(2010, 5, 1),
        victims=(Victim(age=16, sex="F"),),
        suspects=(Suspect(sex="M"),),
        conducts=frozenset({"recruitment", "transfer"}),
        means=frozenset({"deception"}),
        purposes=frozenset({"prostitution"}),
        related_facts=frozenset({"hands_over_for_sex"}),
    )


def test_every_field_is_optional() -> None:
    assert facts_from_dict({}) == Facts()


def test_nulls_read_as_empty_or_unknown() -> None:
    data = {"date_of_facts": None, "victims": None, "suspects": None, "conducts": None}
    assert facts_from_dict(data) == Facts()


def test_every_victim_and_suspect_field_is_read() -> None:
    data = {
        "victims": [
            {
                "age": None,
                "minor": True,
                "sex": None,
                "pregnant": True,
                "disability": True,
                "legally_incapable": True,
                "consented": True,
                "nationality": "ve",
            }
        ],
        "suspects": [{"sex": "F", "identified": False, "name": "alias «Chino»"}],
    }
    facts = facts_from_dict(data)
    assert facts.victims == (
        Victim(minor=True, pregnant=True, disability=True, legally_incapable=True, consented=True, nationality="VE"),
    )
    assert facts.suspects == (Suspect(sex="F", identified=False, name="alias «Chino»"),)


def test_victim_flags_left_null_are_not_ticked() -> None:
    data = {"victims": [{"pregnant": None, "disability": None, "legally_incapable": None, "consented": None}]}
    assert facts_from_dict(data).victims == (Victim(),)


def test_a_date_object_is_accepted() -> None:
    assert facts_from_dict({"date_of_facts": date(2015, 2, 3)}).date_of_facts == date(2015, 2, 3)


def test_a_date_of_today_is_accepted() -> None:
    assert facts_from_dict({"date_of_facts": "2024-02-29"}, today=date(2024, 2, 29)).date_of_facts == date(2024, 2, 29)


def test_facts_to_dict_writes_back_what_facts_from_dict_reads() -> None:
    data = facts_to_dict(facts_from_dict(LAW_EXAMPLE_FACTS))
    assert data == {
        "date_of_facts": "2010-05-01",
        "victims": [
            {
                "age": 16,
                "minor": None,
                "sex": "F",
                "pregnant": False,
                "disability": False,
                "legally_incapable": False,
                "consented": False,
                "nationality": None,
            }
        ],
        "suspects": [{"sex": "M", "identified": None, "name": None}],
        "conducts": ["recruitment", "transfer"],
        "means": ["deception"],
        "purposes": ["prostitution"],
        "case_facts": [],
        "related_facts": ["hands_over_for_sex"],
    }
    assert facts_from_dict(data) == facts_from_dict(LAW_EXAMPLE_FACTS)


def test_facts_to_dict_writes_an_unknown_date_as_null() -> None:
    assert facts_to_dict(Facts())["date_of_facts"] is None


def test_facts_accept_any_iterable_of_codes_and_keep_frozensets_and_tuples() -> None:
    facts = Facts(conducts=["transport", "transport"], victims=[Victim(age=3)])  # type: ignore[arg-type]
    assert facts.conducts == frozenset({"transport"})
    assert facts.victims == (Victim(age=3),)
    assert hash(facts) == hash(Facts(conducts=frozenset({"transport"}), victims=(Victim(age=3),)))


def test_facts_are_frozen() -> None:
    with pytest.raises(AttributeError):
        make_facts().conducts = frozenset()  # type: ignore[misc]


@pytest.mark.parametrize(
    ("victim", "is_minor", "age_unknown"),
    [
        pytest.param(Victim(age=17), True, False, id="age_17"),
        pytest.param(Victim(age=18), False, False, id="age_18"),
        pytest.param(Victim(age=18, minor=True), False, False, id="the_age_prevails"),
        pytest.param(Victim(minor=True), True, False, id="minor_flag"),
        pytest.param(Victim(minor=False), False, False, id="adult_flag"),
        pytest.param(Victim(), None, True, id="unknown"),
    ],
)
def test_minority_follows_the_age_when_known_else_the_flag(
    victim: Victim, is_minor: bool | None, age_unknown: bool
) -> None:
    assert (victim.is_minor, victim.age_unknown) == (is_minor, age_unknown)


# --- Errors: a clear Spanish message -----------------------------------------------------------------

BAD_FACTS = [
    pytest.param([], "Los hechos deben ser un objeto JSON; se recibió []", id="not_an_object"),
    pytest.param({"purpose": []}, "Hechos: campo desconocido «purpose»", id="unknown_field"),
    pytest.param(
        {"conducts": ["kidnapping"]}, "Código desconocido en «conducts» (conductas): «kidnapping»", id="conduct"
    ),
    pytest.param({"means": ["bribery"]}, "Código desconocido en «means» (medios): «bribery»", id="means"),
    pytest.param({"purposes": ["adoption"]}, "Código desconocido en «purposes» (fines): «adoption»", id="purpose"),
    pytest.param({"case_facts": ["armed"]}, "«case_facts» (circunstancias agravantes): «armed»", id="case_fact"),
    pytest.param({"related_facts": ["x", "a"]}, "«related_facts» (hechos de delitos afines): «a», «x»", id="related"),
    pytest.param({"conducts": "recruitment"}, "«conducts» debe ser una lista", id="codes_not_a_list"),
    pytest.param({"conducts": [1]}, "«conducts» debe contener códigos de texto; se recibió 1", id="code_not_text"),
    pytest.param({"victims": {"age": 3}}, "«victims» debe ser una lista", id="victims_not_a_list"),
    pytest.param({"victims": ["niña"]}, 'Víctima 1: debe ser un objeto; se recibió "niña"', id="victim_not_object"),
    pytest.param({"victims": [{}, {"edad": 3}]}, "Víctima 2: campo desconocido «edad»", id="victim_unknown_field"),
    pytest.param({"victims": [{"age": "16"}]}, "Víctima 1: «age» debe ser un número entero", id="age_text"),
    pytest.param({"victims": [{"age": 16.5}]}, "Víctima 1: «age» debe ser un número entero", id="age_decimal"),
    pytest.param({"victims": [{"age": True}]}, "Víctima 1: «age» debe ser un número entero", id="age_boolean"),
    pytest.param({"victims": [{"age": -1}]}, "Víctima 1: «age» debe ser un número entero de 0 a 120", id="age_neg"),
    pytest.param({"victims": [{"age": 121}]}, "Víctima 1: «age» debe ser un número entero de 0 a 120", id="age_121"),
    pytest.param({"victims": [{"minor": "sí"}]}, "«minor» debe ser verdadero, falso o nulo", id="minor_text"),
    pytest.param({"victims": [{"pregnant": 1}]}, "«pregnant» debe ser verdadero o falso", id="flag_number"),
    pytest.param({"victims": [{"sex": "X"}]}, '«sex» debe ser "F", "M" o nulo', id="sex"),
    pytest.param({"victims": [{"nationality": "PER"}]}, "«nationality» debe ser un código de país", id="nat_3"),
    pytest.param({"victims": [{"nationality": 51}]}, "«nationality» debe ser un código de país", id="nat_number"),
    pytest.param({"suspects": "Juan"}, "«suspects» debe ser una lista", id="suspects_not_a_list"),
    pytest.param({"suspects": [1]}, "Presunto tratante 1: debe ser un objeto", id="suspect_not_object"),
    pytest.param({"suspects": [{"alias": "x"}]}, "Presunto tratante 1: campo desconocido «alias»", id="suspect_field"),
    pytest.param({"suspects": [{"identified": "no"}]}, "«identified» debe ser verdadero, falso o nulo", id="ident"),
    pytest.param({"suspects": [{"name": 7}]}, "Presunto tratante 1: «name» debe ser un texto o nulo", id="name"),
    pytest.param({"suspects": [{"sex": "H"}]}, "Presunto tratante 1: «sex» debe ser", id="suspect_sex"),
    pytest.param({"date_of_facts": "01/05/2010"}, "«date_of_facts» debe ser una fecha AAAA-MM-DD", id="date_format"),
    pytest.param({"date_of_facts": "20100501"}, "«date_of_facts» debe ser una fecha AAAA-MM-DD", id="date_compact"),
    pytest.param({"date_of_facts": 2010}, "«date_of_facts» debe ser una fecha AAAA-MM-DD", id="date_number"),
    pytest.param({"date_of_facts": "2010-02-30"}, 'la fecha "2010-02-30" no existe', id="date_nonexistent"),
    pytest.param(
        {"date_of_facts": datetime(2010, 5, 1, 10, 0)},  # noqa: DTZ001
        "«date_of_facts» debe ser una fecha AAAA-MM-DD",
        id="date_with_time",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD_FACTS)
def test_bad_facts_are_refused_with_a_spanish_message(data: Any, message: str) -> None:
    with pytest.raises(FactsError) as caught:
        facts_from_dict(data)
    assert message in str(caught.value)


def test_an_unknown_code_message_lists_the_valid_codes() -> None:
    with pytest.raises(FactsError, match="Códigos válidos: recruitment, transport, transfer, harbouring"):
        facts_from_dict({"conducts": ["captación"]})


def test_a_date_after_today_is_refused() -> None:
    with pytest.raises(FactsError, match=r"la fecha de los hechos \(2031-01-01\) es posterior a hoy \(2030-12-31\)"):
        facts_from_dict({"date_of_facts": "2031-01-01"}, today=date(2030, 12, 31))


def test_facts_errors_are_rules_errors_and_value_errors() -> None:
    assert issubclass(FactsError, RulesError)
    assert issubclass(FactsError, ValueError)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(lambda: Facts(date_of_facts="2010-05-01"), "«date_of_facts» debe ser una fecha", id="date_text"),
        pytest.param(
            lambda: Facts(date_of_facts=datetime(2010, 5, 1)),  # noqa: DTZ001
            "«date_of_facts» debe ser una fecha",
            id="datetime",
        ),
        pytest.param(lambda: Facts(victims=[{"age": 3}]), "«victims» debe contener objetos Victim", id="victim_dict"),
        pytest.param(lambda: Facts(suspects=[Victim()]), "«suspects» debe contener objetos Suspect", id="suspect"),
        pytest.param(lambda: Facts(victims=None), "«victims» debe ser una lista; se recibió null", id="victims_none"),
        pytest.param(lambda: Facts(suspects=Suspect()), "«suspects» debe ser una lista", id="one_suspect"),
        pytest.param(lambda: Facts(victims={"age": 3}), "«victims» debe ser una lista", id="victims_mapping"),
        pytest.param(lambda: Facts(means=5), "«means» debe ser una lista de códigos; se recibió 5", id="means_number"),
        pytest.param(lambda: Facts(purposes="begging"), "«purposes» debe ser una lista de códigos", id="purposes_text"),
        pytest.param(lambda: Victim(age=200), "«age» debe ser un número entero de 0 a 120", id="victim_age"),
        pytest.param(lambda: Victim(consented=None), "«consented» debe ser verdadero o falso", id="victim_flag"),
        pytest.param(lambda: Victim(nationality="pe"), "«nationality» debe ser un código de país", id="lower_case"),
        pytest.param(lambda: Suspect(sex="m"), "«sex» debe ser", id="suspect_sex"),
    ],
)
def test_the_dataclasses_check_themselves(build: Any, message: str) -> None:
    with pytest.raises(FactsError) as caught:
        build()
    assert message in str(caught.value)

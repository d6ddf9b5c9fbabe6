"""The complaint form: one page, usable without JavaScript, saving only through the services."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent
from complaints.catalogues import Origin
from complaints.models import Complaint, Person
from complaints.rules.codes import GROUPS
from complaints.services import ComplaintData
from tests.conftest import signed_in_client
from tests.factories.complaints import bar_in_madre_de_dios

pytestmark = pytest.mark.django_db

CREATE = reverse("complaints:complaint_create")

VICTIM_FIELDS = ("first_names", "last_names", "sex", "nationality", "document_type", "document_number")
SUSPECT_FIELDS = (
    "first_names",
    "last_names",
    "alias",
    "sex",
    "nationality",
    "relation_to_victim",
    "description",
)


def _rows(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is True:
                data[f"{prefix}-{index}-{name}"] = "on"
            elif value not in (None, False):
                data[f"{prefix}-{index}-{name}"] = str(value)
    return data


FIRST_TOKEN = "token-1"


def post_data(case: ComplaintData, *, token: str = FIRST_TOKEN, action: str = "register", **extra: Any) -> dict:
    """What the browser sends for `case` (a services.ComplaintData) from the form."""
    district = case.place_district
    data: dict[str, Any] = {
        "form_token": token,
        "action": action,
        "origin": case.origin,
        "other_agency_name": case.other_agency_name,
        "paper_serial": case.paper_serial,
        "facts_date": case.facts_date.isoformat() if case.facts_date else "",
        "facts_time": case.facts_time.strftime("%H:%M") if case.facts_time else "",
        "department": district.department_id if district else "",
        "province": district.province_id if district else "",
        "place_district": district.pk if district else "",
        "place_address": case.place_address,
        "place_kind": case.place_kind,
        "complainant_first_names": case.complainant_first_names,
        "complainant_last_names": case.complainant_last_names,
        "complainant_document_type": case.complainant_document_type,
        "complainant_document_number": case.complainant_document_number,
        "complainant_contact": case.complainant_contact,
        "complainant_relation": case.complainant_relation,
        "narrative": case.narrative,
        "responsible_officer": case.responsible_officer,
    }
    if case.complainant_anonymous:
        data["complainant_anonymous"] = "on"
    for group in GROUPS:
        data[group] = list(getattr(case, group))
    victims = []
    for victim in case.victims:
        row: dict[str, Any] = {name: getattr(victim, name) for name in VICTIM_FIELDS}
        row["age"] = victim.age
        row["minor"] = {True: "yes", False: "no"}.get(victim.minor, "unknown")
        row.update({name: getattr(victim, name) for name in ("pregnant", "disability", "legally_incapable")})
        row["consented"] = victim.consented
        victims.append(row)
    suspects = [
        {**{name: getattr(suspect, name) for name in SUSPECT_FIELDS}, "approximate_age": suspect.approximate_age}
        for suspect in case.suspects
    ]
    data.update(_rows("victims", victims))
    data.update(_rows("suspects", suspects))
    data.update(extra)
    return data


def register(client: Any, url: str, data: dict, **extra: Any) -> Any:
    """ "Register complaint", then "Confirm and register" on the review page (issue 10.2): the
    response of the confirmation, or of the first step when it did not lead to the review."""
    first = client.post(url, data)
    if first.status_code != 302 or "/revisar/" not in first["Location"]:
        return first
    review = client.get(first["Location"])
    assert review.status_code == 200
    confirm = {"action": "confirm", "fingerprint": review.context["fingerprint"], **extra}
    return client.post(first["Location"], confirm)


def counts() -> tuple[int, int]:
    return Complaint.objects.count(), Person.objects.count()


@pytest.fixture
def officer(personas: dict) -> Any:
    return signed_in_client(personas["station_officer"])


# ---------------------------------------------------------------- the page


def test_the_form_renders_every_check_box_with_its_penal_code_hint_and_aria_describedby(officer: Any) -> None:
    response = officer.get(CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    for group, elements in GROUPS.items():
        assert f'id="group-{group}"' in html
        for element in elements:
            assert (
                f'<input type="checkbox" name="{group}" value="{element.code}" id="id_{group}_{element.code}" '
                f'aria-describedby="hint_{element.code}">'
            ) in html
            assert f'<label for="id_{group}_{element.code}">{escape(element.label)}</label>' in html
            assert f'id="hint_{element.code}" role="tooltip">' in html
            assert escape(element.hint) in html
            assert escape(element.article) in html


def test_the_form_loads_its_script_and_styles_from_static_files_without_inline_code(officer: Any) -> None:
    html = officer.get(CREATE).content.decode()
    assert "js/complaint-form.js" in html and "css/complaints.css" in html
    assert " style=" not in html
    assert "<script>" not in html


def test_every_visible_field_has_a_label(officer: Any) -> None:
    response = officer.get(CREATE)
    entry = response.context["entry"]
    forms = [entry.form, *entry.victims.forms, *entry.suspects.forms]
    html = response.content.decode()
    for form in forms:
        for field in form.visible_fields():
            if field.name in GROUPS or field.name == "origin":
                continue  # rendered option by option, each with its own label
            assert f'for="{field.id_for_label}"' in html, field.html_name


def test_the_registering_unit_is_shown_from_the_user_and_the_form_has_a_one_time_token(officer: Any) -> None:
    response = officer.get(CREATE)
    assert "Comisaría PNP Cusco" in response.content.decode()
    token = response.context["form"]["form_token"].value()
    assert len(token) == 32
    assert officer.get(CREATE).context["form"]["form_token"].value() != token


def test_the_hotline_operator_starts_with_the_hotline_origin(personas: dict) -> None:
    response = signed_in_client(personas["hotline_operator"]).get(CREATE)
    assert response.context["form"]["origin"].value() == Origin.HOTLINE


def test_only_divintrap_may_choose_another_agency_as_origin(personas: dict, officer: Any) -> None:
    assert 'value="other_agency"' not in officer.get(CREATE).content.decode()
    divintrap = signed_in_client(personas["national_investigator"])
    assert 'value="other_agency"' in divintrap.get(CREATE).content.decode()


@pytest.mark.parametrize("persona", ["monitor", "auditor", "national_admin"])
def test_a_role_that_cannot_file_gets_403_on_the_form(personas: dict, persona: str) -> None:
    client = signed_in_client(personas[persona])
    before = counts()
    assert client.get(CREATE).status_code == 403
    response = client.post(CREATE, post_data(bar_in_madre_de_dios()))
    assert response.status_code == 403
    assert "No permitido" in response.content.decode()
    assert counts() == before


def test_the_form_page_runs_a_bounded_number_of_queries(officer: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(12):  # 10, the research variables and the catalogues
        assert officer.get(CREATE).status_code == 200


def test_the_refreshed_form_page_runs_a_bounded_number_of_queries(
    officer: Any, units: dict, django_assert_max_num_queries: Any
) -> None:
    data = post_data(bar_in_madre_de_dios(), action="refresh")
    with django_assert_max_num_queries(16):  # 14, the research variables and the catalogues
        assert officer.post(CREATE, data).status_code == 200


def test_the_draft_and_result_pages_run_a_bounded_number_of_queries(
    officer: Any, complaints: dict, django_assert_max_num_queries: Any
) -> None:
    edit = reverse("complaints:complaint_edit", kwargs={"pk": complaints["draft"].pk})
    result = reverse("complaints:complaint_result", kwargs={"pk": complaints["frozen"].pk})
    with django_assert_max_num_queries(18):  # 14, the units that may take a paper form, research variables, catalogues
        assert officer.get(edit).status_code == 200
    with django_assert_max_num_queries(10):
        assert officer.get(result).status_code == 200


# ---------------------------------------------------------------- without JavaScript


def test_adding_a_victim_without_javascript_keeps_what_was_typed_and_saves_nothing(officer: Any) -> None:
    before = counts()
    data = post_data(bar_in_madre_de_dios(), action="add_victim")
    response = officer.post(CREATE, data)
    assert response.status_code == 200
    assert counts() == before
    entry = response.context["entry"]
    assert len(entry.victims.forms) == 2
    assert entry.victims.forms[0]["first_names"].value() == "Lucía"
    assert entry.victims.forms[0]["age"].value() == "16"
    assert entry.victims.forms[1]["first_names"].value() in (None, "")
    assert entry.form["narrative"].value().startswith("La menor fue captada")
    assert entry.form["conducts"].value() == ["recruitment", "transfer"]
    assert entry.form["form_token"].value() == FIRST_TOKEN
    html = response.content.decode()
    assert 'name="victims-1-first_names"' in html
    assert 'value="Lucía"' in html
    assert 'value="recruitment" id="id_conducts_recruitment" aria-describedby="hint_recruitment" checked' in html
    assert not response.context["errors"]  # nothing was validated: no error is shown


def test_adding_an_alleged_trafficker_without_javascript_adds_a_blank_row(officer: Any) -> None:
    response = officer.post(CREATE, post_data(bar_in_madre_de_dios(), action="add_suspect"))
    entry = response.context["entry"]
    assert len(entry.suspects.forms) == 2
    assert entry.suspects.forms[0]["alias"].value() == "La Tía"


def test_removing_a_row_without_javascript_keeps_the_others(officer: Any) -> None:
    case = bar_in_madre_de_dios()
    case.victims.append(type(case.victims[0])(first_names="Rosa", age=15, sex="F"))
    before = counts()
    response = officer.post(CREATE, post_data(case, action="", remove_victim="0"))
    assert counts() == before
    victims = response.context["entry"].victims.forms
    assert [form["first_names"].value() for form in victims] == ["Rosa"]
    response = officer.post(CREATE, post_data(bar_in_madre_de_dios(), action="", remove_suspect="0"))
    assert response.context["entry"].suspects.forms == []


def test_department_province_and_district_lists_refresh_without_javascript(officer: Any, units: dict) -> None:
    data = post_data(bar_in_madre_de_dios(), action="refresh", province="", place_district="")
    response = officer.post(CREATE, data)
    form = response.context["form"]
    assert ("1701", "Tambopata") in form.fields["province"].choices
    assert [code for code, _name in form.fields["place_district"].choices] == [""]
    assert counts() == (0, 0)

    data["province"] = "1701"
    response = officer.post(CREATE, data)
    form = response.context["form"]
    assert ("170101", "Tambopata") in form.fields["place_district"].choices
    assert '<option value="170101">Tambopata</option>' in response.content.decode()

    # Another department: the province chosen before is no longer offered.
    data.update(department="08")
    form = officer.post(CREATE, data).context["form"]
    assert ("0801", "Cusco") in form.fields["province"].choices
    assert [code for code, _name in form.fields["place_district"].choices] == [""]


def test_the_place_lists_come_as_json_for_the_script(officer: Any, units: dict) -> None:
    provinces = officer.get(reverse("complaints:ubigeo_children", kwargs={"code": "17"}))
    assert provinces.json() == {"code": "17", "children": [{"code": "1701", "name": "Tambopata"}]}
    districts = officer.get(reverse("complaints:ubigeo_children", kwargs={"code": "1701"}))
    assert districts.json()["children"] == [{"code": "170101", "name": "Tambopata"}]
    assert officer.get(reverse("complaints:ubigeo_children", kwargs={"code": "99"})).status_code == 404
    assert officer.get(reverse("complaints:ubigeo_children", kwargs={"code": "abc"})).status_code == 404


# ---------------------------------------------------------------- registering


def test_registering_the_issue_case_creates_one_frozen_numbered_complaint_with_its_alerts(
    officer: Any, personas: dict
) -> None:
    response = register(officer, CREATE, post_data(bar_in_madre_de_dios()))
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:complaint_result", kwargs={"pk": complaint.pk})
    assert complaint.is_frozen and complaint.status == Complaint.Status.SUBMITTED
    assert complaint.number.startswith("DIRTEPOL-CUSCO-CPNP-1-")
    assert complaint.registering_unit == personas["station_officer"].unit
    assert complaint.outcome == "trafficking"
    assert complaint.purpose_categories == ["sexual_exploitation"]
    # Madre de Dios' specialised unit has no account in this tree: its directorate is alerted too.
    assert sorted(alert.unit.code for alert in complaint.alerts.all()) == [
        "DIRTEPOL-MADRE-DE-DIOS",
        "DIRTEPOL-MADRE-DE-DIOS-TRATA",
        "DIVINTRAP",
    ]
    victim = complaint.victims.select_related("person").get()
    assert (victim.person.first_names, victim.age, victim.person.sex, victim.minor) == ("Lucía", 16, "F", None)
    suspect = complaint.suspects.select_related("person").get()
    assert (suspect.person.alias, suspect.approximate_age) == ("La Tía", 45)
    assert complaint.complainant.last_names == "Mamani Huallpa"
    assert complaint.place_district_id == "170101"

    page = officer.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert complaint.number in html
    assert "trata de personas — explotación sexual" in html.lower()
    assert "consistente con trata de personas" in html.lower()
    for sentence in complaint.classification["explanation"]:
        assert escape(sentence) in html
    assert "la víctima tiene entre catorce y diecisiete años o es incapaz" in html.lower()
    assert "DIRTEPOL-MADRE-DE-DIOS-TRATA" in html and "DIVINTRAP" in html
    assert complaint.registration_delay_days == (timezone.localdate(complaint.submitted_at) - complaint.facts_date).days


def test_the_result_page_shows_the_registration_delay(officer: Any) -> None:
    response = officer.get(register(officer, CREATE, post_data(bar_in_madre_de_dios()))["Location"])
    complaint = response.context["complaint"]
    delay = (timezone.localdate(complaint.submitted_at) - complaint.facts_date).days
    assert f'<dd class="registration-delay">{delay} ' in response.content.decode()


def test_sending_the_same_form_twice_creates_one_complaint(officer: Any) -> None:
    data = post_data(bar_in_madre_de_dios(), token="the-same-token")
    first = officer.post(CREATE, data)
    second = officer.post(CREATE, data)
    assert Complaint.objects.count() == 1
    assert first["Location"] == second["Location"]  # the same draft's review
    review = officer.get(first["Location"])
    confirm = {"action": "confirm", "fingerprint": review.context["fingerprint"]}
    registered = officer.post(first["Location"], confirm)
    again = officer.post(first["Location"], confirm)
    assert registered["Location"] == again["Location"]
    assert officer.post(CREATE, data)["Location"] == registered["Location"]  # the form sent a third time
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().alerts.count() == 3  # one raise: the two units and the directorate


def test_a_draft_saved_from_a_form_is_registered_by_the_same_form_sent_again(officer: Any) -> None:
    officer.post(CREATE, post_data(bar_in_madre_de_dios(), token="t-2", action="save_draft"))
    draft = Complaint.objects.get()
    assert draft.is_draft and not draft.is_frozen
    register(officer, CREATE, post_data(bar_in_madre_de_dios(narrative="Relato completado."), token="t-2"))
    complaint = Complaint.objects.get()
    assert complaint.pk == draft.pk and complaint.is_frozen
    assert complaint.narrative == "Relato completado."


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        pytest.param({"victims": []}, "victims", "Registre al menos una víctima.", id="no-victim"),
        pytest.param({"place_district": None}, "place_district", "Indique el distrito", id="no-district"),
        pytest.param({"narrative": ""}, "narrative", "Describa los hechos en el relato.", id="no-narrative"),
        pytest.param({"facts_date": None}, "facts_date", "Indique la fecha de los hechos.", id="no-date"),
    ],
)
def test_a_complaint_that_cannot_be_registered_gets_a_spanish_message_and_saves_nothing(
    officer: Any, case: dict, field: str, message: str
) -> None:
    before = counts()
    response = officer.post(CREATE, post_data(bar_in_madre_de_dios(**case)))
    assert response.status_code == 200
    assert counts() == before
    assert message in response.content.decode()
    entry = response.context["entry"]
    if field == "victims":
        assert entry.victims_errors == ["Registre al menos una víctima."]
    else:
        assert message in " ".join(entry.form.errors[field])
    assert response.context["form"]["form_token"].value() == FIRST_TOKEN  # the same form, ready to send again


def test_a_future_date_of_the_facts_is_refused_next_to_the_field(officer: Any) -> None:
    future = timezone.localdate() + datetime.timedelta(days=3)
    before = counts()
    response = officer.post(CREATE, post_data(bar_in_madre_de_dios(facts_date=future)))
    assert response.status_code == 200
    assert counts() == before
    assert response.context["form"].errors["facts_date"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert 'id="id_facts_date_error"' in response.content.decode()


def test_another_agency_without_its_name_is_refused_in_spanish(personas: dict) -> None:
    divintrap = signed_in_client(personas["national_investigator"])
    before = counts()
    response = divintrap.post(CREATE, post_data(bar_in_madre_de_dios(origin=Origin.OTHER_AGENCY, other_agency_name="")))
    assert response.status_code == 200
    assert counts() == before
    assert "Indique el nombre de la entidad que remitió el caso." in response.content.decode()
    assert response.context["form"].errors["other_agency_name"]


def test_divintrap_registers_the_case_of_another_agency_with_its_name(personas: dict) -> None:
    divintrap = signed_in_client(personas["national_investigator"])
    case = bar_in_madre_de_dios(origin=Origin.OTHER_AGENCY, other_agency_name="Fiscalía de Tambopata")
    register(divintrap, CREATE, post_data(case))
    complaint = Complaint.objects.get()
    assert (complaint.origin, complaint.other_agency_name) == (Origin.OTHER_AGENCY, "Fiscalía de Tambopata")


def test_a_station_officer_cannot_send_another_agency_as_origin(officer: Any) -> None:
    case = bar_in_madre_de_dios(origin=Origin.OTHER_AGENCY, other_agency_name="Otra")
    response = officer.post(CREATE, post_data(case))
    assert response.status_code == 200
    assert response.context["form"].errors["origin"]
    assert counts() == (0, 0)


def test_a_paper_form_keeps_its_serial(officer: Any, personas: dict) -> None:
    from paperforms.services import paper_form_batch_issue

    station = personas["station_officer"].unit
    serial = paper_form_batch_issue(actor=personas["national_admin"], unit=station, count=1).serials.get().serial
    register(officer, CREATE, post_data(bar_in_madre_de_dios(origin=Origin.PAPER, paper_serial=serial)))
    assert Complaint.objects.get().paper_serial == serial


def test_contradicting_age_and_minority_is_refused(officer: Any) -> None:
    data = post_data(bar_in_madre_de_dios(), **{"victims-0-minor": "no"})
    response = officer.post(CREATE, data)
    assert response.context["entry"].victims.forms[0].errors["minor"]
    assert counts() == (0, 0)


def test_a_victim_of_unknown_age_known_to_be_a_minor_is_stored_as_such(officer: Any) -> None:
    data = post_data(bar_in_madre_de_dios(), **{"victims-0-age": "", "victims-0-minor": "yes"})
    register(officer, CREATE, data)
    victim = Complaint.objects.get().victims.get()
    assert (victim.age, victim.minor) == (None, True)


def test_blank_rows_are_not_people(officer: Any) -> None:
    data = post_data(bar_in_madre_de_dios(), action="add_suspect")
    data.update({"suspects-TOTAL_FORMS": "2", "action": "register"})
    register(officer, CREATE, data)
    assert Complaint.objects.get().suspects.count() == 1


# ---------------------------------------------------------------- drafts


def test_a_draft_is_saved_edited_and_then_registered(officer: Any) -> None:
    response = officer.post(CREATE, post_data(bar_in_madre_de_dios(narrative=""), action="save_draft"))
    draft = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:complaint_result", kwargs={"pk": draft.pk})
    assert draft.is_draft and draft.number is None and not draft.outcome
    result = officer.get(response["Location"])
    assert reverse("complaints:complaint_edit", kwargs={"pk": draft.pk}) in result.content.decode()

    edit = reverse("complaints:complaint_edit", kwargs={"pk": draft.pk})
    page = officer.get(edit)
    assert page.status_code == 200
    assert page.context["entry"].victims.forms[0]["first_names"].value() == "Lucía"
    assert page.context["form"]["place_district"].value() == "170101"

    refused = officer.post(edit, post_data(bar_in_madre_de_dios(narrative="")))
    assert refused.status_code == 200
    draft.refresh_from_db()
    assert not draft.is_frozen

    register(officer, edit, post_data(bar_in_madre_de_dios(narrative="Relato."), token=""))
    draft.refresh_from_db()
    assert draft.is_frozen and draft.narrative == "Relato."
    assert Complaint.objects.count() == 1


def test_a_refused_registration_of_a_draft_leaves_the_draft_as_it_was(officer: Any, complaints: dict) -> None:
    draft = complaints["draft"]
    edit = reverse("complaints:complaint_edit", kwargs={"pk": draft.pk})
    response = officer.post(edit, post_data(bar_in_madre_de_dios(narrative="Cambiado.", victims=[])))
    assert "Registre al menos una víctima." in response.content.decode()
    draft.refresh_from_db()
    assert draft.narrative == "Borrador en curso." and not draft.is_frozen
    assert draft.victims.count() == 1


def test_editing_a_frozen_complaint_is_refused_and_the_attempt_recorded(officer: Any, complaints: dict) -> None:
    frozen = complaints["frozen"]
    edit = reverse("complaints:complaint_edit", kwargs={"pk": frozen.pk})
    assert officer.get(edit).status_code == 403
    assert not AuditEvent.objects.filter(event="complaint_change_refused").exists()

    response = officer.post(edit, post_data(bar_in_madre_de_dios(narrative="Alterado.")))
    assert response.status_code == 403
    assert "No permitido" in response.content.decode()
    frozen.refresh_from_db()
    assert frozen.narrative.startswith("La menor fue captada")
    event = AuditEvent.objects.get(event="complaint_change_refused")
    assert (event.object_id, event.user_name, event.outcome) == (str(frozen.pk), "station.officer", "denied")
    assert event.details == {"action": "edit"}


def test_a_draft_of_another_unit_is_not_found(personas: dict, complaints: dict) -> None:
    outsider = signed_in_client(personas["outsider"])
    edit = reverse("complaints:complaint_edit", kwargs={"pk": complaints["draft"].pk})
    assert outsider.get(edit).status_code == 404
    assert outsider.post(edit, post_data(bar_in_madre_de_dios())).status_code == 404


def test_the_result_of_a_complaint_outside_the_scope_is_not_found(personas: dict, complaints: dict) -> None:
    outsider = signed_in_client(personas["outsider"])
    url = reverse("complaints:complaint_result", kwargs={"pk": complaints["frozen"].pk})
    assert outsider.get(url).status_code == 404

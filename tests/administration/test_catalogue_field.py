"""CatalogueCharField: a model field holding a code of an editable catalogue (administration.catalogues).
No fixed choices: the codes an administrator adds are accepted, a deactivated code an old record
keeps still shows its label, an unknown code is refused in Spanish, and migrations record the
catalogue (not the codes)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from administration import services
from administration.catalogues import CatalogueCharField
from administration.models import Catalogue, CatalogueEntry
from complaints.models import Complaint, ComplaintPlace
from diligences.models import Diligence
from investigations.models import CasePerson, CasePlace, RouteLeg, VictimOutcome

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded(db: Any) -> None:
    services.catalogues_seed()


def _clean_only(instance: models.Model, name: str) -> None:
    """The model's full_clean, on one field (the others are not the subject here)."""
    others = [field.name for field in instance._meta.fields if field.name != name]
    instance.full_clean(exclude=others, validate_unique=False, validate_constraints=False)


def test_a_code_added_by_an_administrator_is_accepted_and_shown_with_its_label(personas: dict) -> None:
    services.catalogue_entry_add(
        actor=personas["national_admin"],
        catalogue=Catalogue.CASE_PLACE_KIND,
        code="floating_bar",
        label_es="Bar flotante",
        label_en="Floating bar",
    )
    place = CasePlace(kind="floating_bar")
    _clean_only(place, "kind")
    with translation.override("es"):
        assert place.get_kind_display() == "Bar flotante"
    with translation.override("en"):
        assert place.get_kind_display() == "Floating bar"


def test_a_deactivated_code_kept_by_an_old_record_shows_its_label(personas: dict) -> None:
    entry = CatalogueEntry.objects.get(catalogue=Catalogue.TRANSPORT, code="boat")
    services.catalogue_entry_update(
        actor=personas["national_admin"],
        entry=entry,
        label_es=entry.label_es,
        label_en=entry.label_en,
        order=entry.order,
        active=False,
    )
    leg = RouteLeg(transport="boat")
    _clean_only(leg, "transport")  # the record may keep it
    with translation.override("es"):
        assert leg.get_transport_display() == entry.label_es


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (Complaint, "place_kind"),
        (ComplaintPlace, "kind"),
        (Diligence, "kind"),
        (CasePlace, "kind"),
        (RouteLeg, "transport"),
        (CasePerson, "recruitment_method"),
        (VictimOutcome, "result"),
    ],
)
def test_an_unknown_code_is_refused_in_spanish(model: type[models.Model], name: str) -> None:
    instance = model(**{name: "no_such_code"})
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        _clean_only(instance, name)
    assert refused.value.message_dict == {name: ["Elija un valor de la lista."]}
    assert refused.value.error_dict[name][0].code == "invalid_choice"


def test_an_empty_value_follows_blank() -> None:
    _clean_only(RouteLeg(transport=""), "transport")  # blank=True
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        _clean_only(CasePlace(kind=""), "kind")  # required
    assert refused.value.error_dict["kind"][0].code == "blank"


@pytest.mark.parametrize(
    ("model", "name", "catalogue"),
    [
        (Complaint, "place_kind", Catalogue.PLACE_KIND),
        (ComplaintPlace, "kind", Catalogue.PLACE_KIND),
        (Diligence, "kind", Catalogue.DILIGENCE_TYPE),
        (CasePlace, "kind", Catalogue.CASE_PLACE_KIND),
        (RouteLeg, "transport", Catalogue.TRANSPORT),
        (CasePerson, "recruitment_method", Catalogue.RECRUITMENT_METHOD),
        (VictimOutcome, "result", Catalogue.VICTIM_OUTCOME),
    ],
)
def test_the_field_deconstructs_with_its_catalogue_and_no_choices(
    model: type[models.Model], name: str, catalogue: str
) -> None:
    for owner in (model, *([model.history.model] if hasattr(model, "history") else [])):  # simple-history copies it
        field = owner._meta.get_field(name)
        assert isinstance(field, CatalogueCharField)
        _name, path, args, kwargs = field.deconstruct()
        assert path == "administration.catalogues.CatalogueCharField"
        assert kwargs["catalogue"] == catalogue and type(kwargs["catalogue"]) is str
        assert "choices" not in kwargs
        rebuilt = CatalogueCharField(*args, **kwargs)
        assert rebuilt.catalogue == catalogue and rebuilt.max_length == field.max_length
        assert hasattr(owner, f"get_{name}_display")


def test_the_catalogue_changes_nothing_in_the_database() -> None:
    field = CasePlace._meta.get_field("kind")
    assert "catalogue" in field.non_db_attrs
    with pytest.raises(TypeError):
        CatalogueCharField(catalogue=Catalogue.TRANSPORT, max_length=16, choices=[("a", "A")])

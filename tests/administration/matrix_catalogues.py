"""Permission-matrix rows of the editable catalogues (see tests/permissions.py): national
administrators only, as every other screen of administration; the others get 403, the anonymous
the sign-in page. The list and a catalogue's page only answer GET (405 to the administrator, 403
before it to the others); adding and editing an entry answer GET and POST (302 when saved)."""

from __future__ import annotations

from typing import Any

from tests.permissions import Route, only

ADMIN_GET = only({"national_admin": 200})
ADMIN_POST = only({"national_admin": 302})
ADMIN_405 = only({"national_admin": 405})


def _catalogue(ctx: dict[str, Any]) -> dict[str, Any]:
    return {"catalogue": "diligence_type"}


def _entry(ctx: dict[str, Any]) -> dict[str, Any]:
    from administration.models import CatalogueEntry

    return {"pk": CatalogueEntry.objects.get(catalogue="diligence_type", code="rescue").pk}


NEW_ENTRY = {"code": "drone_overflight", "label_es": "Sobrevuelo con dron", "label_en": "Drone overflight", "order": 5}
EDITED = {"label_es": "Rescate", "label_en": "Rescue", "order": 80, "active": "on"}


def _variable(ctx: dict[str, Any]) -> dict[str, Any]:
    import datetime

    from administration.models import ExtraField

    variable, _created = ExtraField.objects.get_or_create(
        target="complaint",
        code="debt_bondage",
        defaults={
            "label_es": "¿Deuda?",
            "label_en": "Debt?",
            "kind": "yes_no",
            "valid_from": datetime.date(2026, 1, 1),
        },
    )
    return {"pk": variable.pk}


NEW_VARIABLE = {
    "code": "hours_per_day",
    "label_es": "Horas por día",
    "label_en": "Hours per day",
    "kind": "number",
    "target": "complaint",
    "valid_from": "2026-01-01",
    "order": 1,
    "active": "on",
}
EDITED_VARIABLE = {**NEW_VARIABLE, "code": "debt_bondage", "kind": "yes_no", "label_es": "¿Deuda impuesta?"}

ROUTES: list[Route] = [
    Route("administration:extra_field_list", "get", ADMIN_GET),
    Route("administration:extra_field_list", "post", ADMIN_405),
    Route("administration:extra_field_add", "get", ADMIN_GET),
    Route("administration:extra_field_add", "post", ADMIN_POST, data=NEW_VARIABLE),
    Route("administration:extra_field_edit", "get", ADMIN_GET, kwargs=_variable),
    Route("administration:extra_field_edit", "post", ADMIN_POST, kwargs=_variable, data=EDITED_VARIABLE),
    Route("administration:catalogue_list", "get", ADMIN_GET),
    Route("administration:catalogue_list", "post", ADMIN_405),
    Route("administration:catalogue_detail", "get", ADMIN_GET, kwargs=_catalogue),
    Route("administration:catalogue_detail", "post", ADMIN_405, kwargs=_catalogue),
    Route("administration:catalogue_entry_add", "get", ADMIN_GET, kwargs=_catalogue),
    Route("administration:catalogue_entry_add", "post", ADMIN_POST, kwargs=_catalogue, data=NEW_ENTRY),
    Route("administration:catalogue_entry_edit", "get", ADMIN_GET, kwargs=_entry),
    Route("administration:catalogue_entry_edit", "post", ADMIN_POST, kwargs=_entry, data=EDITED),
]

"""The part of the amendment screen that the complaint form does not have: the reason, which is
mandatory and kept as the history change reason, and the version the administrator opened (a
hidden field: a save against an older version is a conflict, SECURITY.md 24).

The complaint's own fields, victims and alleged traffickers are `complaints.forms.ComplaintEntry`,
the same form that files a complaint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from complaints.services import AMENDMENT_REASON_MAX_LENGTH

# The amendment service's limit (the history keeps the reason whole, reta.history).
REASON_MAX_LENGTH = AMENDMENT_REASON_MAX_LENGTH


class AmendmentForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_MAX_LENGTH}),
        help_text=_(
            "Mandatory. Say why the registered complaint is changed (for example, the document that "
            "shows the victim's real age). Up to 2,000 characters; it is kept in the history with the change."
        ),
        error_messages={"required": _("Give the reason for the amendment.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Give the reason for the amendment."))
        return reason

    def raw_values(self) -> dict[str, Any]:
        return {name: self[name].value() for name in self.fields}


# ---------------------------------------------------------------- the page, in sections

# The complaint form's fields, in the order of the filing screen (complaints.forms.ComplaintForm).
COMPLAINT_SECTIONS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "origin",
        _("Origin"),
        ("origin", "other_agency_name", "paper_serial", "paper_received_on", "paper_receiving_unit"),
    ),
    (
        "place",
        _("Date and place of the facts"),
        ("facts_date", "facts_time", "department", "province", "place_district", "place_address", "place_kind"),
    ),
    (
        "complainant",
        _("Complainant"),
        (
            "complainant_anonymous",
            "complainant_first_names",
            "complainant_last_names",
            "complainant_document_type",
            "complainant_document_number",
            "complainant_contact",
            "complainant_relation",
        ),
    ),
    ("facts", _("The facts"), ("narrative", "responsible_officer")),
)


@dataclass
class Block:
    """Fields shown together: a part of the complaint, or one victim or alleged trafficker."""

    fields: list[BoundField]
    legend: str = ""
    id: str = ""
    remove_name: str = ""
    remove_value: int | None = None
    remove_label: str = ""


@dataclass
class Section:
    id: str
    legend: Any
    blocks: list[Block] = field(default_factory=list)
    management_form: Any = None
    add_action: str = ""
    add_label: Any = ""
    refresh: bool = False
    errors: list[str] = field(default_factory=list)


def _people(entry: Any, kind: str) -> Section:
    formset = entry.victims if kind == "victims" else entry.suspects
    singular = _("Victim {number}") if kind == "victims" else _("Alleged trafficker {number}")
    remove = _("Remove victim {number}") if kind == "victims" else _("Remove alleged trafficker {number}")
    blocks = [
        Block(
            fields=form.visible_fields(),
            legend=str(singular).format(number=index + 1),
            id=f"{kind}-{index + 1}",
            remove_name="remove_victim" if kind == "victims" else "remove_suspect",
            remove_value=index,
            remove_label=str(remove).format(number=index + 1),
        )
        for index, form in enumerate(formset.forms)
    ]
    errors = [str(error) for error in formset.non_form_errors()]
    if kind == "victims":
        errors += list(getattr(entry, "victims_errors", []))
    return Section(
        id=kind,
        legend=_("Victims") if kind == "victims" else _("Alleged traffickers"),
        blocks=blocks,
        management_form=formset.management_form,
        add_action="add_victim" if kind == "victims" else "add_suspect",
        add_label=_("Add a victim") if kind == "victims" else _("Add an alleged trafficker"),
        errors=errors,
    )


def complaint_sections(entry: Any) -> list[Section]:
    """The complaint's fields (without the check boxes of the legal elements, which the template
    renders with their Penal Code text) and its people, section by section."""
    form = entry.form
    sections = [
        Section(
            id=section_id,
            legend=legend,
            blocks=[Block(fields=[form[name] for name in names if name in form.fields])],
            refresh=section_id == "place",
        )
        for section_id, legend, names in COMPLAINT_SECTIONS
    ]
    return sections


def _places(entry: Any) -> Section:
    """The places of the route (complaints.forms.PlaceForm); the "Update" button of the place of
    the facts refreshes their lists too."""
    blocks = [
        Block(
            fields=form.visible_fields(),
            legend=str(_("Place of the route {number}")).format(number=index + 1),
            id=f"places-{index + 1}",
            remove_name="remove_place",
            remove_value=index,
            remove_label=str(_("Remove place {number}")).format(number=index + 1),
        )
        for index, form in enumerate(entry.places.forms)
    ]
    errors = [str(error) for error in entry.places.non_form_errors()] + list(entry.places_errors)
    return Section(
        id="places",
        legend=_("Other places of the route"),
        blocks=blocks,
        management_form=entry.places.management_form,
        add_action="add_place",
        add_label=_("Add a place of the route"),
        errors=errors,
    )


def people_sections(entry: Any) -> list[Section]:
    """The rows of the complaint: the places of the route, its victims and its alleged traffickers."""
    return [_places(entry), _people(entry, "victims"), _people(entry, "suspects")]

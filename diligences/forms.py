"""The forms of the register's screens: an entry and its correction, an answer (with its scan)
and its correction, and one form per generated document (`DOCUMENT_FORMS`), each with a one-time
token (the same form sent twice writes once, SECURITY.md 26).

Owns: form classes only (no writes: views pass cleaned data to `diligences.services`). Imports
`diligences` and the complaint model (the victims a document may cite).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from administration.catalogues import Catalogue, CatalogueChoiceField
from complaints.models import Complaint
from diligences import policies, services
from diligences.models import DocumentKind
from people import privacy

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TokenForm(forms.Form):
    """A one-time token: the same form sent twice writes one entry (SECURITY.md 26)."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)


class DiligenceForm(TokenForm):
    kind = CatalogueChoiceField(Catalogue.DILIGENCE_TYPE, blank_label="---------", label=gettext_lazy("Action"))
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)
    officer = forms.CharField(label=gettext_lazy("Officer in charge"), max_length=200)
    addressee = forms.CharField(
        label=gettext_lazy("Addressee"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Institution or person the action is addressed to, if any."),
    )
    document_number = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Number of the oficio, record or notification, if any."),
    )
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea, required=False)


class DiligenceCorrectionForm(DiligenceForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=500,
        help_text=gettext_lazy("The entry is not changed: the correction is a new entry that points at it."),
    )


class AnswerForm(TokenForm):
    received_on = forms.DateField(label=gettext_lazy("Date received"), widget=DATE_WIDGET)
    summary = forms.CharField(label=gettext_lazy("Summary of the answer"), widget=forms.Textarea)
    scan = forms.FileField(
        label=gettext_lazy("Scan of the answer"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = services.upload_max_bytes() // 1_048_576
        self.fields["scan"].help_text = _("PDF, JPEG or PNG, up to {limit} MB. Optional.").format(limit=limit)


class AnswerCorrectionForm(AnswerForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=500,
        help_text=gettext_lazy("The answer is not changed: the correction is a new answer that points at it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scan"].help_text = _(
            "Without a new scan, the correction keeps the scan of the answer it corrects."
        )


class DocumentForm(TokenForm):
    """What every generated document asks; each document adds its own fields."""

    addressee = forms.CharField(label=gettext_lazy("Addressee"), max_length=300)
    city = forms.CharField(
        label=gettext_lazy("Place of issue"), max_length=100, help_text=gettext_lazy("City printed beside the date.")
    )
    notes = forms.CharField(
        label=gettext_lazy("Additional paragraph"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Optional. Do not write the name of a minor: documents cite victims by initials."),
    )
    show_adult_names = forms.BooleanField(
        label=gettext_lazy("Print adult victims' full names"),
        required=False,
        help_text=gettext_lazy(
            "Minors are always cited by their initials. This choice is recorded in the audit trail."
        ),
    )

    def __init__(self, *args: Any, complaint: Complaint, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        if not policies.can_show_adult_names(user):
            del self.fields["show_adult_names"]
        self.victims = list(complaint.victims.select_related("person__identity").order_by("position", "id"))

    def victim_choices(self) -> list[tuple[str, str]]:
        choices = []
        for victim in self.victims:
            person = victim.person
            initials = privacy.cited_name(person, minor=victim.is_minor, revealed=False)
            if victim.is_minor is True:
                detail = _("minor, {age} years").format(age=victim.age) if victim.age is not None else _("minor")
            elif victim.is_minor is None:
                detail = _("age unknown")
            else:
                detail = _("{age} years").format(age=victim.age) if victim.age is not None else _("adult")
            label = _("Victim {position}: {initials} ({detail})").format(
                position=victim.position, initials=initials, detail=detail
            )
            choices.append((str(victim.position), label))
        return choices

    def document_fields(self) -> dict[str, Any]:
        return {
            name: value for name, value in self.cleaned_data.items() if name not in ("form_token", "show_adult_names")
        }


class ForensicExamForm(DocumentForm):
    victim = forms.ChoiceField(label=gettext_lazy("Victim to be examined"))
    examinations = forms.MultipleChoiceField(
        label=gettext_lazy("Examinations requested"),
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("physical", gettext_lazy("Physical integrity (injuries)")),
            ("sexual", gettext_lazy("Sexual integrity")),
            ("age", gettext_lazy("Age estimation")),
            ("psychological", gettext_lazy("Psychological evaluation")),
            ("toxicology", gettext_lazy("Toxicology")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["victim"].choices = self.victim_choices()


class SearchWarrantForm(DocumentForm):
    place_address = forms.CharField(label=gettext_lazy("Address of the place to be searched"), max_length=300)
    place_description = forms.CharField(label=gettext_lazy("Description of the place"), max_length=300, required=False)
    grounds = forms.CharField(
        label=gettext_lazy("Grounds"),
        widget=forms.Textarea,
        help_text=gettext_lazy("Why the search is needed: facts, urgency, risk to the victims."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        complaint = self.complaint
        self.initial.setdefault("place_address", complaint.place_address)
        self.initial.setdefault("place_description", complaint.get_place_kind_display() if complaint.place_kind else "")


class PersonQueryForm(DocumentForm):
    person = forms.CharField(
        label=gettext_lazy("Person (data known)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Names, surnames, alias, document number, date of birth: whatever is known."),
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=300, required=False)


class ReniecForm(PersonQueryForm):
    """The RENIEC identity request asks exactly what PersonQueryForm asks."""


class MigracionesForm(PersonQueryForm):
    nationality = forms.CharField(label=gettext_lazy("Nationality"), max_length=60, required=False)
    period_from = forms.DateField(label=gettext_lazy("From"), widget=DATE_WIDGET, required=False)
    period_to = forms.DateField(label=gettext_lazy("To"), widget=DATE_WIDGET, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            self.add_error("period_to", _("The end of the period is before its start."))
        return data


CAPACITY_CHOICES = [
    ("complainant", gettext_lazy("Complainant")),
    ("legal_representative", gettext_lazy("Legal representative of the victim")),
    ("witness", gettext_lazy("Witness")),
    ("investigated", gettext_lazy("Person under investigation")),
    ("victim", gettext_lazy("Victim")),
    ("other", gettext_lazy("Other")),
]


class NotificationForm(DocumentForm):
    person_notified = forms.CharField(
        label=gettext_lazy("Person notified"),
        max_length=200,
        help_text=gettext_lazy("For a minor victim, notify her or his legal representative."),
    )
    capacity = forms.ChoiceField(label=gettext_lazy("In the capacity of"), choices=CAPACITY_CHOICES)
    address = forms.CharField(label=gettext_lazy("Address of the person notified"), max_length=300, required=False)
    appear_at = forms.DateTimeField(label=gettext_lazy("Date and time to appear"), widget=DATETIME_WIDGET)
    appear_place = forms.CharField(label=gettext_lazy("Place to appear"), max_length=300)
    purpose = forms.CharField(label=pgettext_lazy("purpose of a notification", "To"), max_length=300)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.initial.setdefault("appear_place", user.unit.name)
        self.initial.setdefault("purpose", "rendir su manifestación en relación con los hechos denunciados")

    def clean_appear_at(self) -> Any:
        value = self.cleaned_data["appear_at"]
        if value and value < timezone.now():
            raise forms.ValidationError(_("The date to appear has already passed."))
        return value


class StatementForm(DocumentForm):
    deponent = forms.ChoiceField(label=gettext_lazy("Person who makes the statement"))
    deponent_name = forms.CharField(
        label=gettext_lazy("Name of the person (when not a victim)"), max_length=200, required=False
    )
    capacity = forms.ChoiceField(
        label=gettext_lazy("In the capacity of (when not a victim)"),
        choices=[choice for choice in CAPACITY_CHOICES if choice[0] != "victim"],
        required=False,
    )
    taken_at = forms.DateTimeField(label=gettext_lazy("Date and time of the statement"), widget=DATETIME_WIDGET)
    prosecutor = forms.CharField(
        label=gettext_lazy("Prosecutor present"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Required by law for the statement of a minor."),
    )
    statement = forms.CharField(
        label=gettext_lazy("Statement"),
        widget=forms.Textarea,
        required=False,
        help_text=gettext_lazy("Leave empty to print ruled lines and write the statement by hand."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["addressee"]
        choices = [(f"victim:{value}", label) for value, label in self.victim_choices()]
        self.fields["deponent"].choices = [*choices, ("other", _("Another person"))]
        self.initial.setdefault("taken_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("deponent") == "other":
            if not data.get("deponent_name", "").strip():
                self.add_error("deponent_name", _("Write the name of the person."))
            if not data.get("capacity"):
                self.add_error("capacity", _("Choose the capacity of the person."))
        return data

    def document_fields(self) -> dict[str, Any]:
        fields = super().document_fields()
        fields["addressee"] = ""
        if fields.get("deponent", "").startswith("victim:"):
            fields["deponent_name"] = ""
            fields["capacity"] = "victim"
        return fields


DOCUMENT_FORMS: dict[str, type[DocumentForm]] = {
    DocumentKind.FORENSIC_EXAM: ForensicExamForm,
    DocumentKind.SEARCH_WARRANT: SearchWarrantForm,
    DocumentKind.RENIEC: ReniecForm,
    DocumentKind.MIGRACIONES: MigracionesForm,
    DocumentKind.NOTIFICATION: NotificationForm,
    DocumentKind.STATEMENT: StatementForm,
}

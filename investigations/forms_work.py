"""Forms of the investigation work pages (tasks, operations, exhibits and hand-overs, attached
diligencias, journal). They read and check what was typed; investigations.work does every write
and the rules (who a task may go to, the chain of custody, the numbering)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from administration.models import District, Unit
from investigations.models import CasePerson, ExhibitKind, JournalKind, Operation, TaskStatus
from reta.form_fields import ModelsField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
COUNT_MAX = 100_000
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _units() -> Any:
    return Unit.objects.order_by("name")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class UnitsField(ModelsField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=10000, widget=TEXTAREA)
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=None)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args: Any, investigators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = investigators
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class TaskCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(TaskStatus.DONE, TaskStatus.DONE.label), (TaskStatus.CANCELLED, TaskStatus.CANCELLED.label)],
        widget=forms.RadioSelect,
    )
    closing_note = forms.CharField(
        label=_("Closing note"),
        required=False,
        max_length=10000,
        widget=TEXTAREA,
        help_text=_("Required to cancel a task."),
    )


class OperationForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("Date and time"), widget=MOMENT, input_formats=MOMENT_FORMATS)
    place = forms.CharField(label=_("Place"), max_length=300)
    district = forms.CharField(
        label=_("District (UBIGEO)"),
        required=False,
        max_length=6,
        help_text=_("The district's six-digit UBIGEO code, e.g. 170101."),
    )
    units = UnitsField(
        label=_("Participating units"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    persons_rescued = forms.IntegerField(label=_("Persons rescued"), min_value=0, max_value=COUNT_MAX, initial=0)
    persons_arrested = forms.IntegerField(label=_("Persons arrested"), min_value=0, max_value=COUNT_MAX, initial=0)
    rescued_persons = ModelsField(
        label=_("Rescued persons of the case file"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    arrested_persons = ModelsField(
        label=_("Arrested persons of the case file"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    items_seized = forms.CharField(label=_("Items seized"), required=False, max_length=10000, widget=TEXTAREA)
    summary = forms.CharField(label=_("Summary"), required=False, max_length=10000, widget=TEXTAREA)

    def __init__(self, *args: Any, case_file: Any, person_labels: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units()
        persons = CasePerson.objects.filter(case_file=case_file).order_by("role", "added_at", "pk")
        for name in ("rescued_persons", "arrested_persons"):
            self.fields[name].queryset = persons
            self.fields[name].label_from_instance = lambda person: person_labels.get(person.pk, str(person.pk))

    def clean_district(self) -> District | None:
        code = (self.cleaned_data.get("district") or "").strip()
        if not code:
            return None
        district = District.objects.filter(code=code).first()
        if district is None:
            raise forms.ValidationError(_("No district has this UBIGEO code."))
        return district


class ExhibitForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=10000, widget=TEXTAREA)
    kind = forms.ChoiceField(label=_("Kind"), choices=ExhibitKind.choices)
    seized_on = forms.DateField(label=_("Seized on"), widget=DATE)
    operation = forms.ModelChoiceField(label=_("Seized in operation"), queryset=None, required=False)
    seized_from = forms.CharField(label=_("Seized from"), max_length=300, required=False)
    initial_holder = forms.CharField(label=_("First holder"), max_length=200)
    initial_holder_unit = UnitChoiceField(label=_("First holder's unit"), queryset=None, required=False)
    storage_place = forms.CharField(label=_("Storage place"), max_length=300, required=False)

    def __init__(self, *args: Any, case_file: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = Operation.objects.filter(case_file=case_file).order_by("number")
        self.fields["operation"].label_from_instance = lambda operation: (
            _("Operation %(number)s — %(place)s")
            % {
                "number": operation.number,
                "place": operation.place,
            }
        )
        self.fields["initial_holder_unit"].queryset = _units()


class TransferForm(forms.Form):
    from_holder = forms.CharField(label=_("Handed over by"), max_length=200)
    from_unit = UnitChoiceField(label=_("Unit handing over"), queryset=None, required=False)
    to_holder = forms.CharField(label=_("Received by"), max_length=200)
    to_unit = UnitChoiceField(label=_("Receiving unit"), queryset=None, required=False)
    handed_at = forms.DateTimeField(label=_("Handed over (date and time)"), widget=MOMENT, input_formats=MOMENT_FORMATS)
    reason = forms.CharField(label=_("Reason"), max_length=10000, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_unit"].queryset = _units()
        self.fields["to_unit"].queryset = _units()


class AttachDiligenceForm(forms.Form):
    diligence = forms.ModelChoiceField(label=_("Diligencia"), queryset=None)

    def __init__(self, *args: Any, diligences: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["diligence"].queryset = diligences
        self.fields["diligence"].label_from_instance = lambda diligence: (
            f"{diligence.complaint.number} — {diligence.sequence}. {diligence.get_kind_display()} "
            f"({diligence.date:%d/%m/%Y})"
        )


class JournalForm(forms.Form):
    entry_date = forms.DateField(label=_("Date of the fact"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=JournalKind.choices, initial=JournalKind.NOTE)
    person = forms.ModelChoiceField(
        label=_("Person making the statement"),
        queryset=None,
        required=False,
        help_text=_("For a statement: who made it."),
    )
    text = forms.CharField(label=_("Text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, case_file: Any, person_labels: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = CasePerson.objects.filter(case_file=case_file).order_by(
            "role", "added_at", "pk"
        )
        self.fields["person"].label_from_instance = lambda person: person_labels.get(person.pk, str(person.pk))

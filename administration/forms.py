"""Forms of the Administration module: sign-in, second factor, passwords, accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from administration.models import ExtraField, Role, Unit, User

INVALID_LOGIN = _("The user name or the password is not correct. Note that both fields may be case-sensitive.")


class LoginForm(AuthenticationForm):
    """One answer for an unknown user, a wrong password and a lapsed account (SECURITY.md 3)."""

    error_messages = {
        "invalid_login": INVALID_LOGIN,
        "inactive": INVALID_LOGIN,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        # AuthenticationForm sets max_length after the field is built, which adds no validator: a
        # 10,000-character name reached authenticate() and the lockout record (a 500 on MariaDB).
        # The validator runs on the NFKC form (UsernameField.to_python), as the account stores it.
        self.fields["username"].validators.append(MaxLengthValidator(self.fields["username"].max_length))
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Verification code"),
        min_length=6,
        max_length=8,
        help_text=_("The 6-digit code that your authenticator app shows now."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code has digits only."))
        return token


class PasswordFields(forms.Form):
    """Two password fields, checked against the validators of SECURITY.md 4."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; a phrase of several words is easy to remember."),
    )
    new_password2 = forms.CharField(
        label=_("Repeat the new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords do not match."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return data


class OwnPasswordChangeForm(PasswordFields):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError(_("The current password is not correct."))
        return old


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "document_number", "email", "unit", "role", "expires_on"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(actor).filter(is_active=True).order_by("path")
        self.fields["unit"].required = True
        self.fields["email"].required = True
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["role"].choices = [("", "---------"), *Role.choices]

    def clean_expires_on(self) -> Any:
        value = self.cleaned_data["expires_on"]
        if value and value < timezone.localdate() and not (self.instance.pk and value == self.instance.expires_on):
            raise forms.ValidationError(_("The expiry date cannot be in the past."))
        return value

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip().lower()
        clash = User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("That user name is already taken."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        unit: Unit | None = data.get("unit")
        role = data.get("role")
        if unit is not None and role:
            allowed = ROLE_UNIT_KINDS.get(role)
            if allowed is not None and unit.kind not in allowed:
                self.add_error("unit", _("That role cannot belong to a unit of this kind."))
        return data


# Which kinds of unit each role can belong to (a sanity check on account creation).
ROLE_UNIT_KINDS: dict[str, set[str]] = {
    Role.STATION_OFFICER: {Unit.Kind.STATION, Unit.Kind.TERRITORIAL_DIRECTORATE},
    Role.HOTLINE_OPERATOR: {Unit.Kind.HOTLINE},
    Role.REGIONAL_INVESTIGATOR: {Unit.Kind.REGIONAL_SPECIALISED, Unit.Kind.TERRITORIAL_DIRECTORATE},
    Role.NATIONAL_INVESTIGATOR: {Unit.Kind.NATIONAL_SPECIALISED, Unit.Kind.DIRECTORATE},
    Role.NATIONAL_ADMIN: {Unit.Kind.NATIONAL_SPECIALISED, Unit.Kind.DIRECTORATE},
    Role.MONITOR: {Unit.Kind.MONITORING, Unit.Kind.MINISTRY},
    Role.AUDITOR: {Unit.Kind.MINISTRY, Unit.Kind.MONITORING, Unit.Kind.POLICE, Unit.Kind.DIRECTORATE},
}


class UserCreateForm(UserForm, PasswordFields):
    class Meta(UserForm.Meta):
        pass

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        UserForm.__init__(self, *args, actor=actor, **kwargs)
        self.user = None
        self.fields["new_password1"].label = _("Temporary password")
        self.fields["new_password1"].help_text = _(
            "Give it to the officer in person; it must be changed at the first sign-in."
        )
        self.fields["new_password2"].label = _("Repeat the temporary password")

    def clean(self) -> dict[str, Any]:
        UserForm.clean(self)
        self.user = User(
            username=self.cleaned_data.get("username", ""),
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
            email=self.cleaned_data.get("email", ""),
        )
        return PasswordFields.clean(self)


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("User name, name or police ID."))
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All")), *Role.choices])
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))],
    )


class UserMoveForm(forms.Form):
    """An officer moves to another unit and hands her work to a named colleague of the unit she
    leaves (administration.services.user_move checks the rest, with a message per field)."""

    to_unit = forms.ModelChoiceField(label=_("New unit"), queryset=Unit.objects.none())
    moved_on = forms.DateField(
        label=_("Date of the move"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the yearly rotation, with the number of the order (resolución) if there is one."),
    )
    colleague = forms.ModelChoiceField(
        label=_("Colleague who receives the hand-over"),
        queryset=User.objects.none(),
        help_text=_("An active account of the unit the officer leaves: her drafts, tasks and case files pass to it."),
    )

    def __init__(self, *args: Any, actor: User, officer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.fields["moved_on"].initial = timezone.localdate()
        self.fields["to_unit"].queryset = Unit.objects.visible_to(actor).filter(is_active=True).order_by("path")
        # Any account the administrator sees is accepted here, so that a colleague of another unit
        # or an inactive one gets the service's clear message; the list offers the right ones only.
        colleague = self.fields["colleague"]
        colleague.queryset = User.objects.visible_to(actor).select_related("unit")
        offered = (
            User.objects.filter(unit_id=officer.unit_id, is_active=True, expires_on__gte=timezone.localdate())
            .exclude(pk=officer.pk)
            .order_by("last_name", "first_name", "username")
        )
        colleague.widget.choices = [("", "---------"), *((account.pk, str(account)) for account in offered)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        unit: Unit | None = data.get("to_unit")
        if unit is not None:
            allowed = ROLE_UNIT_KINDS.get(self.officer.role)
            if allowed is not None and unit.kind not in allowed:
                self.add_error("to_unit", _("That role cannot belong to a unit of this kind."))
        return data


# ---------------------------------------------------------------- editable catalogues


class CatalogueEntryForm(forms.Form):
    """Add an entry (every field) or edit one (the code is shown but cannot change: records store it)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_("Lower-case letters, digits and underscores. It never changes once saved."),
    )
    label_es = forms.CharField(label=_("Label in Spanish"), max_length=120)
    label_en = forms.CharField(label=_("Label in English"), max_length=120)
    order = forms.IntegerField(label=_("Order in the list"), min_value=0, max_value=100000, initial=0)
    active = forms.BooleanField(label=_("Offered in new forms"), required=False, initial=True)

    def __init__(self, *args: Any, entry: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": entry.code,
                    "label_es": entry.label_es,
                    "label_en": entry.label_en,
                    "order": entry.order,
                    "active": entry.active,
                },
            )
        super().__init__(*args, **kwargs)
        if entry is not None:
            self.fields["code"].disabled = True  # whatever is posted, the stored code is kept
            self.fields["code"].help_text = _("The code never changes: records store it.")
        else:
            del self.fields["active"]


class ExtraFieldForm(forms.Form):
    """Define a research variable (add: every field; edit: code and type shown, never changed)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_("Lower-case letters, digits and underscores. It never changes once saved."),
    )
    label_es = forms.CharField(label=_("Label in Spanish"), max_length=120)
    label_en = forms.CharField(label=_("Label in English"), max_length=120)
    target = forms.ChoiceField(label=_("Applies to"), choices=ExtraField.Target.choices)
    kind = forms.ChoiceField(label=_("Type"), choices=ExtraField.Kind.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    min_value = forms.DecimalField(label=_("Minimum (numbers)"), required=False, max_digits=14, decimal_places=4)
    max_value = forms.DecimalField(label=_("Maximum (numbers)"), required=False, max_digits=14, decimal_places=4)
    max_length = forms.IntegerField(label=_("Maximum length (texts)"), required=False, min_value=1, max_value=1000)
    choices = forms.CharField(
        label=_("Choices (lists)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: code | label in Spanish | label in English."),
    )
    valid_from = forms.DateField(
        label=_("On the forms from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    active = forms.BooleanField(label=_("On the forms"), required=False, initial=True)
    order = forms.IntegerField(label=_("Order in the list"), min_value=0, max_value=100000, initial=0)

    def __init__(self, *args: Any, variable: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        if variable is not None:
            initial = {name: getattr(variable, name) for name in self.base_fields if name != "choices"}
            initial["choices"] = "\n".join(" | ".join(row) for row in variable.choices)
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if variable is not None:
            self.fields["code"].disabled = True
            self.fields["kind"].disabled = True
            self.fields["target"].disabled = True

    def clean_choices(self) -> list[list[str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["choices"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not all(parts):
                raise forms.ValidationError(
                    _("Line {number}: write code | label in Spanish | label in English.").format(number=number)
                )
            rows.append(parts)
        return rows

"""Sign-in (password, then TOTP where required), passwords, accounts and the unit tree."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language
from django_otp.plugins.otp_totp.models import TOTPDevice

from administration import policies, services
from administration.access import get_visible_or_404, scope_label, scope_of
from administration.forms import (
    CatalogueEntryForm,
    ExtraFieldForm,
    LoginForm,
    OwnPasswordChangeForm,
    PasswordFields,
    TokenForm,
    UserCreateForm,
    UserFilterForm,
    UserForm,
    UserMoveForm,
)
from administration.handover import kind_label
from administration.models import Catalogue, CatalogueEntry, ExtraField, Unit, User
from administration.selectors import (
    access_user,
    account_at_second_step,
    accounts_for_review,
    handovers_about,
    handovers_received,
    review_reasons,
    users_visible_to,
)
from audit.events import AuditEventType
from audit.models import AuditEvent
from audit.selectors import audit_events_about
from audit.services import audit_record

PENDING_USER = "reta_pending_otp_user"
PENDING_BACKEND = "reta_pending_otp_backend"
PENDING_NEXT = "reta_pending_next"
PENDING_FAILURES = "reta_pending_otp_failures"
MAX_TOKEN_FAILURES = 5


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


# ---------------------------------------------------------------- sign-in


class LoginView(auth_views.LoginView):
    """Password step. Accounts with a second factor continue to `otp_verify` before the session
    is opened; the use notice is part of the template (SECURITY.md 6)."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        user = form.get_user()
        if user.requires_second_factor or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            self.request.session.cycle_key()
            self.request.session[PENDING_USER] = user.pk
            self.request.session[PENDING_BACKEND] = user.backend
            self.request.session[PENDING_NEXT] = self.get_success_url()
            self.request.session[PENDING_FAILURES] = 0
            return redirect("otp_verify")
        return super().form_valid(form)


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """What django-axes answers once a user name has failed 5 times in a row."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": True, "lockout_minutes": minutes},
        status=429,
    )


def _pending_user(request: HttpRequest) -> User | None:
    pk = request.session.get(PENDING_USER)
    if pk is None:
        return None
    return account_at_second_step(pk)


@login_not_required
@never_cache
@sensitive_post_parameters("token")
@csrf_protect
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step: a TOTP code. An administrator without a device enrols one here first."""
    user = _pending_user(request)
    if user is None:
        messages.warning(request, _("Please sign in again."))
        return redirect("login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="RETA", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            return _complete_sign_in(request, user, device, enrolling)
        failures = request.session.get(PENDING_FAILURES, 0) + 1
        request.session[PENDING_FAILURES] = failures
        audit_record(
            event=AuditEventType.OTP_FAILED,
            user_name=user.username,
            outcome=AuditEvent.Outcome.FAILURE,
            request=request,
        )
        if failures >= MAX_TOKEN_FAILURES:
            request.session.flush()
            messages.error(request, _("Too many wrong codes. Please sign in again."))
            return redirect("login")
        if allowed:
            form.add_error("token", _("The code is not correct or has expired. Try the current code."))
        else:  # django-otp doubles the wait after each wrong code
            form.add_error("token", _("Too many wrong codes in a row. Wait a few seconds and try again."))
    context: dict[str, Any] = {"form": form, "enrolling": enrolling, "pending_user": user}
    if enrolling:
        context.update(_enrolment_context(device))
    return render(request, "registration/otp_verify.html", context)


def _complete_sign_in(request: HttpRequest, user: User, device: TOTPDevice, enrolling: bool) -> HttpResponse:
    if enrolling:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            event=AuditEventType.OTP_ENROLLED, obj=user, actor=user, object_repr=user.username, request=request
        )
    user.backend = request.session[PENDING_BACKEND]
    user.otp_device = device  # django_otp.login runs with auth.login
    next_url = request.session.get(PENDING_NEXT)
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_NEXT, PENDING_FAILURES):
        request.session.pop(key, None)
    login(request, user)
    return HttpResponseRedirect(_safe_next(request, next_url))


def _enrolment_context(device: TOTPDevice) -> dict[str, Any]:
    secret = base64.b32encode(device.bin_key).decode("ascii")
    qr = segno.make(device.config_url, error="m")
    return {
        "otp_secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "otp_qr": qr.svg_data_uri(scale=4, border=2),
    }


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Ends the session on the server (SECURITY.md 5)."""
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("login")


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch, open to everyone (the login page has it too)."""
    return django_set_language(request)


# ---------------------------------------------------------------- own account


def _with_labels(handovers: Any) -> list[Any]:
    """Hand-overs with the label of each kind of item (administration.handover)."""
    rows = list(handovers)
    for handover in rows:
        handover.labelled_items = [{**item, "label": kind_label(item["kind"])} for item in handover.items]
    return rows


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {"scope": scope_label(request.user), "handovers_received": _with_labels(handovers_received(request.user))},
    )


def account(request: HttpRequest) -> HttpResponse:
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(
        request,
        "administration/account.html",
        {"scope": scope_label(request.user), "has_device": has_device},
    )


@sensitive_post_parameters()
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password; the session ends and the user signs in again."""
    form = OwnPasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_change_own_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        logout(request)
        messages.success(request, _("Your password was changed. Sign in with the new password."))
        return redirect("login")
    return render(request, "registration/password_change_form.html", {"form": form})


@sensitive_post_parameters("token")
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Any user may add a second factor to the account (SECURITY.md 7)."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        messages.info(request, _("Your account already uses a verification code."))
        return redirect("account")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name="RETA", confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(event=AuditEventType.OTP_ENROLLED, obj=request.user, object_repr=request.user.username)
            messages.success(request, _("From now on you will be asked for a code when you sign in."))
            return redirect("account")
        form.add_error("token", _("The code is not correct or has expired. Try the current code."))
    return render(request, "administration/otp_enrol.html", {"form": form, **_enrolment_context(device)})


class PasswordResetView(auth_views.PasswordResetView):
    """Always the same answer, whether or not the address belongs to an account."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        audit_record(event=AuditEventType.PASSWORD_RESET_BY_EMAIL, obj=user, actor=user, object_repr=user.username)
        return response


# ---------------------------------------------------------------- accounts (national administrators)


@policies.require(policies.can_manage_users)
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    users = users_visible_to(request.user).order_by("username")
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            users = users.filter(
                Q(username__icontains=q)
                | Q(first_name__icontains=q)
                | Q(last_name__icontains=q)
                | Q(document_number__icontains=q)
            )
        if form.cleaned_data["role"]:
            users = users.filter(role=form.cleaned_data["role"])
        if form.cleaned_data["active"]:
            users = users.filter(is_active=form.cleaned_data["active"] == "1")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "administration/user_list.html", {"form": form, "page": page})


def _access_user(request: HttpRequest, pk: int) -> User:
    return access_user(request.user, pk)


@policies.require(policies.can_manage_users)
@sensitive_post_parameters()
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            actor=request.user,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            unit=data["unit"],
            role=data["role"],
            expires_on=data["expires_on"],
            document_number=data["document_number"],
            password=data["new_password1"],
        )
        messages.success(request, _("The account {username} was created.").format(username=user.username))
        return redirect("administration:user_detail", pk=user.pk)
    return render(request, "administration/user_form.html", {"form": form, "creating": True})


@policies.require(policies.can_manage_users)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _access_user(request, pk)
    events = audit_events_about(request.user, user)[:20]
    from axes.models import AccessAttempt

    locked = AccessAttempt.objects.filter(
        username=user.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()
    history = user.history.select_related("history_user").order_by("-history_date")[:20]
    handovers = _with_labels(handovers_about(request.user, user))
    return render(
        request,
        "administration/user_detail.html",
        {"account": user, "events": events, "locked": locked, "history": history, "handovers": handovers},
    )


@policies.require(policies.can_manage_users)
def user_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an officer to another unit, with the hand-over of her work to a named colleague."""
    officer = _access_user(request, pk)
    form = UserMoveForm(request.POST or None, actor=request.user, officer=officer)
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.user_move(
                actor=request.user,
                officer=officer,
                to_unit=form.cleaned_data["to_unit"],
                colleague=form.cleaned_data["colleague"],
                moved_on=form.cleaned_data["moved_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                for message in messages_:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("{officer} now belongs to {unit}; {count} items were handed over to {colleague}.").format(
                    officer=officer.username,
                    unit=handover.to_unit.name,
                    count=handover.total,
                    colleague=handover.colleague.username,
                ),
            )
            return redirect("administration:user_detail", pk=officer.pk)
    return render(request, "administration/user_move.html", {"form": form, "account": officer})


@policies.require(policies.can_manage_users)
@require_GET
def account_review(request: HttpRequest) -> HttpResponse:
    """The yearly review: accounts not used or not reviewed for a year, expired or expiring."""
    today = timezone.localdate()
    accounts = list(accounts_for_review(scope=scope_of(request.user), today=today))
    for account_ in accounts:
        account_.reasons = review_reasons(account_, today=today)
    return render(request, "administration/account_review.html", {"accounts": accounts})


@policies.require(policies.can_manage_users)
@require_POST
def user_mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    user = _access_user(request, pk)
    services.user_mark_reviewed(actor=request.user, user=user)
    messages.success(request, _("The account {username} was marked as reviewed.").format(username=user.username))
    return redirect("administration:account_review")


@policies.require(policies.can_manage_users)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _access_user(request, pk)
    form = UserForm(request.POST or None, instance=access_user(request.user, user.pk), actor=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data if field != "username"}
        if "username" in form.changed_data:
            form.add_error("username", _("The user name of an account cannot change."))
        else:
            services.user_update(actor=request.user, user=user, **changes)
            messages.success(request, _("The account was updated."))
            return redirect("administration:user_detail", pk=user.pk)
    return render(request, "administration/user_form.html", {"form": form, "account": user, "creating": False})


@policies.require(policies.can_manage_users)
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _access_user(request, pk)
    active = request.POST.get("active") == "1"
    if user.pk == request.user.pk and not active:
        messages.error(request, _("You cannot deactivate your own account."))
    else:
        services.user_set_active(actor=request.user, user=user, active=active)
        messages.success(request, _("The account was activated.") if active else _("The account was deactivated."))
    return redirect("administration:user_detail", pk=user.pk)


@policies.require(policies.can_manage_users)
@sensitive_post_parameters()
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = _access_user(request, pk)
    form = PasswordFields(request.POST or None, user=user)
    form.fields["new_password1"].label = _("Temporary password")
    form.fields["new_password2"].label = _("Repeat the temporary password")
    if request.method == "POST" and form.is_valid():
        services.user_reset_password(
            actor=request.user, user=user, temporary_password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("The temporary password was set. The officer must change it at sign-in."))
        return redirect("administration:user_detail", pk=user.pk)
    return render(request, "administration/user_password.html", {"form": form, "account": user})


@policies.require(policies.can_manage_users)
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = _access_user(request, pk)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, _("The account was unlocked."))
    return redirect("administration:user_detail", pk=user.pk)


# ---------------------------------------------------------------- unit tree


@policies.require(policies.can_view_units)
def unit_list(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.visible_to(request.user).select_related("district", "parent").order_by("path")
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    for unit in page:
        unit.depth = unit.path.count("/") - 1
    return render(
        request,
        "administration/unit_list.html",
        {"page": page, "q": q, "can_manage_units": policies.can_manage_units(request.user)},
    )


@policies.require(policies.can_view_units)
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(Unit, request.user, pk=pk)
    children = unit.children.order_by("code").annotate(user_count=Count("users"))
    jurisdiction = unit.jurisdiction.order_by("code")
    users = None
    if policies.can_manage_users(request.user):
        users = unit.users.order_by("username")
    return render(
        request,
        "administration/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "jurisdiction": jurisdiction,
            "users": users,
            "can_manage_units": policies.can_manage_units(request.user),
            "is_directorate": unit.kind in Unit.DIRECTORATE_KINDS,
            "placements": unit.placements.select_related("directorate").order_by("valid_from"),
            "jurisdictions": unit.jurisdictions.select_related("department", "province", "district").order_by(
                "department", "valid_from"
            ),
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


# ---------------------------------------------------------------- editable catalogues


def _one(model: Any, pk: int) -> Any:
    """A catalogue entry or a research variable (reference data, not scoped), or 404."""
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _catalogue_or_404(catalogue: str) -> str:
    if catalogue not in Catalogue.values:
        raise Http404
    return catalogue


@policies.require(policies.can_manage_catalogues)
@require_GET
def catalogue_list(request: HttpRequest) -> HttpResponse:
    counts = dict(CatalogueEntry.objects.values_list("catalogue").annotate(n=Count("pk")).values_list("catalogue", "n"))
    catalogues = [(value, label, counts.get(value, 0)) for value, label in Catalogue.choices]
    return render(request, "administration/catalogue_list.html", {"catalogues": catalogues})


@policies.require(policies.can_manage_catalogues)
@require_GET
def catalogue_detail(request: HttpRequest, catalogue: str) -> HttpResponse:
    catalogue = _catalogue_or_404(catalogue)
    entries = CatalogueEntry.objects.filter(catalogue=catalogue).order_by("order", "code")
    return render(
        request,
        "administration/catalogue_detail.html",
        {"catalogue": catalogue, "title": Catalogue(catalogue).label, "entries": entries},
    )


def _form_errors(form: Any, error: services.CatalogueError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@policies.require(policies.can_manage_catalogues)
def catalogue_entry_add(request: HttpRequest, catalogue: str) -> HttpResponse:
    catalogue = _catalogue_or_404(catalogue)
    form = CatalogueEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.catalogue_entry_add(
                actor=request.user,
                catalogue=catalogue,
                code=data["code"],
                label_es=data["label_es"],
                label_en=data["label_en"],
                order=data["order"],
            )
        except services.CatalogueError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The entry was added to the catalogue."))
            return redirect("administration:catalogue_detail", catalogue=catalogue)
    return render(
        request,
        "administration/catalogue_entry_form.html",
        {"form": form, "catalogue": catalogue, "title": Catalogue(catalogue).label, "entry": None},
    )


@policies.require(policies.can_manage_catalogues)
def catalogue_entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _one(CatalogueEntry, pk)
    form = CatalogueEntryForm(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.catalogue_entry_update(
                actor=request.user,
                entry=entry,
                label_es=data["label_es"],
                label_en=data["label_en"],
                order=data["order"],
                active=data["active"],
            )
        except services.CatalogueError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The catalogue entry was saved."))
            return redirect("administration:catalogue_detail", catalogue=entry.catalogue)
    return render(
        request,
        "administration/catalogue_entry_form.html",
        {"form": form, "catalogue": entry.catalogue, "title": Catalogue(entry.catalogue).label, "entry": entry},
    )


# ---------------------------------------------------------------- research variables


def _extra_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.get(name) for name in services.EXTRA_SETTINGS}


@policies.require(policies.can_manage_catalogues)
@require_GET
def extra_field_list(request: HttpRequest) -> HttpResponse:
    variables = ExtraField.objects.order_by("target", "order", "code")
    return render(request, "administration/extra_field_list.html", {"variables": variables})


@policies.require(policies.can_manage_catalogues)
def extra_field_add(request: HttpRequest) -> HttpResponse:
    form = ExtraFieldForm(request.POST or None, initial={"valid_from": timezone.localdate(), "active": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.extra_field_add(
                actor=request.user,
                code=data["code"],
                kind=data["kind"],
                target=data["target"],
                valid_from=data["valid_from"],
                order=data["order"],
                **_extra_values(data),
            )
        except services.CatalogueError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The research variable was added."))
            return redirect("administration:extra_field_list")
    return render(request, "administration/extra_field_form.html", {"form": form, "variable": None})


@policies.require(policies.can_manage_catalogues)
def extra_field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    variable = _one(ExtraField, pk)
    form = ExtraFieldForm(request.POST or None, variable=variable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.extra_field_update(
                actor=request.user,
                variable=variable,
                valid_from=data["valid_from"],
                active=data["active"],
                order=data["order"],
                **_extra_values(data),
            )
        except services.CatalogueError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The research variable was saved."))
            return redirect("administration:extra_field_list")
    return render(request, "administration/extra_field_form.html", {"form": form, "variable": variable})

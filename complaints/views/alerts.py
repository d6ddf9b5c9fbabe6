"""Views of the Reporting module (alerts): the inbox of the user's unit and the acknowledgement.

Only for `policies.can_view_alerts` (investigators and administrators; others 403). The inbox shows
the alerts raised to the user's own unit (`selectors.alert_inbox`), unacknowledged first, high
priority first among them, each marked when it is past its deadline ("Vencida") and linked to the
alert it escalated from or to (complaints.alerts, `manage.py escalate_alerts`); an alert of another
unit is 404 (`selectors.access_alert`). The number of unacknowledged alerts is also shown on every
page, in the navigation bar (`reta.context_processors.navigation`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from complaints import classification_text, policies
from complaints.alerts import describe
from complaints.rules.codes import HIGH
from complaints.selectors import access_alert, alert_inbox, alerts_for
from complaints.services import NotAllowedError, alert_acknowledge

PAGE_SIZE = 50
UNREAD = Q(acknowledged_at__isnull=True)


def _complaint_url(complaint_pk: int) -> str:
    return reverse("complaints:complaint_detail", kwargs={"pk": complaint_pk})


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    if not policies.can_view_alerts(request.user):
        raise PermissionDenied
    alerts = alert_inbox(request.user)
    counts = alerts_for(request.user).aggregate(
        unread=Count("pk", filter=UNREAD), unread_high=Count("pk", filter=UNREAD & Q(priority=HIGH))
    )
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    describe(page.object_list)  # overdue, and why the unit was alerted (complaints.alerts)
    for alert in page:
        alert.outcome_label = classification_text.outcome_label(alert.outcome)
        alert.complaint_url = _complaint_url(alert.complaint_id)
        who = alert.acknowledged_by
        alert.acknowledger = (who.get_full_name() or who.get_username()) if who is not None else "—"
        alert.can_acknowledge = alert.acknowledged_at is None and policies.can_acknowledge_alert(request.user, alert)
    return render(
        request,
        "complaints/alert_list.html",
        {"page": page, "unread": counts["unread"], "unread_high": counts["unread_high"], "unit": request.user.unit},
    )


@require_POST
def alert_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not policies.can_view_alerts(request.user):
        raise PermissionDenied
    alert = access_alert(request.user, pk)
    try:
        alert = alert_acknowledge(actor=request.user, alert=alert)
    except NotAllowedError as error:
        raise PermissionDenied(error.message) from error
    messages.success(
        request, _("You acknowledged the alert of complaint {number}.").format(number=alert.complaint.number)
    )
    url = reverse("complaints:alert_list")
    page = request.POST.get("page", "")
    return redirect(f"{url}?{urlencode({'page': page})}" if page.isdigit() and page != "1" else url)


urlpatterns: list = [
    path("alertas/", alert_list, name="alert_list"),
    path("alertas/<int:pk>/recibido/", alert_acknowledge_view, name="alert_acknowledge"),
]

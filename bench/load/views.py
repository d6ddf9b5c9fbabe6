"""The yardstick of the load test: the cheapest write a signed-in user can make through the same
stack (gunicorn, every middleware of the product: session, CSRF, authentication, OTP, session
limits, audit context, axes). GET answers a small form with its CSRF token; POST inserts ONE row
into ``load_bare_row`` (a table bench/load/run.py creates, outside the product's migrations) in
one transaction and answers 302 to the form, as a form view does after saving."""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_http_methods

TABLE = "load_bare_row"
CREATE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
    "user_id BIGINT NOT NULL, created_at DATETIME(6) NOT NULL, text VARCHAR(200) NOT NULL) "
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
)


@require_http_methods(["GET", "POST"])
def bare_insert(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        text = request.POST.get("text", "")[:200]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (user_id, created_at, text) VALUES (%s, %s, %s)",  # noqa: S608
                [request.user.pk, timezone.now(), text],
            )
        return redirect("load_bare_insert")
    token = escape(get_token(request))
    return HttpResponse(
        '<!doctype html><form method="post">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<input name="text"><button>Guardar</button></form>'
    )

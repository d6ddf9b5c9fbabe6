"""The HTCDS export, included by reta.urls under /denuncias/estadisticas/htcds/ (before the
statistics' own URLs, whose `<slug:name>/` would take it)."""

from django.urls import path

from htcds import views

app_name = "htcds"

urlpatterns = [
    path("", views.export_page, name="export"),
    path("descargar.<slug:fmt>", views.download, name="download"),
]

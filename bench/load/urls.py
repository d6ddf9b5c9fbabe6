"""The product's URLs plus the bare insert view of the load test (bench.load.views); mounted only
by bench.load.settings."""

from django.urls import include, path

from bench.load import views

urlpatterns = [
    path("__load__/insertar/", views.bare_insert, name="load_bare_insert"),
    path("", include("reta.urls")),
]

handler403 = "reta.views.permission_denied"
handler404 = "reta.views.page_not_found"
handler500 = "reta.views.server_error"

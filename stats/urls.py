"""The statistics screens, included by reta.urls under /denuncias/estadisticas/ (the paths they
had inside the complaints module)."""

from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("cruce/", views.crosstab_view, name="crosstab"),
    path("cruce/exportar.<slug:fmt>", views.crosstab_export, name="crosstab_export"),
    path("<slug:name>/", views.table_view, name="table"),
    path("<slug:name>/exportar.<slug:fmt>", views.table_export, name="table_export"),
]

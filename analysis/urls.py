"""URLs of cross-case analysis, under /analisis/ (included by reta/urls.py)."""

from django.urls import path

from analysis import decision_views

app_name = "analysis"

urlpatterns: list = [
    # Decisions, merges and seen elsewhere (issue 12, items 2 and 3)
    path("", decision_views.candidates, name="candidates"),
    path("candidatos/<int:a>/<int:b>/", decision_views.candidate, name="candidate"),
    path("identidades/<int:pk>/", decision_views.identity, name="identity"),
    path("fusiones/<int:pk>/deshacer/", decision_views.merge_undo, name="merge_undo"),
]

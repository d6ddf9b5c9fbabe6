"""URLs of cross-case analysis, under /analisis/ (included by reta/urls.py)."""

from django.urls import path

from analysis import decision_views, network_views

app_name = "analysis"

urlpatterns: list = [
    # Decisions, merges and seen elsewhere (issue 12, items 2 and 3)
    path("", decision_views.candidates, name="candidates"),
    path("candidatos/<int:a>/<int:b>/", decision_views.candidate, name="candidate"),
    path("identidades/<int:pk>/", decision_views.identity, name="identity"),
    path("fusiones/<int:pk>/deshacer/", decision_views.merge_undo, name="merge_undo"),
    # Network, routes and exports (issue 12, items 4 and 5)
    path("red/", network_views.network, name="network"),
    path("red/exportar.graphml", network_views.network_graphml, name="network_graphml"),
    path("red/nodos.csv", network_views.network_nodes_csv, name="network_nodes_csv"),
    path("red/enlaces.csv", network_views.network_links_csv, name="network_links_csv"),
    path("red/i2.csv", network_views.network_i2_csv, name="network_i2_csv"),
    path("rutas/", network_views.routes, name="routes"),
]

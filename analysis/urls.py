"""URLs of cross-case analysis, under /analisis/ (included by reta/urls.py)."""

from django.urls import path

from analysis import network_views

app_name = "analysis"

urlpatterns: list = []

# Network, routes and exports (issue 12, items 4 and 5)
urlpatterns += [
    path("red/", network_views.network, name="network"),
    path("red/exportar.graphml", network_views.network_graphml, name="network_graphml"),
    path("red/nodos.csv", network_views.network_nodes_csv, name="network_nodes_csv"),
    path("red/enlaces.csv", network_views.network_links_csv, name="network_links_csv"),
    path("red/i2.csv", network_views.network_i2_csv, name="network_i2_csv"),
    path("rutas/", network_views.routes, name="routes"),
]

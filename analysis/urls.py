"""URLs of cross-case analysis, under /analisis/ (included by reta/urls.py)."""

app_name = "analysis"

urlpatterns: list = []

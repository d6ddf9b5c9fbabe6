"""Views of the Reporting module, one module per screen group; each exports its `urlpatterns`."""

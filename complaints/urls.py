from complaints.views import alerts, amend, diligences, form, lists, statistics

app_name = "complaints"

urlpatterns = [
    *form.urlpatterns,
    *lists.urlpatterns,
    *alerts.urlpatterns,
    *amend.urlpatterns,
    *statistics.urlpatterns,
    *diligences.urlpatterns,
]

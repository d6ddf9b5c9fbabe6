from complaints.views import alerts, amend, diligences, form, lists, paper, statistics

app_name = "complaints"

urlpatterns = [
    *form.urlpatterns,
    *lists.urlpatterns,
    *alerts.urlpatterns,
    *amend.urlpatterns,
    *statistics.urlpatterns,
    *paper.urlpatterns,
    *diligences.urlpatterns,
]

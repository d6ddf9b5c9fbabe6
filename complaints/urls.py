from complaints.views import alerts, amend, diligences, form, lists, paper

app_name = "complaints"

urlpatterns = [
    *form.urlpatterns,
    *lists.urlpatterns,
    *alerts.urlpatterns,
    *amend.urlpatterns,
    *paper.urlpatterns,
    *diligences.urlpatterns,
]

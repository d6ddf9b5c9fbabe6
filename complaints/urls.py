from complaints.views import alerts, amend, form, lists

app_name = "complaints"

urlpatterns = [
    *form.urlpatterns,
    *lists.urlpatterns,
    *alerts.urlpatterns,
    *amend.urlpatterns,
]

"""URLs of the Investigation module, under /carpetas/ (included by reta/urls.py)."""

from django.urls import path

from investigations.views import case_files as views

app_name = "investigations"

urlpatterns = [
    path("", views.case_file_list, name="case_file_list"),
    path("nueva/", views.case_file_open, name="case_file_open"),
    path("<int:pk>/", views.case_file_detail, name="case_file_detail"),
    path("<int:pk>/estado/", views.case_file_status, name="case_file_status"),
    path("<int:pk>/asignar/", views.case_file_assign, name="case_file_assign"),
    path("<int:pk>/asignaciones/<int:assignment_pk>/terminar/", views.case_file_unassign, name="case_file_unassign"),
    path("<int:pk>/compartir/", views.case_file_share, name="case_file_share"),
    path(
        "<int:pk>/comparticiones/<int:share_pk>/revocar/", views.case_file_revoke_share, name="case_file_revoke_share"
    ),
    path("<int:pk>/personas/de-denuncias/", views.case_file_persons_from_complaints, name="case_file_persons_add"),
]

# Charts and history of a case file (issue 11, items 6 and 9)
from investigations.views import charts as chart_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/graficos/", chart_views.case_charts, name="case_charts"),
    path("<int:pk>/historial/", chart_views.case_history_view, name="case_history"),
    path("<int:pk>/personas/<int:person_pk>/historial/", chart_views.case_person_history, name="case_person_history"),
]

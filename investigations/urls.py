"""URLs of the Investigation module, under /carpetas/ (included by reta/urls.py)."""

from django.urls import path

from investigations.views import case_files as views
from investigations.views import work as work_views

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
    # Investigation work (issue 11 item 4)
    path("<int:pk>/trabajo/", work_views.case_work, name="case_work"),
    path("<int:pk>/trabajo/tareas/nueva/", work_views.case_task_add, name="case_task_add"),
    path("<int:pk>/trabajo/tareas/<int:task_pk>/cerrar/", work_views.case_task_close, name="case_task_close"),
    path("<int:pk>/trabajo/operativos/nuevo/", work_views.case_operation_add, name="case_operation_add"),
    path("<int:pk>/evidencias/nueva/", work_views.case_exhibit_add, name="case_exhibit_add"),
    path("<int:pk>/evidencias/<int:exhibit_pk>/", work_views.case_exhibit_detail, name="case_exhibit_detail"),
    path(
        "<int:pk>/evidencias/<int:exhibit_pk>/entregar/",
        work_views.case_custody_transfer,
        name="case_custody_transfer",
    ),
    path("<int:pk>/trabajo/diligencias/adjuntar/", work_views.case_diligence_attach, name="case_diligence_attach"),
    path("<int:pk>/trabajo/diario/nueva/", work_views.case_journal_add, name="case_journal_add"),
    path("<int:pk>/trabajo/diario/<int:entry_pk>/corregir/", work_views.case_journal_add, name="case_journal_correct"),
]

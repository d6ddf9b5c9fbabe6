"""URLs of the Investigation module, under /carpetas/ (included by reta/urls.py)."""

from django.urls import path

from investigations.views import case_files as views
from investigations.views import report as report_views

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
    # Proof matrix, police report and completeness (issue 11, items 5, 7, 8)
    path("completitud/", report_views.case_completeness, name="case_completeness"),
    path("<int:pk>/prueba/", report_views.case_proof, name="case_proof"),
    path("<int:pk>/prueba/<int:link_pk>/retirar/", report_views.case_proof_withdraw, name="case_proof_withdraw"),
    path("<int:pk>/informe/", report_views.case_report, name="case_report"),
    path("<int:pk>/informe/conclusiones/", report_views.case_report_conclusions, name="case_report_conclusions"),
    path("<int:pk>/informe/generar/", report_views.case_report_generate, name="case_report_generate"),
    path(
        "<int:pk>/informe/<int:report_pk>/transmitir/", report_views.case_report_transmit, name="case_report_transmit"
    ),
    path("<int:pk>/informe/<int:report_pk>/informe.pdf", report_views.case_report_pdf, name="case_report_pdf"),
    path("<int:pk>/informe/<int:report_pk>/paquete.zip", report_views.case_report_package, name="case_report_package"),
]

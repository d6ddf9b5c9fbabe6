"""URLs of the Investigation module, under /carpetas/ (included by reta/urls.py)."""

from django.urls import path

from investigations.views import case_files as views
from investigations.views import persons as person_views
from investigations.views import report as report_views
from investigations.views import things as things_views
from investigations.views import work as work_views

app_name = "investigations"

urlpatterns = [
    path("", views.case_file_list, name="case_file_list"),
    path("nueva/", views.case_file_open, name="case_file_open"),
    path("<int:pk>/", views.case_file_detail, name="case_file_detail"),
    path("<int:pk>/estado/", views.case_file_status, name="case_file_status"),
    path("<int:pk>/variables/", views.case_file_variables, name="case_file_variables"),
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
    # Places and things, and the route (issue 11, items 3 and 6)
    path("<int:pk>/lugares-y-cosas/", things_views.case_things, name="case_things"),
    path("<int:pk>/lugares-y-cosas/<str:kind>/nuevo/", things_views.case_thing_add, name="case_thing_add"),
    path("<int:pk>/lugares-y-cosas/<str:kind>/<int:thing_pk>/", things_views.case_thing_edit, name="case_thing_edit"),
    path(
        "<int:pk>/lugares-y-cosas/<str:kind>/<int:thing_pk>/quitar/",
        things_views.case_thing_remove,
        name="case_thing_remove",
    ),
    path("<int:pk>/ruta/", things_views.case_route, name="case_route"),
    path("<int:pk>/ruta/tramos/nuevo/", things_views.route_leg_add, name="route_leg_add"),
    path("<int:pk>/ruta/tramos/<int:leg_pk>/", things_views.route_leg_edit, name="route_leg_edit"),
    path("<int:pk>/ruta/tramos/<int:leg_pk>/mover/", things_views.route_leg_move, name="route_leg_move"),
    path("<int:pk>/ruta/tramos/<int:leg_pk>/quitar/", things_views.route_leg_remove, name="route_leg_remove"),
    # Persons in a case file (issue 11 item 2)
    path("<int:pk>/personas/", person_views.case_person_list, name="case_person_list"),
    path("<int:pk>/personas/nueva/", person_views.case_person_add, name="case_person_add"),
    path("<int:pk>/personas/<int:person_pk>/", person_views.case_person_detail, name="case_person_detail"),
    path("<int:pk>/personas/<int:person_pk>/editar/", person_views.case_person_edit, name="case_person_edit"),
    path(
        "<int:pk>/personas/<int:person_pk>/agregar/<slug:kind>/",
        person_views.case_person_fact_add,
        name="case_person_fact_add",
    ),
    path(
        "<int:pk>/personas/<int:person_pk>/cerrar/<slug:kind>/<int:fact_pk>/",
        person_views.case_person_fact_close,
        name="case_person_fact_close",
    ),
    path(
        "<int:pk>/personas/<int:person_pk>/imagenes/nueva/",
        person_views.case_person_image_add,
        name="case_person_image_add",
    ),
    path(
        "<int:pk>/personas/<int:person_pk>/imagenes/<int:image_pk>/",
        person_views.case_person_image,
        name="case_person_image",
    ),
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

# Charts and history of a case file (issue 11, items 6 and 9)
from investigations.views import charts as chart_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/graficos/", chart_views.case_charts, name="case_charts"),
    path("<int:pk>/historial/", chart_views.case_history_view, name="case_history"),
    path("<int:pk>/personas/<int:person_pk>/historial/", chart_views.case_person_history, name="case_person_history"),
]

# Compliance monitoring for the Permanent Secretariat (issue 13, item 5)
from investigations.views import compliance as compliance_views  # noqa: E402

urlpatterns += [
    path("cumplimiento/", compliance_views.compliance_view, name="compliance"),
    path("cumplimiento/exportar.<slug:fmt>", compliance_views.compliance_export, name="compliance_export"),
]

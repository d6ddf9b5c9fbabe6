"""URLs of the Investigation module, under /carpetas/ (included by reta/urls.py)."""

from django.urls import path

from investigations.views import case_files as views
from investigations.views import persons as person_views

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
]

"""URLs of the preliminary investigation register, under /denuncias/<complaint id>/diligencias/
(included at "denuncias/" by reta/urls.py, as before the register had its own app)."""

from django.urls import path

from diligences import views

app_name = "diligences"

urlpatterns = [
    path("<int:pk>/diligencias/", views.diligence_list, name="diligence_list"),
    path("<int:pk>/diligencias/nueva/", views.diligence_create, name="diligence_create"),
    path("<int:pk>/diligencias/<int:diligence_pk>/corregir/", views.diligence_correct, name="diligence_correct"),
    path(
        "<int:pk>/diligencias/<int:diligence_pk>/respuestas/nueva/",
        views.diligence_answer_create,
        name="diligence_answer_create",
    ),
    path(
        "<int:pk>/diligencias/respuestas/<int:answer_pk>/corregir/",
        views.diligence_answer_correct,
        name="diligence_answer_correct",
    ),
    path(
        "<int:pk>/diligencias/respuestas/<int:answer_pk>/escaneo/",
        views.diligence_answer_scan,
        name="diligence_answer_scan",
    ),
    path(
        "<int:pk>/diligencias/documentos/<slug:kind>/nuevo/",
        views.diligence_document_create,
        name="diligence_document_create",
    ),
    path(
        "<int:pk>/diligencias/documentos/<int:document_pk>/pdf/",
        views.diligence_document_download,
        name="diligence_document_download",
    ),
]

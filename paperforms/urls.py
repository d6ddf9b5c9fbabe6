"""URLs of the paper forms. The paths are full (included at the root by reta/urls.py) because the
app serves two places of the site: the register under /administracion/formularios/ and the
filled complaint under /denuncias/<id>/pdf/."""

from django.urls import path

from paperforms import views

app_name = "paperforms"

urlpatterns = [
    path("administracion/formularios/", views.paperform_list, name="paperform_list"),
    path("administracion/formularios/emitir/", views.paperform_issue, name="paperform_issue"),
    path("administracion/formularios/<int:pk>/", views.paperform_detail, name="paperform_detail"),
    path("administracion/formularios/<int:pk>/pdf/", views.paperform_pdf, name="paperform_pdf"),
    path("administracion/formularios/serie/<str:serial>/pdf/", views.paperform_serial_pdf, name="paperform_serial_pdf"),
    path("denuncias/<int:pk>/pdf/", views.complaint_pdf, name="complaint_pdf"),
    path("denuncias/<int:pk>/constancia.pdf", views.complainant_copy_pdf, name="complainant_copy_pdf"),
]

from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("usuario/<str:user_name>/", views.user_trail, name="user_trail"),
    path("registro/<str:object_type>/<str:object_id>/", views.object_trail, name="object_trail"),
    path("exportar.csv", views.event_export, name="event_export"),
    path("informe.pdf", views.event_report_pdf, name="event_report_pdf"),
]

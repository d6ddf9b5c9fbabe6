from django.urls import path

from administration import tree_views, views

app_name = "administration"

urlpatterns = [
    path("usuarios/", views.user_list, name="user_list"),
    path("usuarios/nuevo/", views.user_create, name="user_create"),
    path("usuarios/<int:pk>/", views.user_detail, name="user_detail"),
    path("usuarios/<int:pk>/editar/", views.user_edit, name="user_edit"),
    path("usuarios/<int:pk>/estado/", views.user_set_active, name="user_set_active"),
    path("usuarios/<int:pk>/contrasena/", views.user_reset_password, name="user_reset_password"),
    path("usuarios/<int:pk>/desbloquear/", views.user_unlock, name="user_unlock"),
    path("usuarios/<int:pk>/trasladar/", views.user_move, name="user_move"),
    path("usuarios/<int:pk>/revisada/", views.user_mark_reviewed, name="user_mark_reviewed"),
    path("usuarios/revision-anual/", views.account_review, name="account_review"),
    path("unidades/", views.unit_list, name="unit_list"),
    path("unidades/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("unidades/nueva/", tree_views.unit_create, name="unit_create"),
    path("unidades/cargar-comisarias/", tree_views.stations_load, name="stations_load"),
    path("unidades/<int:pk>/renombrar/", tree_views.unit_rename, name="unit_rename"),
    path("unidades/<int:pk>/mover/", tree_views.unit_move, name="unit_move"),
    path("unidades/<int:pk>/fusionar/", tree_views.unit_merge, name="unit_merge"),
    path("unidades/<int:pk>/dividir/", tree_views.directorate_split, name="directorate_split"),
    path("catalogos/", views.catalogue_list, name="catalogue_list"),
    path("catalogos/<slug:catalogue>/", views.catalogue_detail, name="catalogue_detail"),
    path("catalogos/<slug:catalogue>/nuevo/", views.catalogue_entry_add, name="catalogue_entry_add"),
    path("catalogos/entrada/<int:pk>/", views.catalogue_entry_edit, name="catalogue_entry_edit"),
    path("variables/", views.extra_field_list, name="extra_field_list"),
    path("variables/nueva/", views.extra_field_add, name="extra_field_add"),
    path("variables/<int:pk>/", views.extra_field_edit, name="extra_field_edit"),
]

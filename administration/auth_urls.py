"""Sign-in, sign-out, passwords and one's own account (names without a namespace, as Django's
auth expects: `login`, `logout`, `password_change`, ...)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from administration import views

urlpatterns = [
    path("", views.home, name="home"),
    path("acceso/", views.LoginView.as_view(), name="login"),
    path("acceso/verificacion/", views.otp_verify, name="otp_verify"),
    path("salir/", views.logout_view, name="logout"),
    path("idioma/", views.set_language, name="set_language"),
    path("cuenta/", views.account, name="account"),
    path("cuenta/contrasena/", views.password_change, name="password_change"),
    path("cuenta/verificacion/", views.otp_enrol, name="otp_enrol"),
    path("acceso/recuperar/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "acceso/recuperar/enviado/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("acceso/recuperar/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "acceso/recuperar/listo/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]

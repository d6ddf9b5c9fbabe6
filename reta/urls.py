"""RETA URL configuration. Every URL requires a signed-in user (LoginRequiredMiddleware) except
the sign-in, password-reset and language views, which are marked `login_not_required`."""

from django.urls import include, path

urlpatterns = [
    path("", include("administration.auth_urls")),
    path("administracion/", include("administration.urls")),
    path("auditoria/", include("audit.urls")),
    path("denuncias/estadisticas/htcds/", include("htcds.urls")),
    path("denuncias/estadisticas/", include("stats.urls")),
    path("denuncias/", include("complaints.urls")),
    path("denuncias/", include("diligences.urls")),
    path("carpetas/", include("investigations.urls")),
    path("analisis/", include("analysis.urls")),
    path("", include("paperforms.urls")),
]

handler403 = "reta.views.permission_denied"
handler404 = "reta.views.page_not_found"
handler500 = "reta.views.server_error"

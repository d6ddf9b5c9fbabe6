from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        # Django's and django-axes' authentication signals are the only way to see logins,
        # failed logins and lockouts: the receivers only write audit events (no business logic).
        from audit import receivers  # noqa: F401

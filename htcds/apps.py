from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HtcdsConfig(AppConfig):
    name = "htcds"
    verbose_name = _("HTCDS data standard export")

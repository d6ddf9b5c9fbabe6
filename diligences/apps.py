from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiligencesConfig(AppConfig):
    name = "diligences"
    verbose_name = _("Preliminary investigation")

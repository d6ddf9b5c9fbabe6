from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperformsConfig(AppConfig):
    name = "paperforms"
    verbose_name = _("Paper forms")

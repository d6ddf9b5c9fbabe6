from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Cross-case analysis")

    def ready(self) -> None:
        from analysis import signals

        signals.connect()

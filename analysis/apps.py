from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Cross-case analysis")

    def ready(self) -> None:
        from analysis import signals

        signals.connect()
        # Decided pairs (rejected, confirmed, undone) are never proposed again, whoever asks.
        from analysis.candidates import register_exclusion
        from analysis.services import decided_others

        register_exclusion(decided_others)

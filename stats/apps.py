from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        """Connect the receivers of the complaints' domain signals (complaints.signals), which keep
        the statistics read model in the transaction of each registration and amendment: importing
        the module connects them (stats.receivers)."""
        from stats import receivers  # noqa: F401

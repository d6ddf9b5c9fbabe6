from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestigationsConfig(AppConfig):
    name = "investigations"
    verbose_name = _("Investigation")

    def ready(self) -> None:
        # What an investigator who moves hands over (administration.handover).
        from administration.handover import register_handover
        from investigations.handover import hand_over_assignments, hand_over_tasks

        register_handover("case_assignments", _("Case files (assignment)"), hand_over_assignments)
        register_handover("case_tasks", _("Open tasks of case files"), hand_over_tasks)

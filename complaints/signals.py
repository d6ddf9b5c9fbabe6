"""Domain signals of the Reporting module: what happened to a complaint, for the apps that keep
something derived from complaints (today stats: the statistics read model).

complaints imports none of those apps: each connects its receivers in its own
`AppConfig.ready()` (stats.apps.StatsConfig.ready). The signals are sent INSIDE the transaction
of the writing service, once the complaint's rows (and its people) are saved: what a receiver
writes commits or rolls back with the registration itself, and a receiver that raises aborts the
registration. No business logic of complaints depends on a receiver.

- `complaint_recorded(sender=Complaint, complaint=<Complaint>)`: a complaint was registered and
  frozen - every registration path goes through `services._freeze` (complaint_submit from the
  screen or from paper, complaint_register_imported for the legacy import and the demo data).
- `complaint_amended(sender=Complaint, complaint=<Complaint>)`: a registered complaint was
  amended (`services.complaint_amend`, inside the amendment: the rows are final).

Data loaded without the services (demo.synthetic, a restored dump) sends nothing: its loader
writes the derived data itself (demo may import every app) or `manage.py statistics --rebuild`.
"""

from __future__ import annotations

from django.dispatch import Signal

complaint_recorded = Signal()
complaint_amended = Signal()

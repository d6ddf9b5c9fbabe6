"""Statistics: the Reporting module's figures, in an app of their own.

It owns the statistics read model (`models`: one narrow row per complaint, victim and alleged
trafficker, codes and counts only), the projection of a complaint onto it (`projection`, `codes`),
its writes (`services`), the published tables and chart tables (`selectors`), any
cross-tabulation (`crosstab`, `variables`), the SVG charts and map (`charts`), the CSV/XLSX/PDF
exports (`exports`), who may see and export (`policies`), the screens (`forms`, `figures`, `views`,
`urls` with app_name "stats", under /denuncias/estadisticas/) and the `statistics` management
command. Reads take an explicit `administration.access.Scope` and count what the complaint list
shows in it (`scope`).

Dependencies go one way: stats may import complaints (models, catalogues, rules.codes, signals,
policies, the list's URL name), administration and audit; complaints never imports stats. The read
model is kept in step through the complaints' domain signals (complaints.signals:
`complaint_recorded`, `complaint_amended`), sent inside the transaction of each registration and
amendment; stats connects its receivers (`receivers`) in `apps.StatsConfig.ready()`. The bulk
loader of synthetic data (demo.synthetic) calls `services.statistics_load` itself.
"""

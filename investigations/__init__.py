"""The Investigation module: case files (*carpetas de investigación*) opened from complaints or
for another agency's case, numbered per unit and year, with their workflow, assigned investigators
and shares (README "The Investigation module").

Also the Permanent Secretariat's compliance monitoring (`compliance`, issue 13 item 5): it reads
complaints, alerts, case files and police reports, and stats may not import investigations, so it
lives here and draws its charts with `stats.charts`.

May import: `administration`, `audit`, `people` (identities: a case points at them, never copies
a person), `complaints`, `diligences`, `stats` (its charts, and the export permission of the
statistics) and the `reta` kernel.
"""

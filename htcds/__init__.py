"""HTCDS: an export of victim-level records in the vocabulary of IOM's Human Trafficking Case Data
Standard v2 (issue 13 item 6), for exchange with the Counter-Trafficking Data Collaborative and
similar bodies.

Attribution: "Human Trafficking Case Data Standard (HTCDS) by IOM", licensed under CC BY 4.0
(http://creativecommons.org/licenses/by/4.0/). IOM does not endorse RETA. The standard's core
fields and picklists are copied into `htcds/data/` (SOURCE.md there) and read from there only.

What it owns:
- `standard`: the core fields and picklists of HTCDS v2 (pure Python, no Django).
- `mapping`: RETA's codes → HTCDS picklist values, as data (pure Python; docs/htcds.md shows it
  as a table).
- `anonymity`: k-anonymity (k ≥ 5) on the quasi-identifiers, by global generalisation then
  suppression (pure Python, no Django).
- `selectors`: the victims of a scope and period, read from the statistics read model (codes
  only: stats.models.StatVictim, scoped by stats.scope as every statistic is) with two coded
  attributes of the case files their complaints grew from (status, recruitment methods); for the
  page, only the same victims counted by their quasi-identifiers (one GROUP BY: `htcds_summary`).
- `exports`: the CSV and XLSX bytes (no query); `policies`: who may export; `views`, `urls`
  (app_name "htcds", under /denuncias/estadisticas/htcds/).

No names, documents or free text ever enter a record: the source rows hold codes only, and a
record is built from an explicit list of coded columns (`mapping.COLUMNS`).

May import: administration (access, catalogues, policies), audit (events, services), complaints (catalogues,
rules.codes, policies), investigations.models (case status and recruitment method codes), stats
(codes, models, scope, selectors, forms, tables, policies), reta.exports. Nothing imports htcds
but the project shell (reta.urls, reta.navigation).
"""

"""The Reporting module's core: complaints (*denuncias*) from the form to the frozen record.

Owns: complaints, the persons as recorded in them, alerts (`models`); the rule engine
(`rules/`, pure Python, no Django); filing, registration, amendment and legacy import
(`services`, `importing`); who receives an alert and when it is overdue (`alerts`, pure reads;
`manage.py escalate_alerts`); the freeze guard (`freeze`); lists, detail, print, history, alerts
and amendment screens (`views/`); the domain signals the statistics listen to (`signals`).

May import: `administration`, `audit`, `people` (identities and the privacy rule), the core of
`paperforms` (the serial check: `paperforms.services`, `.serials`, `.models`) and the `reta`
kernel. Never `stats` nor `diligences`, which build on it.
"""

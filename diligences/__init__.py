"""The preliminary investigation register: *diligencias*, their answers (scans) and the generated
documents (forensic examination, search warrant, RENIEC, Migraciones, notification, statement).

Owns: the append-only register (`models`, `services`), the documents numbered by the numbering
service and rendered by WeasyPrint (`pdf`), the scans served only through access-checked views.

May import: `administration`, `audit`, `people` (privacy), `complaints` and the `reta` kernel.
Nothing in `complaints` imports it.
"""

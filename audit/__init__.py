"""Audit: the append-only trail of who did what (SECURITY.md 13-14).

Owns: `AuditEvent` (append-only through `reta.guards`, and a MariaDB trigger), the catalogue of
event names (`events.AuditEventType`), the request id every event and history version carries
(`context`), the one writer `services.audit_record`, the hash chain over the events and
`manage.py verify_audit` (`chain`), and the auditor's screens (filters, the trail of a user and of a
record) with the CSV and PDF audit reports.

May import: `administration` (users and units, for the auditor's scope) and the `reta` kernel.
Every module writes its events through `audit.services.audit_record`.
"""

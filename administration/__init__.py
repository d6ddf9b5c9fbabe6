"""Administration: the platform every module stands on.

Owns: accounts bound to one unit with one role and an expiry date, sign-in (lockout, TOTP,
session limits), the unit tree and UBIGEO (`models`), the tree of command and the one access
primitive (`access`: `Scope`, `scope_of`, `visible_to`, `get_visible_or_404`), who may manage
what (`policies`), the numbering service of every per-unit, per-year counter (`numbering`), and
the production database grants (`manage.py db_grants`: which user may write which table), and
backups of the database with the stored files, restored and checked against a manifest (`backups`:
the `backup`, `restore` and `verify_backup` commands), and the production checklist
(`deploy_checks`, the `check_deploy` command: docs/deploy.md).

May import: `audit` (its services write the audit events) and the `reta` kernel. Every other app
imports it; it imports none of them.
"""

"""Who may do what in the Administration module, and the account checks every module's policies
start from (`can_sign_in`, `is_signed_in`). Views and templates ask the same functions, so a
button a user may not use is not shown (CONVENTIONS.md, "Writes, reads, access").

Imports `administration.roles` only (no model module), so that `administration.access`, which the
models import, may ask these functions too."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied

from administration.roles import Role

READ_ONLY_ROLES = frozenset({Role.MONITOR, Role.AUDITOR})


def can_sign_in(account: Any) -> bool:
    """The account may be used at all: active, not expired, bound to an active unit, with a role
    (SECURITY.md 1). The sign-in backend, the session limits and every policy ask it."""
    return bool(
        account.is_active and account.role and account.unit_id and account.unit.is_active and not account.is_expired()
    )


def is_signed_in(user: Any) -> bool:
    """A signed-in user whose account may still be used (the first question of every policy)."""
    return bool(getattr(user, "is_authenticated", False)) and can_sign_in(user)


def is_verified(user: Any) -> bool:
    """Signed in with the second factor when the account has (or must have) one."""
    checker = getattr(user, "is_verified", None)
    return bool(checker()) if checker is not None else False


def is_national_admin_account(user: Any) -> bool:
    """The account is a usable national administrator's: what a service or a command run with
    `--user` checks. A screen asks `is_national_admin`, which adds the session's second factor."""
    return is_signed_in(user) and user.role == Role.NATIONAL_ADMIN


def is_national_admin(user: Any) -> bool:
    return is_national_admin_account(user) and is_verified(user)


def can_manage_users(user: Any) -> bool:
    return is_national_admin(user)


def can_manage_catalogues(user: Any) -> bool:
    """The editable catalogues and the research variables (administration.catalogues)."""
    return is_national_admin(user)


def can_view_units(user: Any) -> bool:
    return is_signed_in(user)


def can_manage_units(user: Any) -> bool:
    """Change the unit tree (administration.tree): national administrators."""
    return is_national_admin(user)


def can_view_audit(user: Any) -> bool:
    if not is_signed_in(user):
        return False
    if user.role == Role.AUDITOR:
        return True
    return is_national_admin(user)


def can_write(user: Any) -> bool:
    """Read-only roles never write anything (SECURITY.md 9)."""
    return is_signed_in(user) and user.role not in READ_ONLY_ROLES


def require(policy: Callable[[Any], bool]) -> Callable:
    """View decorator: 403 unless `policy(request.user)` holds."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not policy(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

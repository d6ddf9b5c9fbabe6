"""Who may do what in the Administration module. Views and templates ask the same functions,
so a button a user may not use is not shown (CONVENTIONS.md, "Writes, reads, access")."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied

from administration.models import Role

READ_ONLY_ROLES = frozenset({Role.MONITOR, Role.AUDITOR})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.can_sign_in()


def is_verified(user: Any) -> bool:
    """Signed in with the second factor when the account has (or must have) one."""
    checker = getattr(user, "is_verified", None)
    return bool(checker()) if checker is not None else False


def is_national_admin(user: Any) -> bool:
    return _signed_in(user) and user.role == Role.NATIONAL_ADMIN and is_verified(user)


def can_manage_users(user: Any) -> bool:
    return is_national_admin(user)


def can_view_units(user: Any) -> bool:
    return _signed_in(user)


def can_view_audit(user: Any) -> bool:
    if not _signed_in(user):
        return False
    if user.role == Role.AUDITOR:
        return True
    return is_national_admin(user)


def can_write(user: Any) -> bool:
    """Read-only roles never write anything (SECURITY.md 9)."""
    return _signed_in(user) and user.role not in READ_ONLY_ROLES


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

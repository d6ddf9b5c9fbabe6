"""Authentication: Django's model backend, refusing lapsed accounts with the generic answer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from administration.policies import can_sign_in


class UnitAccountBackend(ModelBackend):
    """An account signs in only while active, unexpired and bound to an active unit.

    A refused account gets the same answer as a wrong password (SECURITY.md 3); ModelBackend
    also runs the password hasher for unknown usernames, so timing does not tell them apart.
    """

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and can_sign_in(user)

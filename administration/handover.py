"""What an officer hands over when she moves to another unit: a registry of contributors, one per
module that holds work of hers (administration.services.user_move calls them in its transaction).

Administration imports no other app (README "Architecture"), so the modules that hold an officer's
work register here, in their `AppConfig.ready()`:

    register_handover(kind, label, contributor)

`contributor(*, actor, officer, colleague, old_unit) -> list[int]` passes to `colleague` the work
of `officer` in `old_unit` of its kind, through that module's own rules (history kept; frozen and
append-only rows never rewritten), and returns the ids of what passed (empty: nothing). It may
raise `HandOverRefused` with a message for the administrator: the whole move is then undone.

Registered today: complaints (her open drafts; the unit's unacknowledged alerts, listed to the
colleague) and investigations (her case-file assignments and open tasks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Contributor = Callable[..., list[int]]


class HandOverRefused(Exception):
    """The work cannot pass to this colleague (e.g. case files to an account that cannot work them)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class HandOverKind:
    kind: str
    label: Any  # a lazy translation: what screens call the items of this kind
    contributor: Contributor


_REGISTRY: dict[str, HandOverKind] = {}


def register_handover(kind: str, label: Any, contributor: Contributor) -> None:
    """Register (or replace, on a second `ready()`) the contributor of one kind of work."""
    _REGISTRY[kind] = HandOverKind(kind, label, contributor)


def handover_kinds() -> list[HandOverKind]:
    return list(_REGISTRY.values())


def kind_label(kind: str) -> Any:
    registered = _REGISTRY.get(kind)
    return registered.label if registered is not None else kind


__all__ = ["HandOverKind", "HandOverRefused", "handover_kinds", "kind_label", "register_handover"]

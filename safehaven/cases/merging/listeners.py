"""What higher apps do when two cases merge, without ``cases`` importing them (docs/architecture.md,
"Showing a higher app's data on a lower app's page": the same registry pattern).

A listener is ``fn(kept, absorbed, *, actor, private_key) -> None``. It runs inside the merge's
transaction, after the casework has moved and before the absorbed case closes: raising
``CaseActionRefused`` (with a message naming the case) refuses the whole merge and nothing is
kept. Finance moves the absorbed case's grants (``finance/grants/merging.py``).
"""

from __future__ import annotations

from typing import Protocol

from safehaven.accounts.models import User
from safehaven.cases.models import Case


class MergeListener(Protocol):
    def __call__(self, kept: Case, absorbed: Case, *, actor: User, private_key: bytes) -> None: ...


_LISTENERS: dict[str, MergeListener] = {}


def register_merge_listener(name: str, fn: MergeListener) -> None:
    """Add a listener (in an ``AppConfig.ready``). A name registered twice is a wiring error."""
    if name in _LISTENERS:
        raise ValueError(f"A merge listener named {name!r} is already registered.")
    _LISTENERS[name] = fn


def merge_listeners() -> list[tuple[str, MergeListener]]:
    """Every registered listener with its name, in the order of their names (stable)."""
    return sorted(_LISTENERS.items())

"""How reports hear of changes in the apps below them (nothing imports reports)."""

from __future__ import annotations


def connect() -> None:
    """Connect the receivers that keep ``CaseFigures`` up to date (figures/refresh.py)."""

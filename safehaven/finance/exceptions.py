"""Refusals of the finance app. A refused finance action raises ``CaseActionRefused`` (the
project's one refusal, which the views show); the two below say more about why."""

from __future__ import annotations

from safehaven.cases.exceptions import CaseActionRefused


class LedgerTampered(CaseActionRefused):
    """A finance row does not carry the tag the application made (``finance/tags.py``): it was
    written or changed around the application, so nothing is decided on it."""


class LedgerUnbalanced(RuntimeError):
    """An entry whose lines do not balance in some currency was about to be written: a bug,
    never a user's mistake, so it is not a refusal the views show."""

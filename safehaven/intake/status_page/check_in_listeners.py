"""Who hears of a check-in from a status page: a higher app (travel, which watches journeys)
registers a listener here, so that intake never imports it (docs/architecture.md).

Each listener is called inside the opening's transaction, after the check-in's notice is
posted, with the request and whether the phrase was the danger phrase; it runs with nobody's
key. A listener that fails never changes what the person sees nor loses their notice: its
work is rolled back to a savepoint and only the class of the failure is logged (a database's
message may quote values), as ``intake/tasks.py`` does."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from safehaven.intake.models import HelpRequest

logger = logging.getLogger(__name__)

CheckInListener = Callable[[HelpRequest, bool], None]

_LISTENERS: list[CheckInListener] = []


def register_check_in_listener(listener: CheckInListener) -> None:
    """Add ``listener(help_request, danger)`` (in an ``AppConfig.ready``); once only."""
    if listener in _LISTENERS:
        raise ValueError("This check-in listener is already registered.")
    _LISTENERS.append(listener)


def tell_check_in_listeners(help_request: HelpRequest, *, danger: bool) -> None:
    """Inside the opening's transaction: call every listener, each in a savepoint of its own."""
    for listener in _LISTENERS:
        try:
            with transaction.atomic():
                listener(help_request, danger)
        except Exception as failure:  # whatever it is, the person's check-in stands
            logger.error(
                "a check-in listener failed (%s); the check-in notice stands",
                type(failure).__name__,
            )

"""A failing database, turned into a refusal that a page can explain while it gives back what
the person typed (the error page would lose it)."""

import logging
from collections.abc import Callable
from functools import wraps

from django.db import DatabaseError

logger = logging.getLogger(__name__)


def refused_when_the_database_fails[**Params, Result](
    refusal: type[Exception],
) -> Callable[[Callable[Params, Result]], Callable[Params, Result]]:
    """Decorate an action so that a DatabaseError raised in it (its transaction rolled back:
    nothing changed) is logged and raised as ``refusal()``."""

    def decorate(action: Callable[Params, Result]) -> Callable[Params, Result]:
        @wraps(action)
        def guarded(*args: Params.args, **kwargs: Params.kwargs) -> Result:
            try:
                return action(*args, **kwargs)
            except DatabaseError as failure:
                # The class name only: a database's message may quote values.
                logger.error(
                    "%s: the database failed (%s)", action.__name__, type(failure).__name__
                )
                raise refusal from None

        return guarded

    return decorate

"""Checks that read the database, for monitoring: ``manage.py check --database default``.

A person who withdrew was told that what they wrote would be deleted after the grace period.
Erasure needs ``manage.py shred_withdrawn`` from a timer (or a running ``db_worker``); when
neither runs, nothing else would tell the operators that the promise is being broken.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from safehaven.intake.actions_erasure import withdrawn_and_due

# The timer runs hourly: an erasure is late only once a run should have done it.
ERASURE_LATE_AFTER = timedelta(hours=2)


@register(Tags.database)
def check_erasures_on_time(
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for alias in databases or ():
        late_by = timezone.now() - ERASURE_LATE_AFTER
        try:
            late = withdrawn_and_due(late_by).using(alias).count()
        except DatabaseError as failure:
            messages.append(
                Warning(
                    f"Could not check that withdrawn help requests are erased on time "
                    f"(database {alias!r}: {type(failure).__name__}).",
                    hint="Run `manage.py migrate` first, or check the database connection.",
                    id="intake.W001",
                )
            )
            continue
        if late:
            messages.append(
                Error(
                    f"{late} withdrawn help request(s) in database {alias!r} are more than "
                    f"{ERASURE_LATE_AFTER.seconds // 3600} hours past their erasure time.",
                    hint=(
                        "Run `manage.py shred_withdrawn` now and make sure it runs hourly from "
                        "a timer: the people who withdrew were told their data would be deleted."
                    ),
                    id="intake.E001",
                )
            )
    return messages

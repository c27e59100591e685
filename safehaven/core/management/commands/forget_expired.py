"""Delete what has expired but would otherwise stay: cache rows (the database cache removes an
expired row only when its key is read again), staff sessions past their idle timeout (Django's
`clearsessions` would remove them only daily) and failed-login records past the lockout's
cool-off (axes removes them only when someone logs in or fails again). Run it from a timer."""

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management.base import BaseCommand
from django.db import connections, router, transaction
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Delete expired rows of the database cache, expired staff sessions and failed staff "
        "logins (typed e-mail, address, browser) older than AXES_COOLOFF_TIME. Safe to run at "
        "any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        cache_rows = sum(_delete_expired_rows(name, now) for name in settings.CACHES)
        cool_off = settings.AXES_COOLOFF_TIME
        if not isinstance(cool_off, timedelta):
            raise TypeError("AXES_COOLOFF_TIME must be a timedelta")
        attempts, _detail = AccessAttempt.objects.filter(attempt_time__lt=now - cool_off).delete()
        # Staff sessions past their idle timeout, each with its login's sealed private key.
        sessions, _detail = Session.objects.filter(expire_date__lte=now).delete()
        # Counts only.
        self.stdout.write(
            f"Deleted {cache_rows} expired cache rows and {attempts} failed-login records."
        )
        self.stdout.write(f"Deleted {sessions} expired staff sessions.")


def _delete_expired_rows(name: str, now: Any) -> int:
    cache = caches[name]
    if not isinstance(cache, DatabaseCache):
        return 0
    alias = router.db_for_write(cache.cache_model_class)
    connection = connections[alias]
    table = connection.ops.quote_name(str(settings.CACHES[name]["LOCATION"]))
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(now)],
        )
        return cursor.rowcount

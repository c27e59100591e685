"""Nothing that names a staff member stays in the cache table; ``forget_expired`` removes what
has expired (cache rows, failed-login records past the cool-off)."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from safehaven.accounts.tests.helpers import TEST_PASSWORD

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.77"


def cache_keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM safehaven_cache")
        return [row[0] for row in cursor.fetchall()]


def test_it_stores_no_address_or_e_mail_in_the_cache_keys(world):
    user = world.users["caseworker"]
    client = Client()
    client.post(
        "/en/accounts/login/", {"login": user.email, "password": "wrong 1x"}, REMOTE_ADDR=ADDRESS
    )
    client.post(
        "/en/accounts/login/", {"login": user.email, "password": TEST_PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    keys = cache_keys()
    assert keys, "allauth counted the logins in the cache"
    for key in keys:
        assert ADDRESS not in key
        assert user.email not in key
        assert "login" not in key
    # The cache works as before through its own API.
    cache.set("a key", "a value", 60)
    assert cache.get("a key") == "a value"


def test_it_deletes_expired_cache_rows_and_old_failed_logins(world):
    cache.set("gone", "x", 60)
    cache.set("kept", "y", 3600)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE safehaven_cache SET expires = %s WHERE cache_key = %s",
            [
                connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(minutes=1)),
                cache.make_key("gone"),
            ],
        )
    old = AccessAttempt.objects.create(
        username="someone@example.org",
        ip_address=ADDRESS,
        user_agent="Old browser",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - timedelta(minutes=31)
    )
    recent = AccessAttempt.objects.create(
        username="other@example.org", ip_address=ADDRESS, user_agent="", failures_since_start=1
    )
    out = StringIO()
    call_command("forget_expired", stdout=out)
    assert "Deleted 1 expired cache rows and 1 failed-login records." in out.getvalue()
    assert cache.make_key("gone") not in cache_keys()
    assert cache.get("kept") == "y"
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]

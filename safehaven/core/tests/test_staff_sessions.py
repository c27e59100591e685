"""Staff sessions end with the browser, and an expired session's row (which holds the login's
sealed private key) is deleted when its cookie comes back or hourly, not only daily."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.keys.login_key import SESSION_KEY, cookie_name

pytestmark = pytest.mark.django_db


def test_it_sets_session_and_login_key_cookies_that_end_with_the_browser(world):
    client = staff_client_with_keys(world, "triage")
    for name in ("safehaven_session", cookie_name()):
        cookie = client.cookies[name]
        assert cookie.value
        assert not cookie["max-age"], name
        assert not cookie["expires"], name


def test_it_deletes_an_expired_session_row_when_its_cookie_comes_back(world):
    client = staff_client_with_keys(world, "triage")
    key = client.cookies["safehaven_session"].value
    assert SESSION_KEY in Session.objects.get(session_key=key).get_decoded()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/en/staff/requests/")
    assert response.status_code == 302  # back to the login page
    assert not Session.objects.filter(session_key=key).exists()


def test_it_deletes_expired_sessions_in_forget_expired(world):
    expired = staff_client_with_keys(world, "triage").cookies["safehaven_session"].value
    live = staff_client_with_keys(world, "caseworker").cookies["safehaven_session"].value
    Session.objects.filter(session_key=expired).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    out = StringIO()
    call_command("forget_expired", stdout=out)
    assert "Deleted 1 expired staff sessions." in out.getvalue()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]

"""Setting a duress password from the account pages."""

import pytest
from django.test import Client

from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.models import DuressPassword

pytestmark = pytest.mark.django_db

URL = "/en/staff/duress-password/"
DURESS = "a different phrase for bad days"


def logged_in(world) -> Client:
    client = Client()
    client.force_login(world.users["caseworker"])
    return client


def post(client: Client, current: str, duress: str, again: str | None = None):
    return client.post(
        URL,
        {
            "current_password": current,
            "duress_password": duress,
            "duress_password_again": duress if again is None else again,
        },
    )


def test_it_sets_a_duress_password(world):
    response = post(logged_in(world), TEST_PASSWORD, DURESS)
    assert response.status_code == 302
    assert DuressPassword.objects.filter(user=world.users["caseworker"]).exists()
    assert AuditEvent.objects.filter(event_type=EventType.DURESS_PASSWORD_SET).exists()


def test_it_needs_the_current_password(world):
    response = post(logged_in(world), "not my password at all", DURESS)
    assert response.status_code == 200
    assert "This is not your current password." in response.content.decode()
    assert not DuressPassword.objects.exists()


def test_it_refuses_the_real_password_as_duress_password(world):
    response = post(logged_in(world), TEST_PASSWORD, TEST_PASSWORD)
    assert response.status_code == 200
    assert "must differ from your real password" in response.content.decode()
    assert not DuressPassword.objects.exists()


def test_it_refuses_mismatched_or_short_duress_passwords(world):
    client = logged_in(world)
    mismatched = post(client, TEST_PASSWORD, DURESS, again=DURESS + "x")
    assert "The two duress passwords differ." in mismatched.content.decode()
    short = post(client, TEST_PASSWORD, "short")
    assert "at least 12 characters" in short.content.decode()
    assert not DuressPassword.objects.exists()


def test_it_pauses_after_five_wrong_current_passwords(world):
    client = logged_in(world)
    for _attempt in range(5):
        post(client, "not my password at all", DURESS)
    response = post(client, TEST_PASSWORD, DURESS)
    assert "Too many wrong passwords" in response.content.decode()
    assert not DuressPassword.objects.exists()

"""One duress login, one alert; the restore leaves the coercer nothing that still works."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client

from safehaven.accounts.tests.duress_logins import DURESS, log_in, make_coerced
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.crypto import unprotect_with_password
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.duress import do_restore_after_duress
from safehaven.keys.models import DuressPassword, UserKeyPair
from safehaven.keys.models_duress import DuressRenewal

pytestmark = pytest.mark.django_db


@pytest.fixture
def coerced(world):
    return make_coerced(world)


CHANGE_PASSWORD_URL = "/en/accounts/password/change/"
DURESS_PASSWORD_URL = "/en/staff/duress-password/"
NEW_PASSWORD = "a fresh phrase nobody has heard 88"
NEW_DURESS = "another fresh phrase for bad days 31"


def restore(world, user) -> None:
    admin_a, admin_b = world.users["admin"], world.users["admin2"]
    do_restore_after_duress(user, admin_a=admin_a, admin_b=admin_b, actor=admin_a)


def change_password(client: Client, old: str, new: str):
    return client.post(
        CHANGE_PASSWORD_URL, {"oldpassword": old, "password1": new, "password2": new}
    )


def set_duress_password(client: Client, current: str, duress: str):
    return client.post(
        DURESS_PASSWORD_URL,
        {"current_password": current, "duress_password": duress, "duress_password_again": duress},
    )


def test_it_alerts_once_however_often_the_duress_password_is_typed(world, coerced):
    # A duress login, then the duress password again to open the security pages.
    log_in(world, "caseworker", DURESS)
    alerts = len(mail.outbox)
    assert alerts >= 1
    suspended_at = UserKeyPair.objects.get(user=coerced).suspended_at
    # A later duress login while the keys are still suspended: no second alert either.
    log_in(world, "caseworker", DURESS)
    assert len(mail.outbox) == alerts
    assert UserKeyPair.objects.get(user=coerced).suspended_at == suspended_at
    events = AuditEvent.objects.filter(
        event_type=EventType.DURESS_LOGIN, target_ref=str(coerced.pk)
    ).order_by("pk")
    details = [event.detail for event in events]
    assert len(details) == 4
    assert "no new alert" not in details[0]
    assert all("no new alert" in detail for detail in details[1:])


def test_it_deletes_the_recovery_codes_and_the_duress_password_on_restore(world, coerced):
    log_in(world, "caseworker", DURESS)
    codes = Authenticator.objects.get(user=coerced, type=Authenticator.Type.RECOVERY_CODES)
    known_to_the_coercer = codes.wrap().get_unused_codes()
    restore(world, coerced)
    assert not Authenticator.objects.filter(
        user=coerced, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    assert Authenticator.objects.filter(user=coerced, type=Authenticator.Type.TOTP).exists()
    assert not DuressPassword.objects.filter(user=coerced).exists()
    assert DuressRenewal.objects.filter(user=coerced).exists()
    # The code step of a login no longer takes the old recovery codes.
    client = Client()
    client.post("/en/accounts/login/", {"login": coerced.email, "password": TEST_PASSWORD})
    response = client.post("/en/accounts/2fa/authenticate/", {"code": known_to_the_coercer[0]})
    assert response.status_code == 200
    assert client.get("/en/staff/").status_code == 302


def test_it_requires_a_new_password_and_a_new_duress_password_after_restore(world, coerced):
    log_in(world, "caseworker", DURESS)
    restore(world, coerced)
    client = log_in(world, "caseworker", TEST_PASSWORD)

    assert client.get("/en/staff/")["Location"] == CHANGE_PASSWORD_URL
    assert client.get(DURESS_PASSWORD_URL)["Location"] == CHANGE_PASSWORD_URL
    for known in (TEST_PASSWORD, DURESS):
        page = change_password(client, TEST_PASSWORD, known)
        assert page.status_code == 200
        assert "you have not used before" in page.content.decode()
    assert change_password(client, TEST_PASSWORD, NEW_PASSWORD).status_code == 302

    assert client.get("/en/staff/")["Location"] == DURESS_PASSWORD_URL
    page = set_duress_password(client, NEW_PASSWORD, DURESS)
    assert page.status_code == 200
    assert "you have not used before" in page.content.decode()
    assert set_duress_password(client, NEW_PASSWORD, NEW_DURESS).status_code == 302

    assert client.get("/en/staff/").status_code == 200
    assert not DuressRenewal.objects.exists()
    # The same private key, now under the new password: access to cases was kept.
    pair = UserKeyPair.objects.get(user=coerced)
    assert pair.suspended_at is None
    assert unprotect_with_password(bytes(pair.protected_private_key), NEW_PASSWORD)

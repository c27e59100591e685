"""After a password change the login holds the key that the person's key pair now has: after an
administrator reset, the new pair's private key (not the interim one, which the administrator
could open); after an ordinary change, the same key as before."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory

from safehaven.accounts.models import User
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.crypto import public_key_from_private
from safehaven.intake.tests.helpers import staff_client_with_keys, valid_post
from safehaven.keys.login_key import cookie_name, unlocked_private_key
from safehaven.keys.models import UserKeyPair
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db

OWN_PASSWORD = "a password only the caseworker knows 7310"
SITUATION = str(valid_post()["situation"])
PROBLEM = 'id="problem"'  # "Your key cannot open this case's casework", or no key at all


def session_public_key(client: Client, user: User) -> bytes | None:
    """The public key of the private key this browser's login holds (session blob + cookie)."""
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    request.session = SessionStore(session_key=client.session.session_key)
    request.COOKIES[cookie_name()] = client.cookies[cookie_name()].value
    held = unlocked_private_key(request)
    return None if held is None else public_key_from_private(held)


def kept_public_key(user: User) -> bytes:
    return bytes(UserKeyPair.objects.get(user=user).public_key)


def logged_in_with(world, username: str, password: str, totp_code) -> Client:
    client = Client()
    user = world.users[username]
    response = client.post("/en/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302
    response = client.post(
        "/en/accounts/2fa/authenticate/", {"code": totp_code(world.totp_secrets[username])}
    )
    assert response.status_code == 302
    return client


def change_password(client: Client, old: str) -> None:
    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": old, "password1": OWN_PASSWORD, "password2": OWN_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_it_opens_a_case_granted_after_a_forced_change_in_the_same_login(
    world, staff_client, totp_code
):
    case = assigned_case(world)
    worker = world.users["caseworker"]
    reset = staff_client("admin").post(f"/en/staff/admin/people/{worker.pk}/reset-password/")
    interim_password = reset.context["password"]
    interim_public_key = kept_public_key(worker)
    client = logged_in_with(world, "caseworker", interim_password, totp_code)
    assert session_public_key(client, worker) == interim_public_key

    change_password(client, interim_password)
    new_public_key = kept_public_key(worker)
    assert new_public_key != interim_public_key
    assert session_public_key(client, worker) == new_public_key  # the interim key is gone

    supervisor = staff_client_with_keys(world, "supervisor")
    regrant = supervisor.post(f"/en/staff/cases/{case.pk}/keys/{worker.pk}/regrant/")
    assert regrant.status_code == 302
    page = client.get(f"/en/staff/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert PROBLEM not in html
    assert SITUATION in html


def test_it_keeps_the_same_key_open_after_an_ordinary_change(world):
    case = assigned_case(world)
    worker = world.users["caseworker"]
    public_key = kept_public_key(worker)
    client = staff_client_with_keys(world, "caseworker")

    change_password(client, TEST_PASSWORD)

    assert kept_public_key(worker) == public_key
    assert session_public_key(client, worker) == public_key
    html = client.get(f"/en/staff/cases/{case.pk}/").content.decode()
    assert PROBLEM not in html
    assert SITUATION in html

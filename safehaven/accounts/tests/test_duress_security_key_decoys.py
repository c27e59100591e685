"""Under duress the security-key pages show the person's real keys (the login may just have
asked for one) and every change to them is pretended, never made."""

import pytest
from allauth.mfa.models import Authenticator

from safehaven.accounts.tests.duress_logins import DURESS, log_in, make_coerced

pytestmark = pytest.mark.django_db

KEYS_URL = "/en/accounts/2fa/webauthn/"


@pytest.fixture
def coerced_with_a_key(world):
    worker = make_coerced(world)
    key = Authenticator.objects.create(
        user=worker,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Blue key on the keyring", "credential": {}},
    )
    return worker, key


def security_key_rows():
    return sorted(
        (row["id"], repr(row["data"]))
        for row in Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).values()
    )


def test_it_shows_the_real_security_keys_under_duress(world, coerced_with_a_key):
    client = log_in(world, "caseworker", DURESS)
    index = client.get("/en/accounts/2fa/").content.decode()
    assert "You have added 1 security key." in index
    listing = client.get(KEYS_URL).content.decode()
    assert "Blue key on the keyring" in listing
    assert "No security keys have been added." not in listing


def test_it_pretends_to_rename_and_remove_a_key_and_changes_nothing(world, coerced_with_a_key):
    _worker, key = coerced_with_a_key
    client = log_in(world, "caseworker", DURESS)
    before = security_key_rows()
    edit_url = f"{KEYS_URL}keys/{key.pk}/edit/"
    assert client.get(edit_url).status_code == 200
    client.post(edit_url, {"name": "Coercer's name for it"})
    assert "Coercer&#x27;s name for it" in client.get(KEYS_URL).content.decode()
    remove_url = f"{KEYS_URL}keys/{key.pk}/remove/"
    assert client.get(remove_url).status_code == 200
    response = client.post(remove_url, follow=True)
    assert "Security key removed." in response.content.decode()
    assert "No security keys have been added." in response.content.decode()
    assert security_key_rows() == before


def test_it_does_not_let_the_decoy_touch_another_persons_key(world, coerced_with_a_key):
    other = Authenticator.objects.create(
        user=world.users["triage"],
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Someone else's key", "credential": {}},
    )
    client = log_in(world, "caseworker", DURESS)
    assert client.get(f"{KEYS_URL}keys/{other.pk}/edit/").status_code == 404
    assert "Someone else" not in client.get(KEYS_URL).content.decode()

"""Under duress every second-factor page is a decoy: it shows and changes nothing real."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.urls import urlpatterns as allauth_mfa_urlpatterns
from allauth.mfa.utils import decrypt
from django.urls import URLPattern, URLResolver, reverse

from safehaven.accounts.mfa_decoys import DECOYS, REAL_UNDER_DURESS
from safehaven.accounts.seed import current_totp
from safehaven.accounts.tests.duress_logins import DURESS, log_in, make_coerced
from safehaven.accounts.tests.helpers import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def coerced(world):
    return make_coerced(world)


RECOVERY_CODES_URL = "/en/accounts/2fa/recovery-codes/"


def real_secrets(user) -> list[str]:
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return [*codes.wrap().get_unused_codes(), decrypt(totp.data["secret"])]


def mfa_tables():
    return sorted(
        (row["id"], row["type"], repr(row["data"])) for row in Authenticator.objects.values()
    )


def every_mfa_url(patterns, prefix="/en/accounts/2fa/"):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from every_mfa_url(entry.url_patterns, prefix + str(entry.pattern))
        else:
            assert isinstance(entry, URLPattern)
            yield entry.name, prefix + str(entry.pattern)


def test_it_shows_fake_recovery_codes_after_a_duress_reauthentication(world, coerced):
    secrets = real_secrets(coerced)
    client = log_in(world, "caseworker", DURESS)
    page = client.get(RECOVERY_CODES_URL).content.decode()
    shown = re.findall(r"\b\d{8}\b", page)
    assert len(shown) == 10
    assert not set(shown) & set(secrets)
    for secret in secrets:
        assert secret not in page
    # The decoy codes open nothing (and checking them uses none of the real ones).
    before = mfa_tables()
    real = Authenticator.objects.get(user=coerced, type=Authenticator.Type.RECOVERY_CODES)
    assert not any(real.wrap().validate_code(code) for code in shown)
    assert mfa_tables() == before


def test_it_walks_every_mfa_url_under_duress_and_nothing_real_shows_or_changes(world, coerced):
    secrets = real_secrets(coerced)
    totp = Authenticator.objects.get(user=coerced, type=Authenticator.Type.TOTP)
    client = log_in(world, "caseworker", DURESS)
    before = mfa_tables()
    walked = set()
    for name, route in every_mfa_url(allauth_mfa_urlpatterns):
        url = "/en/accounts/2fa/" + route.removeprefix("/en/accounts/2fa/")
        url = url.replace("<int:pk>", str(totp.pk))
        payload = {
            "code": current_totp(world.totp_secrets["caseworker"]),
            "name": "coercer's key",
            "credential": "{}",
        }
        for response in (client.get(url), client.post(url, payload)):
            assert response.status_code in (200, 302, 404, 405), (name, response.status_code)
            body = response.content.decode()
            for secret in secrets:
                assert secret not in body, (name, response.request["REQUEST_METHOD"])
        walked.add(name)
        assert mfa_tables() == before, name
    assert walked >= set(DECOYS)
    # Every page of a session under duress still looks like the real one.
    assert client.get(reverse("mfa_index")).status_code == 200


def test_it_has_a_decoy_or_a_reason_for_every_mfa_url(world):
    names = {name for name, _route in every_mfa_url(allauth_mfa_urlpatterns)}
    assert names <= set(DECOYS) | REAL_UNDER_DURESS


def test_it_says_saved_under_duress_and_changes_nothing(world, coerced):
    client = log_in(world, "caseworker", DURESS)
    before = mfa_tables()
    response = client.post("/en/accounts/2fa/recovery-codes/generate/", follow=True)
    assert response.status_code == 200
    assert "A new set of recovery codes has been generated." in response.content.decode()
    response = client.post("/en/accounts/2fa/totp/deactivate/", follow=True)
    assert "Authenticator app deactivated." in response.content.decode()
    assert mfa_tables() == before


def test_it_keeps_the_real_pages_outside_duress(world, coerced):
    secrets = real_secrets(coerced)
    client = log_in(world, "caseworker", TEST_PASSWORD)
    page = client.get(RECOVERY_CODES_URL).content.decode()
    assert secrets[0] in page

"""The onion service's settings (``SAFEHAVEN_ONION_HOSTS``) and what they change: for an onion
host no https redirect, no HSTS and cookies a browser keeps over http; the clear site as before,
plus ``Onion-Location``."""

import base64
import hashlib
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks.security import base as security
from django.test import Client, override_settings

from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.accounts.tests.logins import log_in
from safehaven.core.onion import MIDDLEWARE_PATH, check_security_middleware, checked_onion_hosts
from safehaven.core.tests.test_production_settings import manage, production_environment
from safehaven.env import BadSetting
from safehaven.intake.tests.helpers import latest_request, open_status, submit_request

CLEAR_HOST = "help.example.org"
# A v3 address made for the tests (its key is the SHA-256 of a phrase): reaches nobody.
ONION_HOST = "bsapanc7awpclrwczp4neufpy56v7svz42mc6hg6kby2zyqdmxntn5qd.onion"
# What production makes of SAFEHAVEN_ALLOWED_HOSTS=help.example.org,
# SAFEHAVEN_BEHIND_TLS_PROXY=true and SAFEHAVEN_ONION_HOSTS=<the onion> (checked below).
ONION_DEPLOYMENT = {
    "ALLOWED_HOSTS": [CLEAR_HOST, ONION_HOST],
    "ONION_HOSTS": [ONION_HOST],
    "BEHIND_TLS_PROXY": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 63072000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-safehaven_session",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
    "CSRF_TRUSTED_ORIGINS": [],
    "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
    "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN": False,
}
LOGIN = "/en/accounts/login/"
ONION_ORIGIN = f"http://{ONION_HOST}"


def onion_deployment():
    return override_settings(
        **ONION_DEPLOYMENT | {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}
    )


def v3_address(public_key: bytes, version: int = 3, *, checksum: bytes | None = None) -> str:
    digest = hashlib.sha3_256(b".onion checksum" + public_key + bytes([version])).digest()
    raw = public_key + (checksum or digest[:2]) + bytes([version])
    return base64.b32encode(raw).decode().lower() + ".onion"


# The proxy in front: the onion's server block says http, the clear site's says https.
def through_onion(**headers: str) -> dict[str, str]:
    return {"host": ONION_HOST, "x_forwarded_proto": "http", "x_forwarded_for": "127.0.0.1"} | (
        headers
    )


def through_tls(host: str = CLEAR_HOST) -> dict[str, str]:
    return {"host": host, "x_forwarded_proto": "https", "x_forwarded_for": "203.0.113.9"}


def test_it_accepts_v3_addresses_lower_cased_once_each():
    shouting = ONION_HOST.upper().replace(".ONION", ".onion")
    assert checked_onion_hosts("X", [shouting, ONION_HOST]) == [ONION_HOST]
    assert v3_address(hashlib.sha256(b"safehaven test onion").digest()) == ONION_HOST


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("help.example.org", "does not end in .onion"),
        (f"www.{ONION_HOST}", "has a subdomain"),
        ("expyuzz4wqqyqhjn.onion", "has 16 characters before .onion, not 56"),
        (ONION_HOST.replace("b", "1", 1), "only the letters a-z and the digits 2-7"),
        (ONION_HOST.replace("bsa", "bsb", 1), "has a wrong checksum"),
        (v3_address(bytes(32), version=2), "is a version 2 address, not version 3"),
    ],
)
def test_it_refuses_what_is_not_a_v3_onion_address_saying_why(name: str, message: str):
    with pytest.raises(BadSetting) as refusal:
        checked_onion_hosts("SAFEHAVEN_ONION_HOSTS", [name])
    assert str(refusal.value).startswith(f"SAFEHAVEN_ONION_HOSTS: {name!r} ")
    assert message in str(refusal.value)


def test_it_reads_the_onion_deployment_in_production(tmp_path: Path):
    names = sorted(ONION_DEPLOYMENT)
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}})); "
        "print(settings.MIDDLEWARE[0])"
    )
    environment = production_environment(
        tmp_path, SAFEHAVEN_BEHIND_TLS_PROXY="true", SAFEHAVEN_ONION_HOSTS=ONION_HOST.upper()
    )
    result = manage(environment, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stdout + result.stderr
    read, middleware = result.stdout.splitlines()
    assert json.loads(read) == ONION_DEPLOYMENT
    assert middleware == "safehaven.core.onion.OnionAwareSecurityMiddleware"


def test_it_stops_production_on_a_mistyped_onion_address(tmp_path: Path):
    mistyped = ONION_HOST.replace("bsa", "bsb", 1)
    environment = production_environment(tmp_path, SAFEHAVEN_ONION_HOSTS=mistyped)
    result = manage(environment, "check")
    assert result.returncode != 0
    assert f"SAFEHAVEN_ONION_HOSTS: '{mistyped}' has a wrong checksum" in result.stderr


@pytest.mark.django_db
def test_it_serves_the_onion_over_http_without_redirect_or_hsts():
    with onion_deployment():
        response = Client().get("/en/", headers=through_onion())
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
    assert "Onion-Location" not in response


@pytest.mark.django_db
def test_it_gives_no_hsts_to_an_onion_served_over_https_either():
    with onion_deployment():
        response = Client().get(LOGIN, headers=through_tls(ONION_HOST))
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
    assert "Onion-Location" not in response
    [cookie] = response.cookies.values()
    assert (cookie.key, cookie["secure"]) == ("__Host-csrftoken", True)


@pytest.mark.django_db
def test_it_keeps_the_clear_site_on_https_with_hsts_and_names_the_onion():
    with onion_deployment():
        plain = Client().get("/en/help/?a=1", headers={"host": CLEAR_HOST})
        secure = Client().get("/en/help/?a=1", headers=through_tls())
    assert plain.status_code == 301
    assert plain["Location"] == f"https://{CLEAR_HOST}/en/help/?a=1"
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert secure["Onion-Location"] == f"{ONION_ORIGIN}/en/help/?a=1"
    assert secure.cookies == {}


@pytest.mark.django_db
def test_it_names_no_onion_when_none_is_configured():
    with onion_deployment(), override_settings(ONION_HOSTS=[]):
        response = Client().get("/en/", headers=through_tls())
    assert "Onion-Location" not in response


@pytest.mark.django_db
def test_it_refuses_a_host_that_is_not_allowed_as_before():
    with onion_deployment():
        response = Client().get("/en/", headers={"host": "other.example"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_it_gives_cookies_a_browser_keeps_over_http_on_the_onion():
    with onion_deployment():
        client = Client()
        onion = client.get(LOGIN, headers=through_onion())
        clear = Client().get(LOGIN, headers=through_tls())
    [onion_cookie] = onion.cookies.values()
    assert onion_cookie.key == "onion-host-csrftoken"
    assert (onion_cookie["secure"], onion_cookie["httponly"]) == (False, True)
    assert (onion_cookie["samesite"], onion_cookie["path"], onion_cookie["domain"]) == (
        "Strict",
        "/",
        "",
    )
    [clear_cookie] = clear.cookies.values()
    assert clear_cookie.key == "__Host-csrftoken"
    assert clear_cookie["secure"] is True


def post_login_on_the_onion(client: Client, token: str, **headers: str):
    form = {"login": "nobody@staff.test", "password": "x" * 12, "csrfmiddlewaretoken": token}
    with onion_deployment():
        return client.post(LOGIN, form, headers=through_onion(**headers))


@pytest.mark.django_db
def test_it_passes_the_csrf_check_for_the_onions_own_origin_only():
    with onion_deployment():
        client = Client(enforce_csrf_checks=True)
        client.get(LOGIN, headers=through_onion())
    token = client.cookies["onion-host-csrftoken"].value
    # 200: the form answers (wrong password), no CSRF refusal.
    assert post_login_on_the_onion(client, token, origin=ONION_ORIGIN).status_code == 200
    assert (
        post_login_on_the_onion(client, token, origin="null", sec_fetch_site="same-origin")
    ).status_code == 200
    assert post_login_on_the_onion(client, token, origin=f"https://{ONION_HOST}").status_code == (
        403
    )
    assert post_login_on_the_onion(client, token, origin=f"https://{CLEAR_HOST}").status_code == (
        403
    )


@pytest.mark.django_db
def test_it_ignores_a_prefixed_cookie_sent_over_http_to_the_onion():
    with onion_deployment():
        client = Client(enforce_csrf_checks=True)
        client.get(LOGIN, headers=through_onion())
    token = client.cookies.pop("onion-host-csrftoken").value
    client.cookies["__Host-csrftoken"] = token  # no browser would set it from http
    assert post_login_on_the_onion(client, token, origin=ONION_ORIGIN).status_code == 403


def test_it_opens_the_status_page_and_a_staff_login_over_the_onion(world):
    with onion_deployment():
        requester = Client(headers=through_onion())
        codename = submit_request(requester)
        opened = open_status(requester, codename)
        status = requester.get(opened["Location"])
        staff = log_in(
            world.users["triage"].email,
            TEST_PASSWORD,
            world.totp_secrets["triage"],
            client=Client(headers=through_onion()),
        )
        request_page = staff.get(f"/en/staff/requests/{latest_request().pk}/")
    assert opened["Location"] == "/en/status/request/"
    assert status.status_code == 200
    assert 'id="request-status"' in status.content.decode()
    assert set(requester.cookies) == {"onion-secure-sh_status"}
    assert request_page.status_code == 200
    assert 'id="situation"' in request_page.content.decode()
    assert set(staff.cookies) == {
        "onion-host-safehaven_session",
        "onion-host-csrftoken",
        "onion-host-sh_login_key",
        "messages",
    }
    assert not any(cookie["secure"] for cookie in staff.cookies.values())


def test_it_makes_djangos_deploy_checks_for_its_security_middleware():
    with onion_deployment():
        assert check_security_middleware(None) == []
        with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_PRELOAD=False):
            assert check_security_middleware(None) == [security.W021, security.W008]
        with override_settings(SECURE_HSTS_SECONDS=0):
            assert check_security_middleware(None) == [security.W004]
        without = [path for path in settings.MIDDLEWARE if path != MIDDLEWARE_PATH]
        with override_settings(MIDDLEWARE=without):
            assert check_security_middleware(None) == [security.W001]

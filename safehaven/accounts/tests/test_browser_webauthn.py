"""A member of staff logs in with password and TOTP, enrols a security key through Chromium's
virtual authenticator, logs out, and logs back in with password and key."""

import time
from urllib.parse import urlsplit

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator

from safehaven.accounts.tests.helpers import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGIN_PATH = "/en/accounts/login/"
SECOND_FACTOR_PATH = "/en/accounts/2fa/authenticate/"
REAUTHENTICATE_PATH = "/en/accounts/reauthenticate/"
ADD_KEY_PATH = "/en/accounts/2fa/webauthn/add/"
STAFF_HOME_PATH = "/en/staff/"
# A USB security key that verifies its user (PIN) and is touched as soon as it is asked.
VIRTUAL_SECURITY_KEY = {
    "protocol": "ctap2",
    "transport": "usb",
    "hasResidentKey": False,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}
# allauth accepts only the current TOTP step (MFA_TOTP_TOLERANCE = 0): never type a code
# that expires before the server checks it.
TOTP_SAFETY_SECONDS = 3


def refuse_other_origins(context, live_server_url: str) -> list[str]:
    """Refuse and record every request that does not go to the live server."""
    foreign: list[str] = []
    origin = live_server_url.rstrip("/") + "/"

    def handle(route):
        url = route.request.url
        if url.startswith(origin):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", handle)
    return foreign


def plug_in_security_key(context, page) -> tuple[object, str]:
    """Attach a virtual security key to ``page``; returns the CDP session and its id."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_SECURITY_KEY})
    return cdp, added["authenticatorId"]


def credentials_on_key(cdp, authenticator_id: str) -> list[dict]:
    return cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]


def fresh_totp_code(totp_code, secret: str) -> str:
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < TOTP_SAFETY_SECONDS:
        time.sleep(left + 0.1)
    return totp_code(secret)


def path_of(page) -> str:
    return urlsplit(page.url).path


def submit(page, click) -> None:
    """Click something that submits a form and wait for the page it leads to; a refused
    post (403 from CSRF, 429 from a rate limit) fails here, with the page's text."""
    with page.expect_navigation() as navigation:
        click()
    response = navigation.value
    assert response is not None
    assert response.ok, f"{response.status} at {response.url}: {page.locator('body').inner_text()}"


def log_in_with_password(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}{LOGIN_PATH}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    submit(page, page.get_by_role("button", name="Log in", exact=True).click)
    assert path_of(page) == SECOND_FACTOR_PATH


def enter_totp_code(page, code: str) -> None:
    page.locator("input[name=code]").fill(code)
    submit(page, page.get_by_role("button", name="Sign In").click)


def use_security_key(page) -> None:
    submit(page, page.get_by_role("button", name="Use a security key").click)


def enrol_security_key(page, base_url: str) -> None:
    """Open the security-key page, give the password again if allauth asks, press Add."""
    page.goto(f"{base_url}{ADD_KEY_PATH}")
    if path_of(page) == REAUTHENTICATE_PATH:
        page.locator("input[name=password]").fill(TEST_PASSWORD)
        submit(page, page.locator("main form button[type=submit]").click)
        assert path_of(page) == ADD_KEY_PATH
    submit(page, page.locator("#mfa_webauthn_add").click)


def log_out(page) -> None:
    header = page.locator("header.site-header")
    submit(page, header.get_by_role("button", name="Log out").click)


def assert_on_staff_home(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}{STAFF_HOME_PATH}")
    assert path_of(page) == STAFF_HOME_PATH
    assert f"Hello, {username}" in page.locator("main").inner_text()


def test_it_enrols_a_security_key_and_logs_in_with_it(
    browser_context, live_server, world, totp_code
):
    base_url = live_server.url
    # The WebAuthn relying party id is the request's host, and only localhost (not an IP
    # address) is a valid one on plain http.
    assert urlsplit(base_url).hostname == "localhost"
    foreign = refuse_other_origins(browser_context, base_url)
    page = browser_context.new_page()
    cdp, key_id = plug_in_security_key(browser_context, page)
    user = world.users["caseworker"]

    log_in_with_password(page, base_url, user.email)
    enter_totp_code(page, fresh_totp_code(totp_code, world.totp_secrets["caseworker"]))
    assert_on_staff_home(page, base_url, "caseworker")

    enrol_security_key(page, base_url)
    [credential] = credentials_on_key(cdp, key_id)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count() == 1

    log_out(page)
    page.goto(f"{base_url}{STAFF_HOME_PATH}")
    assert path_of(page) == LOGIN_PATH

    log_in_with_password(page, base_url, user.email)
    use_security_key(page)
    assert_on_staff_home(page, base_url, "caseworker")
    [used] = credentials_on_key(cdp, key_id)
    assert used["signCount"] > credential["signCount"]
    assert foreign == []


def test_it_refuses_a_wrong_totp_code(browser_context, live_server, world, totp_code):
    base_url = live_server.url
    foreign = refuse_other_origins(browser_context, base_url)
    page = browser_context.new_page()
    user = world.users["caseworker"]
    right_code = fresh_totp_code(totp_code, world.totp_secrets["caseworker"])
    wrong_code = f"{(int(right_code) + 1) % 1_000_000:06d}"

    log_in_with_password(page, base_url, user.email)
    enter_totp_code(page, wrong_code)
    assert path_of(page) == SECOND_FACTOR_PATH
    assert "Incorrect code" in page.locator("main").inner_text()

    # Still not logged in: the staff home sends the browser back to the second factor.
    page.goto(f"{base_url}{STAFF_HOME_PATH}")
    assert path_of(page) == SECOND_FACTOR_PATH
    assert "Hello," not in page.locator("main").inner_text()
    assert foreign == []

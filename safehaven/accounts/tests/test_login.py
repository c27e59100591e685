"""Logging in: password, then a second factor; lockout; confinement to MFA set-up."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import NoReverseMatch, reverse

from safehaven.accounts.models import User
from safehaven.accounts.tests.helpers import TEST_PASSWORD, mark_reauthenticated
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN_URL = "/en/accounts/login/"


def post_password(client: Client, email: str, password: str, address: str = "198.51.100.7"):
    return client.post(LOGIN_URL, {"login": email, "password": password}, REMOTE_ADDR=address)


def test_it_logs_in_with_password_then_totp(world, totp_code):
    client = Client()
    user = world.users["caseworker"]
    response = post_password(client, user.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    # Until the second factor is given, nothing behind the login opens.
    assert client.get("/en/staff/").status_code == 302

    response = client.post(
        "/en/accounts/2fa/authenticate/", {"code": totp_code(world.totp_secrets["caseworker"])}
    )
    assert response.status_code == 302
    home = client.get("/en/staff/")
    assert home.status_code == 200
    assert "Hello, caseworker" in home.content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN_SUCCEEDED, actor=user).exists()


def test_it_refuses_a_wrong_totp_code(world):
    client = Client()
    user = world.users["caseworker"]
    post_password(client, user.email, TEST_PASSWORD)
    response = client.post("/en/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get("/en/staff/").status_code == 302


def test_it_locks_the_username_and_address_after_five_failures(world):
    user = world.users["triage"]
    client = Client()
    for _attempt in range(5):
        response = post_password(client, user.email, "wrong password here")
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    lockouts = AuditEvent.objects.filter(event_type=EventType.LOCKOUT)
    assert lockouts.count() == 1
    assert lockouts.get().target_ref == str(user.pk)
    # Even the right password is refused from that address while locked…
    assert post_password(Client(), user.email, TEST_PASSWORD).status_code == 429
    # …but the same account from another address is not locked out.
    elsewhere = post_password(Client(), user.email, TEST_PASSWORD, address="203.0.113.9")
    assert elsewhere.status_code == 302


def test_it_lets_an_admin_unlock(world):
    user = world.users["triage"]
    for _attempt in range(5):
        post_password(Client(), user.email, "wrong password here")
    assert AccessAttempt.objects.exists()
    admin = Client()
    admin.force_login(world.users["admin"])
    mark_reauthenticated(admin, world.users["admin"])
    response = admin.post(f"/en/staff/admin/people/{user.pk}/unlock/")
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert post_password(Client(), user.email, TEST_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(event_type=EventType.LOCKOUT_CLEARED).exists()


def test_it_confines_a_user_without_a_second_factor_to_mfa_setup(world):
    User.objects.create_user("newcomer", "newcomer@staff.test", TEST_PASSWORD)
    client = Client()
    response = post_password(client, "newcomer@staff.test", TEST_PASSWORD)
    assert response.status_code == 302
    response = client.get("/en/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"
    # Adding a factor asks for the password again (a stolen session cannot add one)…
    activate = client.get("/en/accounts/2fa/totp/activate/")
    assert activate["Location"].startswith("/en/accounts/reauthenticate/")
    reauthenticate = client.post(activate["Location"], {"password": TEST_PASSWORD})
    assert reauthenticate.status_code == 302
    # …and then the set-up pages open, while everything else still leads back to them.
    assert client.get("/en/accounts/2fa/totp/activate/").status_code == 200
    assert client.get("/en/accounts/2fa/webauthn/add/").status_code == 200
    assert client.get("/en/staff/admin/people/")["Location"] == "/en/accounts/2fa/totp/activate/"


@pytest.mark.parametrize(
    "url_name",
    [
        "account_signup",
        "account_reset_password",
        "account_reset_password_from_key",
        "account_request_login_code",
        "account_confirm_login_code",
        "mfa_login_webauthn",
        "mfa_signup_webauthn",
        "account_email",
    ],
)
def test_it_has_no_passwordless_login_sign_up_or_reset_routes(url_name):
    with pytest.raises(NoReverseMatch):
        reverse(url_name)


@pytest.mark.parametrize(
    "path",
    [
        "/en/accounts/signup/",
        "/en/accounts/password/reset/",
        "/en/accounts/login/code/",
        "/en/accounts/2fa/webauthn/login/",
    ],
)
def test_it_answers_404_on_removed_routes(client, path):
    assert client.get(path).status_code in {302, 404}
    assert client.get(path, follow=True).status_code == 404


def test_it_clears_the_browser_on_logout(world):
    client = Client()
    client.force_login(world.users["finance"])
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/en/staff/").status_code == 302


def test_it_sends_no_store_on_staff_pages(world):
    client = Client()
    client.force_login(world.users["finance"])
    response = client.get("/en/staff/")
    assert "no-store" in response["Cache-Control"]


def test_it_pauses_the_code_step_after_five_wrong_codes(world, totp_code):
    user = world.users["supervisor"]
    client = Client()
    post_password(client, user.email, TEST_PASSWORD)
    for _attempt in range(5):
        response = client.post("/en/accounts/2fa/authenticate/", {"code": "000000"})
        assert "Incorrect code" in response.content.decode()
    right_code = totp_code(world.totp_secrets["supervisor"])
    response = client.post("/en/accounts/2fa/authenticate/", {"code": right_code})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/en/staff/").status_code == 302
    assert (
        AuditEvent.objects.filter(
            event_type=EventType.MFA_FAILED_RATE_LIMITED, target_ref=str(user.pk)
        ).count()
        == 1
    )


def test_it_ends_idle_sessions_after_thirty_minutes(world):
    client = Client()
    client.force_login(world.users["finance"])
    client.get("/en/staff/")
    assert client.session.get_expiry_age() == 30 * 60
    assert client.session.get_expire_at_browser_close()


def test_it_keeps_no_address_or_browser_for_a_staff_session(world, totp_code):
    from allauth.usersessions.models import UserSession

    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Field phone 7e2")
    user = world.users["caseworker"]
    post_password(client, user.email, TEST_PASSWORD, address="203.0.113.45")
    client.post(
        "/en/accounts/2fa/authenticate/",
        {"code": totp_code(world.totp_secrets["caseworker"])},
        REMOTE_ADDR="203.0.113.45",
    )
    assert client.get("/en/staff/").status_code == 200
    session = UserSession.objects.get(user=user)
    assert session.ip == "::"
    assert session.user_agent == ""
    assert not UserSession.objects.filter(ip="203.0.113.45").exists()
    assert not UserSession.objects.filter(user_agent__contains="7e2").exists()


def test_it_blanks_the_addresses_kept_before_for_staff_sessions(world, totp_code):
    import importlib
    from types import SimpleNamespace

    from allauth.usersessions.models import UserSession
    from django.apps import apps
    from django.db import connection

    client = Client()
    user = world.users["caseworker"]
    post_password(client, user.email, TEST_PASSWORD)
    client.post(
        "/en/accounts/2fa/authenticate/", {"code": totp_code(world.totp_secrets["caseworker"])}
    )
    # As allauth stored them before: update() runs no pre_save receiver.
    UserSession.objects.update(ip="203.0.113.9", user_agent="Old browser 5c1")
    migration = importlib.import_module(
        "safehaven.accounts.migrations.0003_forget_session_addresses"
    )
    migration.forget_session_addresses(apps, SimpleNamespace(connection=connection))
    assert list(UserSession.objects.values_list("ip", "user_agent")) == [("::", "")]

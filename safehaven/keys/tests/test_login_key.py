"""The per-login key: unlocked at the password step, kept half in the session, half in a cookie."""

import time

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import Client, RequestFactory

from safehaven.keys.login_key import (
    SESSION_KEY,
    UNLOCKED_ATTRIBUTE,
    cookie_name,
    forget_login_key,
    pending_login_seconds,
    unlocked_private_key,
)
from safehaven.keys.middleware import LoginKeyMiddleware
from safehaven.keys.tests.helpers import PASSWORD, request_with_session

pytestmark = pytest.mark.django_db
LOGIN_URL = "/en/accounts/login/"


def run_middleware(request, view_response=None):
    return LoginKeyMiddleware(lambda _request: view_response or HttpResponse())(request)


def request_like(client: Client, user):
    """A later request of the browser behind ``client``: its cookies and its session."""
    request = RequestFactory().get("/en/staff/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    request.session = SessionStore(client.cookies["safehaven_session"].value)
    request.user = user
    return request


def test_it_unlocks_the_private_key_at_the_password_step(world):
    worker = world.users["worker"]
    request = request_with_session()
    user = authenticate(request, email=worker.email, password=PASSWORD)
    assert user == worker
    user_id, private_key = getattr(request, UNLOCKED_ATTRIBUTE)
    assert (user_id, private_key) == (worker.pk, world.key("worker"))

    response = run_middleware(request)
    cookie = response.cookies[cookie_name()]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/"
    assert not cookie["max-age"]  # gone when the browser closes
    assert not cookie["expires"]
    assert not hasattr(request, UNLOCKED_ATTRIBUTE)
    blob = request.session[SESSION_KEY]["blob"]
    assert world.key("worker").hex() not in str(request.session.items())
    assert cookie.value not in blob


def test_it_opens_the_key_only_with_both_session_and_cookie(world):
    worker = world.users["worker"]
    client = Client()
    response = client.post(LOGIN_URL, {"login": worker.email, "password": PASSWORD})
    assert response.status_code == 302
    request = request_like(client, worker)
    assert unlocked_private_key(request) == world.key("worker")

    without_cookie = request_like(client, worker)
    without_cookie.COOKIES.pop(cookie_name())
    assert unlocked_private_key(without_cookie) is None

    other_user = request_like(client, world.users["worker2"])
    assert unlocked_private_key(other_user) is None

    worker.is_active = False
    assert unlocked_private_key(request_like(client, worker)) is None


def test_it_forgets_the_key_at_logout(world):
    worker = world.users["worker"]
    client = Client()
    client.post(LOGIN_URL, {"login": worker.email, "password": PASSWORD})
    request = request_like(client, worker)
    response = HttpResponse()
    forget_login_key(request, response)
    assert SESSION_KEY not in request.session
    assert response.cookies[cookie_name()]["max-age"] == 0


def test_it_deletes_the_cookie_of_an_anonymous_request_without_a_waiting_login(world):
    request = RequestFactory().get("/en/")
    request.COOKIES = {cookie_name(): "c29tZXRoaW5n"}
    request.session = SessionStore()
    request.user = AnonymousUser()
    response = run_middleware(request)
    assert response.cookies[cookie_name()]["max-age"] == 0


def test_it_keeps_the_key_between_password_and_second_factor_then_expires_it(world):
    worker = world.users["worker"]
    request = request_with_session()
    authenticate(request, email=worker.email, password=PASSWORD)
    login_cookie = run_middleware(request).cookies[cookie_name()].value

    waiting = RequestFactory().get("/en/accounts/2fa/authenticate/")
    waiting.COOKIES = {cookie_name(): login_cookie}
    waiting.session = request.session
    waiting.user = AnonymousUser()
    assert cookie_name() not in run_middleware(waiting).cookies
    assert SESSION_KEY in waiting.session

    waiting.session[SESSION_KEY]["at"] = int(time.time()) - pending_login_seconds() - 1
    assert run_middleware(waiting).cookies[cookie_name()]["max-age"] == 0
    assert SESSION_KEY not in waiting.session


def test_it_leaves_public_pages_without_any_cookie(world):
    request = RequestFactory().get("/en/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    assert not run_middleware(request).cookies


def test_it_uses_a_secure_host_cookie_in_production(world, settings):
    settings.SESSION_COOKIE_SECURE = True
    request = request_with_session()
    authenticate(request, email=world.users["worker"].email, password=PASSWORD)
    response = run_middleware(request)
    cookie = response.cookies["__Host-sh_login_key"]
    assert cookie["secure"]
    assert cookie["path"] == "/"
    assert not cookie["domain"]

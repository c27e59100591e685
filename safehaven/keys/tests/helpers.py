"""Shared helpers for key-layer tests: users with key pairs, their private keys, the world the
``world`` fixture builds, and a request with a session."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from safehaven.accounts.models import Organisation, Team, User
from safehaven.core.crypto import unprotect_with_password
from safehaven.keys.actions.users import do_create_user_keys
from safehaven.keys.models import UserKeyPair

PASSWORD = "a long test password 7421"


def make_user(username: str, *, password: str = PASSWORD, keys: bool = True) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@staff.test", password=password
    )
    if keys:
        do_create_user_keys(user, password, actor=None)
    return user


def private_key_of(user: User, password: str = PASSWORD) -> bytes:
    pair = UserKeyPair.objects.get(user=user)
    return unprotect_with_password(bytes(pair.protected_private_key), password)


@dataclass
class World:
    organisation: Organisation
    partner: Organisation
    admins: list[User]
    triage: Team
    casework: Team
    partner_team: Team
    users: dict[str, User] = field(default_factory=dict)

    def key(self, name: str) -> bytes:
        return private_key_of(self.users[name])


def request_with_session(path: str = "/en/accounts/login/", **extra: Any) -> HttpRequest:
    request = RequestFactory().post(path, REMOTE_ADDR="198.51.100.9", **extra)
    SessionMiddleware(lambda _request: HttpResponse()).process_request(request)
    return request

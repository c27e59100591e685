"""Fixtures for the key layer: an organisation, three administrators, a team, key pairs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from safehaven.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Team,
    TeamKind,
    User,
)
from safehaven.core.crypto import unprotect_with_password
from safehaven.keys.actions.escrow import do_create_escrow
from safehaven.keys.actions.teams import do_create_team_key
from safehaven.keys.actions.users import do_create_user_keys
from safehaven.keys.models import UserKeyPair
from safehaven.keys.tests.sealed_models import SealedNote, SealedNoteMessage

PASSWORD = "a long test password 7421"
TEST_MODELS = (SealedNote, SealedNoteMessage)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Create the tables of the test-only sealed models (they have no migration)."""
    with django_db_blocker.unblock():
        existing = set(connection.introspection.table_names())
        with connection.schema_editor() as editor:
            for model in TEST_MODELS:
                if model._meta.db_table not in existing:
                    editor.create_model(model)


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


@pytest.fixture
def world(db: Any) -> World:
    organisation = Organisation.objects.create(
        name="Haven", kind=OrganisationKind.RELOCATING, country="NL"
    )
    partner = Organisation.objects.create(name="Partner A", kind=OrganisationKind.PARTNER)
    triage = Team.objects.create(organisation=organisation, name="Triage", kind=TeamKind.TRIAGE)
    casework = Team.objects.create(
        organisation=organisation, name="Casework", kind=TeamKind.CASEWORK
    )
    partner_team = Team.objects.create(organisation=partner, name="A", kind=TeamKind.PARTNER)
    users = {}
    for name in ("admin1", "admin2", "admin3"):
        users[name] = make_user(name)
        Membership.objects.create(user=users[name], organisation=organisation, role=Role.ADMIN)
    for name, team, role in (
        ("triager", triage, Role.TRIAGE),
        ("worker", casework, Role.CASEWORKER),
        ("worker2", casework, Role.CASEWORKER),
        ("partnerer", partner_team, Role.PARTNER),
    ):
        users[name] = make_user(name)
        Membership.objects.create(
            user=users[name], organisation=team.organisation, team=team, role=role
        )
    users["outsider"] = make_user("outsider")
    do_create_escrow(organisation, actor=None)
    for team in (triage, casework, partner_team):
        do_create_team_key(team, actor=None)
    admins = [users["admin1"], users["admin2"], users["admin3"]]
    return World(organisation, partner, admins, triage, casework, partner_team, users)


def request_with_session(path: str = "/en/accounts/login/", **extra: Any) -> HttpRequest:
    request = RequestFactory().post(path, REMOTE_ADDR="198.51.100.9", **extra)
    SessionMiddleware(lambda _request: HttpResponse()).process_request(request)
    return request

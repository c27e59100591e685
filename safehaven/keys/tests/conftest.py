"""Fixtures for the key layer: the tables of the test-only sealed models, and a world of an
organisation, three administrators, teams and key pairs. The plain helpers they use are in
``helpers``."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from safehaven.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Team,
    TeamKind,
)
from safehaven.keys.actions.escrow import do_create_escrow
from safehaven.keys.actions.teams import do_create_team_key
from safehaven.keys.tests.helpers import World, make_user
from safehaven.keys.tests.sealed_models import SealedNote, SealedNoteMessage

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

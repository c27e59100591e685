"""The demo's key material: key pairs, escrow and team keys, created once."""

import pytest

from safehaven.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Team,
    TeamKind,
    User,
)
from safehaven.keys.demo import load_demo_keys
from safehaven.keys.models import EscrowKey, TeamKey, UserKeyPair
from safehaven.keys.tests.helpers import PASSWORD, private_key_of

pytestmark = pytest.mark.django_db


def test_it_creates_demo_keys_once(db):
    organisation = Organisation.objects.create(name="Haven", kind=OrganisationKind.RELOCATING)
    team = Team.objects.create(organisation=organisation, name="Triage", kind=TeamKind.TRIAGE)
    users = {}
    for name in ("admin", "admin2", "triage"):
        users[name] = User.objects.create_user(name, f"{name}@demo.test", PASSWORD)
    for name in ("admin", "admin2"):
        Membership.objects.create(user=users[name], organisation=organisation, role=Role.ADMIN)
    Membership.objects.create(
        user=users["triage"], organisation=organisation, team=team, role=Role.TRIAGE
    )
    passwords = dict.fromkeys(users, PASSWORD)

    lines = load_demo_keys(users, passwords)
    assert any("Escrow key created" in line for line in lines)
    assert UserKeyPair.objects.count() == 3
    assert private_key_of(users["triage"])
    assert TeamKey.objects.filter(team=team, active=True).exists()
    assert load_demo_keys(users, passwords) == []
    assert EscrowKey.objects.count() == 1

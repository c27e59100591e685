"""Build a small organisation with one user per role: used by `make demo` and the test suite."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.db import transaction

from safehaven.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Scope,
    Team,
    TeamKind,
    User,
)
from safehaven.keys.demo import load_demo_keys

STAFF_ROLES = [
    Role.ADMIN,
    Role.TRIAGE,
    Role.CASEWORKER,
    Role.SUPERVISOR,
    Role.FINANCE,
    Role.ADVOCACY,
    Role.INTERPRETER,
]


@dataclass
class SeededWorld:
    organisation: Organisation
    partner_a: Organisation
    partner_b: Organisation
    teams: dict[str, Team]
    users: dict[str, User] = field(default_factory=dict)
    totp_secrets: dict[str, str] = field(default_factory=dict)
    key_notes: list[str] = field(default_factory=list)


def seed_world(*, password_for: dict[str, str], email_domain: str) -> SeededWorld:
    """One relocating organisation, two partner organisations, and users named after their
    role (``admin``, ``admin2``, ``triage``, …, ``partner_a``, ``partner_b``), each with a TOTP
    second factor. Two admins, because escrow needs two."""
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name="Safe Haven", kind=OrganisationKind.RELOCATING, country="CA"
        )
        partner_a = Organisation.objects.create(
            name="Rainbow Network East", kind=OrganisationKind.PARTNER, country="KG"
        )
        partner_b = Organisation.objects.create(
            name="Queer Shelter South", kind=OrganisationKind.PARTNER, country="LB"
        )
        teams = {
            "triage": Team.objects.create(
                organisation=organisation, name="Triage", kind=TeamKind.TRIAGE
            ),
            "casework": Team.objects.create(
                organisation=organisation, name="Casework", kind=TeamKind.CASEWORK
            ),
            "partner_a": Team.objects.create(
                organisation=partner_a, name="Referrals", kind=TeamKind.PARTNER
            ),
            "partner_b": Team.objects.create(
                organisation=partner_b, name="Referrals", kind=TeamKind.PARTNER
            ),
        }
        world = SeededWorld(organisation, partner_a, partner_b, teams)
        # The supervisor reviews triage, so holds the triage team's key too.
        team_for_role = {
            Role.TRIAGE: teams["triage"],
            Role.SUPERVISOR: teams["triage"],
            Role.CASEWORKER: teams["casework"],
        }
        scope_for_role = {
            Role.ADMIN: Scope.ORGANISATION,
            Role.SUPERVISOR: Scope.ORGANISATION,
            Role.FINANCE: Scope.ORGANISATION,
            Role.TRIAGE: Scope.TEAM,
        }
        accounts: list[tuple[str, Organisation, Role, Team | None]] = [
            (role.value, organisation, role, team_for_role.get(role)) for role in STAFF_ROLES
        ]
        accounts.append(("admin2", organisation, Role.ADMIN, None))
        accounts.append(("partner_a", partner_a, Role.PARTNER, teams["partner_a"]))
        accounts.append(("partner_b", partner_b, Role.PARTNER, teams["partner_b"]))
        for username, member_of, role, team in accounts:
            user = User(username=username, email=f"{username}@{email_domain}")
            user.set_password(password_for[username])
            user.save()
            Membership.objects.create(
                user=user,
                organisation=member_of,
                team=team,
                role=role,
                scope=scope_for_role.get(role, Scope.TEAM if team else Scope.OWN),
            )
            secret = generate_totp_secret()
            TOTP.activate(user, secret)
            world.users[username] = user
            world.totp_secrets[username] = secret
        # Key pairs (protected by each password), escrow split between the two admins, and
        # a key for every team, so seeded users can open what is granted to their teams.
        world.key_notes = load_demo_keys(world.users, password_for)
    return world


SEEDED_USERNAMES = [role.value for role in STAFF_ROLES] + ["admin2", "partner_a", "partner_b"]


def current_totp(secret: str) -> str:
    """The code an authenticator app would show now for ``secret`` (demo and tests only)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))

"""The world the authorisation walk runs in, built once per module: the seeded users logged in
for real (keys unlocked), a triage member logged in with their duress password, a suspended
triage member whose browser still holds its session, one help request whose sealed fields
hold sentinels, with a danger check-in, and the rows of ``walk_rows`` (a case, its journey, an
advocacy request and its money), built before anyone logs in."""

from __future__ import annotations

from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import timezone

from safehaven.accounts.models import Membership, Role, User
from safehaven.accounts.reauth import BY_PASSWORD, SECOND_FACTOR
from safehaven.accounts.seed import SEEDED_USERNAMES, SeededWorld, seed_world
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.accounts.tests.logins import log_in
from safehaven.accounts.tests.walk_rows import WalkRows, build_walk_rows
from safehaven.core.crypto import unprotect_with_password
from safehaven.finance.tests.funds_helpers import mark_fresh
from safehaven.intake.models import HelpRequest
from safehaven.intake.referral_codes.actions import do_create_referral_code
from safehaven.intake.tests.helpers import (
    MESSAGE_URL,
    latest_request,
    open_status,
    requester_client,
    submit_request,
)
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.keys.actions.teams import do_add_team_member_key
from safehaven.keys.actions.users import do_create_user_keys
from safehaven.keys.models import UserKeyPair

ANONYMOUS = "anonymous"
DURESS = "triage_under_duress"
SUSPENDED = "suspended_triage"
DURESS_PASSWORD = "a different horse, battery and staple 17"

# Sealed in the walk's help request (its story, a contact detail, a message in its thread):
# none of them may show anywhere but on that request's page, to those who may read it.
SITUATION_SENTINEL = "Sentinel-Story-Quillfeather"
CONTACT_SENTINEL = "@sentinel_walk_heron"
MESSAGE_SENTINEL = "Sentinel-Thread-Brackenridge"
SENTINELS = (SITUATION_SENTINEL, CONTACT_SENTINEL, MESSAGE_SENTINEL)
DANGER_PHRASE = "walk danger lantern"
# The danger notice as the English page shows it: only for triage (issue 14, partners do not
# see danger notices; staff decide whom to tell).
DANGER_NOTICE = "opened their status page with their danger phrase"


@dataclass
class WalkWorld:
    world: SeededWorld
    help_request: HelpRequest
    spare_user: User
    rows: WalkRows
    # The cookies of each role's browser, copied into a fresh client for every request, so a
    # logout or a cookie change in one request leaves the next one as it was.
    cookies: dict[str, SimpleCookie] = field(default_factory=dict)

    def reauthenticate_everyone(self) -> None:
        """As if every logged-in role had just typed their password and a second-factor code
        again (in each role's own session)."""
        for role in self.cookies:
            user = User.objects.get(username=role)
            mark_fresh(self.client(role), user, BY_PASSWORD, SECOND_FACTOR)

    def client(self, role: str) -> Client:
        # Each role from its own address, so that one role's refused logins do not run into
        # the per-address limits for the next.
        number = list(self.cookies).index(role) + 1 if role in self.cookies else 250
        client = Client(REMOTE_ADDR=f"198.51.100.{number}")
        if role != ANONYMOUS:
            for morsel in self.cookies[role].values():
                client.cookies[morsel.key] = morsel.value
        return client


def _triage_member(world: SeededWorld, username: str) -> tuple[User, str]:
    """Another member of the triage team, holding its key (passed on by ``triage``)."""
    user = User.objects.create_user(username, f"{username}@staff.test", TEST_PASSWORD)
    team = world.teams["triage"]
    Membership.objects.create(
        user=user, organisation=world.organisation, team=team, role=Role.TRIAGE
    )
    do_create_user_keys(user, TEST_PASSWORD, actor=user)
    triage = world.users["triage"]
    triage_pair = UserKeyPair.objects.get(user=triage)
    triage_private = unprotect_with_password(
        bytes(triage_pair.protected_private_key), TEST_PASSWORD
    )
    do_add_team_member_key(team, user, triage_private, actor=triage)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def _sentinel_request(world: SeededWorld) -> HelpRequest:
    """Sent through the public form with partner A's referral code; the person writes once
    and then checks in with their danger phrase."""
    code = do_create_referral_code(world.teams["partner_a"], actor=None, code="WALK-A")
    codename = submit_request(
        situation=f"{SITUATION_SENTINEL} wrote this.",
        contact_telegram=CONTACT_SENTINEL,
        referral_code=code,
        checkin_phrase="walk teapot harbour",
        duress_phrase=DANGER_PHRASE,
    )
    written = requester_client(codename).post(MESSAGE_URL, {"body": MESSAGE_SENTINEL})
    assert written.status_code == 302, written.content.decode()[:2000]
    assert open_status(Client(), codename, phrase=DANGER_PHRASE).status_code == 302
    help_request = latest_request()
    assert help_request.referred_by_id == world.partner_a.pk
    return help_request


def build_walk_world() -> WalkWorld:
    world = seed_world(
        password_for=dict.fromkeys(SEEDED_USERNAMES, TEST_PASSWORD), email_domain="staff.test"
    )
    duress_user, duress_secret = _triage_member(world, DURESS)
    suspended_user, suspended_secret = _triage_member(world, SUSPENDED)
    spare_user = User.objects.create_user("spare", "spare@staff.test")
    walk = WalkWorld(
        world=world,
        help_request=_sentinel_request(world),
        spare_user=spare_user,
        rows=build_walk_rows(world),
    )
    for username in SEEDED_USERNAMES:
        user = world.users[username]
        client = log_in(user.email, TEST_PASSWORD, world.totp_secrets[username])
        walk.cookies[username] = client.cookies
    do_set_duress_password(duress_user, DURESS_PASSWORD, actor=duress_user)
    walk.cookies[DURESS] = log_in(duress_user.email, DURESS_PASSWORD, duress_secret).cookies
    suspended_client = log_in(suspended_user.email, TEST_PASSWORD, suspended_secret)
    walk.cookies[SUSPENDED] = suspended_client.cookies
    # Suspended behind the browser's back: the suspension action also ends the person's
    # sessions, but the pages must show nothing to one that survived (a missed row, a race).
    User.objects.filter(pk=suspended_user.pk).update(is_active=False, suspended_at=timezone.now())
    return walk

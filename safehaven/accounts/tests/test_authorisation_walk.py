"""Every URL pattern, every role: the declared outcome, and nothing undeclared.

A new view must add its row to EXPECTATIONS, or this test fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from safehaven.accounts.models import User
from safehaven.core.tests.urlwalk import iter_routes
from safehaven.intake.actions import do_create_help_request
from safehaven.intake.forms import HelpRequestForm
from safehaven.intake.models import HelpRequest
from safehaven.intake.referrals import do_create_referral_code
from safehaven.intake.tests.conftest import valid_post

ANONYMOUS = "anonymous"
STAFF = ["admin", "triage", "caseworker", "supervisor", "finance", "advocacy", "interpreter"]
PARTNERS = ["partner_a", "partner_b"]
ROLES = [ANONYMOUS, *STAFF, *PARTNERS]

OK, LOGIN, FORBIDDEN, NOT_FOUND, REDIRECT, NOT_ALLOWED = 200, "login", 403, 404, 302, 405


@dataclass(frozen=True)
class Expect:
    method: str = "GET"
    outcomes: dict[str, int | str] = field(default_factory=dict)
    kwargs: str = ""  # the name of an example-argument builder below


def everyone(outcome: int | str, **overrides: int | str) -> dict[str, int | str]:
    return {role: overrides.get(role, outcome) for role in ROLES}


def members_only(outcome: int | str, **overrides: int | str) -> dict[str, int | str]:
    return everyone(outcome, **{ANONYMOUS: LOGIN, **overrides})


def admin_only(outcome: int | str = OK) -> dict[str, int | str]:
    return members_only(FORBIDDEN, admin=outcome)


EXPECTATIONS: dict[str, Expect] = {
    # Public pages
    "core-show-landing": Expect(outcomes=everyone(OK)),
    "core-quick-exit": Expect(outcomes=everyone(REDIRECT)),
    "account_login": Expect(outcomes=everyone(REDIRECT, anonymous=OK)),
    "account_logout": Expect(outcomes=members_only(OK, anonymous=REDIRECT)),
    "account_inactive": Expect(outcomes=everyone(OK)),
    # The second-factor step of a login: without a pending login it sends people to log in.
    "mfa_authenticate": Expect(outcomes=everyone(REDIRECT)),
    "intake-show-request-form": Expect(outcomes=everyone(OK)),
    # The requester's status pages: open to anyone with a codename; without a status session
    # (nobody here has one: staff logins are not requester sessions) back to the codename form.
    "intake-open-status": Expect(outcomes=everyone(OK)),
    "intake-show-status": Expect(outcomes=everyone(REDIRECT)),
    # A post to a closed page gets the codename form, with a note and what was typed.
    "intake-send-message": Expect("POST", everyone(OK)),
    "intake-change-contacts": Expect(outcomes=everyone(REDIRECT)),
    "intake-withdraw-request": Expect(outcomes=everyone(REDIRECT)),
    "intake-leave-status": Expect("POST", everyone(REDIRECT)),
    "accounts-accept-invite": Expect(outcomes=everyone(NOT_FOUND), kwargs="unknown_token"),
    # Any staff or partner user
    "accounts-show-home": Expect(outcomes=members_only(OK)),
    "account_reauthenticate": Expect(outcomes=members_only(OK)),
    "accounts-set-duress-password": Expect(outcomes=members_only(OK)),
    # Only members of the triage team may pass its key on; nobody is waiting for it here.
    "accounts-share-team-key": Expect(
        "POST", members_only(NOT_FOUND), kwargs="triage_team_spare_user"
    ),
    "account_change_password": Expect(outcomes=members_only(OK)),
    "mfa_index": Expect(outcomes=members_only(OK)),
    "mfa_reauthenticate": Expect(outcomes=members_only(OK)),
    # Seeded users already have TOTP: activating it again is refused by allauth with a redirect.
    "mfa_activate_totp": Expect(outcomes=members_only(REDIRECT)),
    "mfa_deactivate_totp": Expect(outcomes=members_only(REDIRECT)),
    "mfa_list_webauthn": Expect(outcomes=members_only(OK)),
    "mfa_add_webauthn": Expect(outcomes=members_only(REDIRECT)),
    # Seeded users have no security key yet: nothing to re-authenticate with.
    "mfa_reauthenticate_webauthn": Expect(outcomes=members_only(REDIRECT)),
    # Changing a security key needs a fresh re-authentication first.
    "mfa_remove_webauthn": Expect(outcomes=members_only(REDIRECT), kwargs="unknown_pk"),
    "mfa_edit_webauthn": Expect(outcomes=members_only(REDIRECT), kwargs="unknown_pk"),
    # Seeded users have no recovery codes yet; generating them needs re-authentication.
    "mfa_view_recovery_codes": Expect(outcomes=members_only(NOT_FOUND)),
    "mfa_generate_recovery_codes": Expect(outcomes=members_only(REDIRECT)),
    "mfa_download_recovery_codes": Expect(outcomes=members_only(NOT_FOUND)),
    # Help requests: triage sees all, a partner only its own referrals (partner B gets 404 for
    # partner A's), everyone else 403. An empty post re-shows the page with the form's errors.
    "intake-list-requests": Expect(outcomes=members_only(FORBIDDEN, triage=OK, supervisor=OK)),
    "intake-list-referrals": Expect(outcomes=members_only(FORBIDDEN, partner_a=OK, partner_b=OK)),
    "intake-show-request": Expect(
        outcomes=members_only(
            FORBIDDEN, triage=OK, supervisor=OK, partner_a=OK, partner_b=NOT_FOUND
        ),
        kwargs="partner_a_referral",
    ),
    "intake-reply-to-request": Expect(
        "POST", members_only(FORBIDDEN, triage=OK, supervisor=OK), kwargs="partner_a_referral"
    ),
    "intake-change-request-status": Expect(
        "POST", members_only(FORBIDDEN, triage=OK, supervisor=OK), kwargs="partner_a_referral"
    ),
    # Administrators
    "accounts-list-staff": Expect(outcomes=admin_only()),
    "accounts-invite-staff": Expect(outcomes=admin_only()),
    "accounts-list-organisations": Expect(outcomes=admin_only()),
    "accounts-show-audit-log": Expect(outcomes=admin_only()),
    "accounts-show-user": Expect(outcomes=admin_only(), kwargs="triage_user"),
    "accounts-suspend-user": Expect("POST", admin_only(REDIRECT), kwargs="spare_user"),
    "accounts-reinstate-user": Expect("POST", admin_only(REDIRECT), kwargs="spare_user"),
    # Resetting a password needs a fresh re-authentication first.
    "accounts-reset-password": Expect("POST", admin_only(REDIRECT), kwargs="spare_user"),
    "accounts-unlock-user": Expect("POST", admin_only(REDIRECT), kwargs="spare_user"),
    # Without a valid second administrator the form is refused and the page reloads.
    "accounts-restore-after-duress": Expect("POST", admin_only(REDIRECT), kwargs="spare_user"),
    "accounts-revoke-invite": Expect("POST", admin_only(NOT_FOUND), kwargs="unknown_invite"),
    "accounts-remove-membership": Expect(
        "POST", admin_only(NOT_FOUND), kwargs="unknown_membership"
    ),
}


def spare_user() -> User:
    user, _created = User.objects.get_or_create(
        username="spare", defaults={"email": "spare@staff.test"}
    )
    return user


def partner_a_referral(world) -> int:
    """A help request referred by partner A, stored through the real action."""
    code = do_create_referral_code(world.teams["partner_a"], actor=None, code="WALK-A")
    form = HelpRequestForm(valid_post(referral_code=code))
    assert form.is_valid()
    do_create_help_request(form.to_draft())
    return HelpRequest.objects.get(referred_by=world.partner_a).pk


def example_kwargs(name: str, world) -> dict[str, object]:
    if name == "partner_a_referral":
        return {"request_id": partner_a_referral(world)}
    builders: dict[str, dict[str, object]] = {
        "": {},
        "unknown_token": {"token": "no-such-invitation"},
        "unknown_pk": {"pk": 999999},
        "triage_user": {"user_id": world.users["triage"].pk},
        # Actions that suspend or reset someone act on a user outside the walking roles.
        "spare_user": {"user_id": spare_user().pk},
        "unknown_invite": {"invite_id": 999999},
        "triage_team_spare_user": {"team_id": world.teams["triage"].pk, "user_id": 999999},
        "unknown_membership": {"membership_id": 999999},
    }
    return builders[name]


def client_for(role: str, world) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(User.objects.get(pk=world.users[role].pk))
    return client


def test_it_declares_an_outcome_for_every_url_pattern():
    names = {route.name for route in iter_routes()}
    undeclared = names - set(EXPECTATIONS)
    assert not undeclared, f"declare who may open these views: {sorted(undeclared)}"
    stale = set(EXPECTATIONS) - names
    assert not stale, f"expectations for views that no longer exist: {sorted(stale)}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
def test_it_gives_each_role_its_declared_outcome(url_name: str, world):
    expect = EXPECTATIONS[url_name]
    assert set(expect.outcomes) == set(ROLES), f"{url_name}: declare every role"
    url = reverse(url_name, kwargs=example_kwargs(expect.kwargs, world))
    failures = []
    for role in ROLES:
        client = client_for(role, world)
        response = client.post(url) if expect.method == "POST" else client.get(url)
        wanted = expect.outcomes[role]
        if wanted == LOGIN:
            got_login = response.status_code == 302 and "/accounts/login/" in response["Location"]
            if not got_login:
                failures.append(f"{role}: wanted login redirect, got {response.status_code}")
        elif response.status_code != wanted:
            failures.append(f"{role}: wanted {wanted}, got {response.status_code}")
    assert not failures, f"{url_name} ({url}): " + "; ".join(failures)

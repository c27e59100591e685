"""The copy of the active keys each app server keeps for intake: a stale copy costs a retry,
never a request wrapped to a key that is no longer active, and a copy without escrow or a
referring team's key is read again before a request is refused."""

import pytest

from safehaven.accounts.models import Team, TeamKind
from safehaven.intake import actions
from safehaven.intake.actions import IntakeUnavailable, do_create_help_request
from safehaven.intake.recipients import current_keys, recipients
from safehaven.intake.referrals import do_create_referral_code, find_referral_code
from safehaven.intake.tests.conftest import latest_request, private_key
from safehaven.intake.tests.test_short_transaction import draft, team_wrap_keys
from safehaven.keys.actions import do_create_team_key, do_rotate_team_key
from safehaven.keys.models import TeamKey
from safehaven.keys.records import can_open

pytestmark = pytest.mark.django_db


def count_seals(monkeypatch) -> list[int]:
    real = actions._seal_request
    calls: list[int] = []

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "_seal_request", counted)
    return calls


def test_it_reuses_its_copy_of_the_keys_while_they_do_not_change(world, monkeypatch):
    do_create_help_request(draft())
    copy = current_keys()
    calls = count_seals(monkeypatch)
    do_create_help_request(draft())
    assert calls == [1]
    assert current_keys() is copy


def test_it_wraps_again_when_another_server_rotated_a_key_since_its_copy(world, monkeypatch):
    do_create_help_request(draft())  # this app server now holds a copy with the old key
    stale = current_keys()
    # Another app server rotates: nothing here is told.
    do_rotate_team_key(world.teams["triage"], None, actor=None)
    assert current_keys() is stale
    calls = count_seals(monkeypatch)
    do_create_help_request(draft())
    assert len(calls) == 2
    new_key = TeamKey.objects.get(team=world.teams["triage"], active=True)
    stored = latest_request()
    assert team_wrap_keys(stored) == {new_key.pk}
    assert can_open(stored.record_id, user=world.users["triage"], private_key=private_key("triage"))
    assert current_keys() is not stale


def test_it_reads_the_keys_again_before_refusing_for_want_of_escrow(db, request):
    with pytest.raises(IntakeUnavailable):
        do_create_help_request(draft())  # no keys at all yet: the copy has no escrow
    assert current_keys().escrow is None
    request.getfixturevalue("world")  # keys and escrow made, as by another process
    assert do_create_help_request(draft()).codename
    assert current_keys().escrow is not None


def test_it_reads_the_keys_again_for_a_partner_team_keyed_since_its_copy(world):
    partner = world.teams["partner_a"]
    team = Team.objects.create(
        organisation=partner.organisation, name="Second referrals", kind=TeamKind.PARTNER
    )
    code = do_create_referral_code(team, actor=None, code="TEST-NEW")
    referral = find_referral_code(code)
    assert referral is not None
    copy = current_keys()
    assert all(key.team_id != team.pk for key in copy.team_keys)
    do_create_team_key(team, actor=None)  # as by another app server
    to = recipients(referral)
    assert team.pk in {key.team_id for key in to.team_keys}

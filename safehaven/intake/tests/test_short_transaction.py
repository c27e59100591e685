"""Storing a request keeps its write transaction short: lookups, wrapping and sealing happen
before it, and the proof-of-work stamp is marked used inside it. Whatever happens between the
two steps (a team key rotated, the stamp used by another app server) is caught inside."""

import pytest
from django.db import transaction
from django.test import Client

from safehaven.accounts.models import Team, TeamKind
from safehaven.core.public_forms.models import SpentStamp
from safehaven.core.public_forms.proof_of_work import (
    SPENT,
    SpentStamps,
    Stamp,
    Verdict,
    claim_checked,
    redeem_stamp,
)
from safehaven.core.public_forms.rate_limits import RateLimited
from safehaven.intake.models import HelpRequest
from safehaven.intake.submission import actions
from safehaven.intake.submission.actions import do_receive_help_request
from safehaven.intake.submission.forms import HelpRequestForm
from safehaven.intake.tests.helpers import (
    latest_request,
    private_key,
    rate_limits,
    stamp_fields,
    valid_post,
)
from safehaven.keys.actions.teams import do_create_team_key, do_rotate_team_key
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind, TeamKey
from safehaven.keys.records import can_open

pytestmark = pytest.mark.django_db
URL = "/en/help/"


def draft():
    form = HelpRequestForm(valid_post())
    assert form.is_valid(), form.errors
    return form.to_draft()


def a_stamp() -> Stamp:
    fields = stamp_fields()
    return Stamp(fields["pow_challenge"], fields["pow_counter"])


def team_wrap_keys(help_request: HelpRequest) -> set[int | None]:
    wraps = RecordKeyWrap.objects.filter(
        record_key__record_id=help_request.record_id, kind=RecordWrapKind.TEAM
    )
    return set(wraps.values_list("team_key_id", flat=True))


def between_sealing_and_storing(monkeypatch, change) -> list[int]:
    """Run ``change`` once, after the request is wrapped and before it is stored."""
    real = actions._seal_request
    calls: list[int] = []

    def seal_then_change(*args, **kwargs):
        sealed = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            change()
        return sealed

    monkeypatch.setattr(actions, "_seal_request", seal_then_change)
    return calls


def test_it_wraps_again_when_a_team_key_was_rotated_meanwhile(world, monkeypatch):
    old_key = TeamKey.objects.get(team=world.teams["triage"], active=True)
    calls = between_sealing_and_storing(
        monkeypatch, lambda: do_rotate_team_key(world.teams["triage"], None, actor=None)
    )
    actions.do_create_help_request(draft())
    new_key = TeamKey.objects.get(team=world.teams["triage"], active=True)
    assert new_key != old_key
    assert len(calls) == 2
    stored = latest_request()
    assert team_wrap_keys(stored) == {new_key.pk}
    assert can_open(stored.record_id, user=world.users["triage"], private_key=private_key("triage"))


def test_it_wraps_again_when_a_triage_team_got_a_key_meanwhile(world, monkeypatch):
    second = Team.objects.create(
        organisation=world.teams["triage"].organisation, name="Night triage", kind=TeamKind.TRIAGE
    )
    calls = between_sealing_and_storing(monkeypatch, lambda: do_create_team_key(second, actor=None))
    actions.do_create_help_request(draft())
    assert len(calls) == 2
    assert team_wrap_keys(latest_request()) == set(
        TeamKey.objects.filter(team__kind=TeamKind.TRIAGE, active=True).values_list("pk", flat=True)
    )


def test_it_gives_up_kindly_when_the_keys_keep_changing(world, monkeypatch):
    real = actions._seal_request

    def always_rotating(*args, **kwargs):
        sealed = real(*args, **kwargs)
        do_rotate_team_key(world.teams["triage"], None, actor=None)
        return sealed

    monkeypatch.setattr(actions, "_seal_request", always_rotating)
    with pytest.raises(actions.IntakeUnavailable):
        actions.do_create_help_request(draft())
    assert HelpRequest.objects.count() == 0


def test_it_marks_the_stamp_in_the_transaction_that_stores_the_request(world, monkeypatch):
    stamp = a_stamp()
    seen: list[tuple[bool, bool]] = []
    real = actions.settle_claim

    def settle(claim):
        settled = real(claim)
        seen.append((transaction.get_connection().in_atomic_block, settled))
        return settled

    monkeypatch.setattr(actions, "settle_claim", settle)
    do_receive_help_request(draft(), stamp=stamp, client="192.0.2.1")
    assert seen == [(True, True)]
    SPENT.clear()  # another app server: its own memory, the same database
    assert redeem_stamp(stamp) is Verdict.REPLAYED


def test_it_counts_a_stamp_used_meanwhile_by_another_server_as_none(world, settings, monkeypatch):
    settings.INTAKE_RATE_LIMITS = rate_limits(
        submit_with_pow=(5, 3600), submit_without_pow=(1, 3600)
    )

    def claim_then_other_server_redeems(checked, **kwargs):
        claim = claim_checked(checked, **kwargs)
        SpentStamps().record(claim.nonce or "")
        return claim

    monkeypatch.setattr(actions, "claim_checked", claim_then_other_server_redeems)
    receipt = do_receive_help_request(draft(), stamp=a_stamp(), client="192.0.2.1")
    assert receipt.codename
    assert HelpRequest.objects.count() == 1
    # It was counted as a request without a stamp: that budget (1) is now used up.
    with pytest.raises(RateLimited):
        do_receive_help_request(draft(), stamp=a_stamp(), client="192.0.2.1")
    assert HelpRequest.objects.count() == 1


def test_it_marks_the_stamp_used_when_the_request_is_refused(client: Client, settings):
    # No keys are set up (no world), so a request that gets through is refused (503).
    fields = stamp_fields()
    response = client.post(URL, valid_post() | fields)
    assert response.status_code == 503
    assert HelpRequest.objects.count() == 0
    SPENT.clear()  # another app server: its own memory, the same database
    assert redeem_stamp(Stamp(fields["pow_challenge"], fields["pow_counter"])) is Verdict.REPLAYED


def test_it_takes_nothing_from_a_sender_over_the_limit(client: Client, settings, world):
    settings.INTAKE_RATE_LIMITS = rate_limits(
        submit_with_pow=(0, 3600), submit_without_pow=(0, 3600)
    )
    fields = stamp_fields()
    response = client.post(URL, valid_post() | fields)
    assert response.status_code == 429
    assert HelpRequest.objects.count() == 0
    # Neither memory nor the database holds the stamp: the person may send it again later.
    assert len(SPENT._expiry) == 0
    assert not SpentStamp.objects.exists()
    assert redeem_stamp(Stamp(fields["pow_challenge"], fields["pow_counter"])) is Verdict.ACCEPTED

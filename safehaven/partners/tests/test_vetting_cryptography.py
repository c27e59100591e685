"""After a suspension, a member of the suspended partner opens nothing made after it, even with
a copy of the whole database, their own password, and the team private key they held before
(kept from a session or an older copy): proved by trying every wrap, not by asking the app."""

from __future__ import annotations

import pytest

from safehaven.accounts.models import User
from safehaven.cases.opening.actions import CallDetails, do_open_case_from_call
from safehaven.intake.models import ReferralCode
from safehaven.intake.referral_codes.actions import do_create_referral_code
from safehaven.intake.submission.recipients import current_keys
from safehaven.intake.tests.helpers import latest_request, submit_request
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind, TeamKey, TeamKeyWrap
from safehaven.keys.public_key_tags import OLDER_VERSION_ACTIVE
from safehaven.partners.tests.vetting_helpers import (
    last_record_key_pk,
    member_private_key,
    record_ids_after,
    records_opened,
    team_keys_opened_by,
)
from safehaven.partners.vetting.actions import do_suspend_partner

CODE = "ALPHA-CODE-7"


def _open_a_case(world) -> None:
    details = CallDetails(
        country="RU",
        languages=["ru"],
        summary="Called from a neighbour's phone.",
        region="",
        citizenships="RU",
        contacts="",
        risk_score=50,
    )
    do_open_case_from_call(details, reason="A call.", actor=world.users["triage"])


@pytest.mark.django_db
def test_a_suspended_member_opens_nothing_made_after_with_a_database_copy(world):
    member = world.users["partner_a"]
    do_create_referral_code(world.teams["partner_a"], actor=None, code=CODE)
    submit_request(referral_code=CODE)
    before = latest_request()
    # What the member holds before: their key (their password) and, through it, the team's.
    private = member_private_key(member)
    kept_team_keys = team_keys_opened_by(member, private)
    assert len(kept_team_keys) == 1
    # The method can tell: before the suspension the member opens the referral and its thread.
    assert records_opened(
        [before.record_id, before.message_record_id], member, private, kept_team_keys
    ) == [before.record_id, before.message_record_id]
    # This app server's copy of the keys still holds partner A's key when it is retired.
    assert any(key.team_id == world.teams["partner_a"].pk for key in current_keys().team_keys)
    last_before = last_record_key_pk()

    do_suspend_partner(world.partner_a, actor=world.users["admin"])

    # After: a person types the revoked code; a database writer even brings the code back to
    # life; a request comes without a code; triage opens a case.
    submit_request(referral_code=CODE)
    with_revoked_code = latest_request()
    ReferralCode.objects.filter(organisation=world.partner_a).update(revoked_at=None)
    submit_request(referral_code=CODE)
    with_revived_code = latest_request()
    submit_request()
    _open_a_case(world)
    assert with_revoked_code.referred_by_id is None
    made_after = record_ids_after(last_before)
    assert with_revoked_code.record_id in made_after
    assert with_revived_code.record_id in made_after
    assert len(made_after) >= 7  # three requests and their threads, and the case's records

    # The attacker: a copy of the database now, and the member's password.
    member = User.objects.get(pk=member.pk)
    private = member_private_key(member)
    assert team_keys_opened_by(member, private) == {}
    assert not TeamKeyWrap.objects.filter(user=member).exists()
    # Nothing made after the suspension opens with the member's key or the team key they kept,
    # nor is wrapped to the partner's team.
    assert records_opened(made_after, member, private, kept_team_keys) == []
    assert not RecordKeyWrap.objects.filter(
        record_key__record_id__in=made_after,
        kind=RecordWrapKind.TEAM,
        team=world.teams["partner_a"],
    ).exists()
    assert not TeamKey.objects.filter(team=world.teams["partner_a"], active=True).exists()
    # Nor does the referral from before, in a copy taken after: its wraps to the team are gone
    # (what the member read before cannot be taken back; docs/partners.md).
    assert (
        records_opened(
            [before.record_id, before.message_record_id], member, private, kept_team_keys
        )
        == []
    )


@pytest.mark.django_db
def test_partner_b_still_opens_what_it_is_sent(world):
    do_create_referral_code(world.teams["partner_b"], actor=None, code="BRAVO-CODE-7")
    do_suspend_partner(world.partner_a, actor=world.users["admin"])
    submit_request(referral_code="BRAVO-CODE-7")
    referral = latest_request()

    member = world.users["partner_b"]
    private = member_private_key(member)
    team_keys = team_keys_opened_by(member, private)
    assert records_opened([referral.record_id], member, private, team_keys) == [referral.record_id]


@pytest.mark.django_db
def test_a_database_writer_cannot_bring_the_retired_team_key_back(world, caplog):
    """The active flag is not covered by a key's tag. A writer (perhaps the suspended member,
    who kept the team's private key) marks the retired version active again and revives the
    code: intake leaves that key out as older than the version that closed it, with an alarm;
    marking the closing version active instead wraps to a key nobody holds."""
    member = world.users["partner_a"]
    team = world.teams["partner_a"]
    do_create_referral_code(team, actor=None, code=CODE)
    kept_team_keys = team_keys_opened_by(member, member_private_key(member))
    do_suspend_partner(world.partner_a, actor=world.users["admin"])
    versions = list(TeamKey.objects.filter(team=team).order_by("version"))
    ReferralCode.objects.filter(organisation=world.partner_a).update(revoked_at=None)

    made_after = []
    for brought_back in versions:  # the retired one, then the one that closed it
        TeamKey.objects.filter(team=team).update(active=False)
        TeamKey.objects.filter(pk=brought_back.pk).update(active=True)
        last_before = last_record_key_pk()
        submit_request(referral_code=CODE)
        made_after += record_ids_after(last_before)

    member = User.objects.get(pk=member.pk)
    assert records_opened(made_after, member, member_private_key(member), kept_team_keys) == []
    assert f"teamkey #{versions[0].pk} {OLDER_VERSION_ACTIVE}" in caplog.text

"""Referral codes: created for a partner team that has a key, shown once, stored as an HMAC
only; at intake, a code whose team has no key is treated like an unknown one."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from safehaven.accounts.models import Team, TeamKind
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.keyed_digests import referral_code_hash
from safehaven.intake.models import HelpRequest, ReferralCode
from safehaven.intake.referral_codes.actions import ReferralCodeRefused, do_create_referral_code
from safehaven.intake.submission.referral_lookup import find_referral_code
from safehaven.intake.tests.helpers import codename_from, stamp_fields, valid_post
from safehaven.keys.actions.teams import do_create_team_key
from safehaven.keys.models import RecordKeyWrap, TeamKey

pytestmark = pytest.mark.django_db


def test_it_makes_a_random_code_and_keeps_only_its_hash(world):
    code = do_create_referral_code(world.teams["partner_a"], actor=world.users["admin"])
    assert len(code) == 14
    referral = ReferralCode.objects.get()
    assert code not in referral.code_hash
    assert referral.organisation == world.partner_a
    assert find_referral_code(f"  {code.lower()} ") == referral
    event = AuditEvent.objects.get(event_type=EventType.ORGANISATION_CHANGED)
    assert event.detail == "referral code added"
    assert code not in event.detail


def test_it_refuses_a_code_for_a_team_that_is_no_partner(world):
    with pytest.raises(ReferralCodeRefused):
        do_create_referral_code(world.teams["triage"], actor=None)


def test_it_refuses_a_code_that_exists(world):
    do_create_referral_code(world.teams["partner_a"], actor=None, code="SAME-CODE")
    with pytest.raises(ReferralCodeRefused):
        do_create_referral_code(world.teams["partner_b"], actor=None, code="same-code")


def test_it_creates_a_code_from_the_command(world):
    out = StringIO()
    call_command("create_referral_code", str(world.teams["partner_b"].pk), stdout=out)
    code = out.getvalue().strip().rsplit(" ", 1)[1]
    referral = find_referral_code(code)
    assert referral is not None
    assert referral.organisation == world.partner_b
    with pytest.raises(CommandError):
        call_command("create_referral_code", str(world.teams["triage"].pk), stdout=StringIO())


NO_KEY_MESSAGE = (
    "This team has no key yet, so it could not read the requests its code brings: create its "
    "key first (manage.py init_keys)."
)


def new_partner_team(world) -> Team:
    return Team.objects.create(
        organisation=world.partner_b, name="Night referrals", kind=TeamKind.PARTNER
    )


@pytest.mark.parametrize("key", ["never made", "made and set inactive by hand"])
def test_it_refuses_a_code_for_a_team_without_an_active_key_and_saves_nothing(world, key):
    team = new_partner_team(world)
    if key != "never made":
        do_create_team_key(team, actor=None)
        TeamKey.objects.filter(team=team).update(active=False)
    events = AuditEvent.objects.count()
    with pytest.raises(ReferralCodeRefused) as refusal:
        do_create_referral_code(team, actor=world.users["admin"], code="NIGHT-CODE")
    assert str(refusal.value) == NO_KEY_MESSAGE
    assert not ReferralCode.objects.exists()
    assert AuditEvent.objects.count() == events


def test_it_creates_the_code_once_the_team_has_a_key(world):
    team = new_partner_team(world)
    with pytest.raises(ReferralCodeRefused):
        do_create_referral_code(team, actor=None, code="NIGHT-CODE")
    do_create_team_key(team, actor=None)
    code = do_create_referral_code(team, actor=None, code="NIGHT-CODE")
    referral = find_referral_code(code)
    assert referral is not None
    assert referral.team == team


def test_it_tells_the_command_user_why_a_team_without_a_key_gets_no_code(world):
    team = new_partner_team(world)
    out = StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command("create_referral_code", str(team.pk), stdout=out)
    assert str(refusal.value) == NO_KEY_MESSAGE
    assert out.getvalue() == ""
    assert not ReferralCode.objects.exists()


# At intake. Codes made before the check above (or a team whose key was set inactive by hand)
# may still be handed out.

KEYLESS_CODE = "OLDC-ODE2-345"
SITUATION = "Sentinel-Referral-Situation: they came to my flat."


def keyless_code(world) -> Team:
    team = new_partner_team(world)
    ReferralCode.objects.create(
        code_hash=referral_code_hash(KEYLESS_CODE), organisation=team.organisation, team=team
    )
    return team


def receipt_without_what_differs(response) -> tuple[int, list[str], str]:
    html = response.content.decode()
    codename_from(html)  # a receipt, with a codename
    # The codename and the CSP nonce differ on every receipt; nothing else may.
    html = html.split('class="codename"')[0] + html.split("</ol>", 1)[1]
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return response.status_code, sorted(response.headers), html


def test_it_answers_a_code_whose_team_has_no_key_exactly_like_an_unknown_code(world):
    keyless_code(world)
    pages = []
    for code in ("NOSU-CHCO-DE99", KEYLESS_CODE.lower()):
        response = Client().post(
            "/en/help/", valid_post(referral_code=code, situation=SITUATION) | stamp_fields()
        )
        pages.append(receipt_without_what_differs(response))
    assert pages[0] == pages[1]
    assert pages[0][0] == 200
    unknown, keyless = HelpRequest.objects.order_by("pk")
    # Stored alike: for triage and escrow (and the codename), referred by nobody.
    assert (unknown.referred_by, keyless.referred_by) == (None, None)

    def readers(help_request):
        wraps = RecordKeyWrap.objects.filter(record_key__record_id=help_request.record_id)
        return sorted(wraps.values_list("kind", "team_id"), key=str)

    assert readers(keyless) == readers(unknown)
    assert {team_id for _kind, team_id in readers(keyless)} == {None, world.teams["triage"].pk}
    received = AuditEvent.objects.filter(event_type=EventType.REQUEST_RECEIVED)
    assert list(received.values_list("organisation_id", flat=True)) == [None, None]


def test_it_tells_the_operators_which_team_has_no_key_and_nothing_of_the_person(world, caplog):
    team = keyless_code(world)
    response = Client().post(
        "/en/help/", valid_post(referral_code=KEYLESS_CODE, situation=SITUATION) | stamp_fields()
    )
    codename = codename_from(response.content.decode())
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert [record.getMessage() for record in errors] == [
        f"a referral code of team #{team.pk} (organisation #{team.organisation_id}) was used, "
        "but the team has no key: the code counts as unknown, the request goes to triage only. "
        "Create the team's key (manage.py init_keys)."
    ]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (KEYLESS_CODE, codename, "Sentinel-Referral", "+7 912"):
        assert secret not in logged


def test_it_takes_the_code_again_once_its_team_has_a_key(world):
    team = keyless_code(world)
    assert find_referral_code(KEYLESS_CODE) is None  # this app server's copy: no key
    do_create_team_key(team, actor=None)  # as on another app server: the copy is read again
    referral = find_referral_code(KEYLESS_CODE)
    assert referral is not None
    assert referral.team == team

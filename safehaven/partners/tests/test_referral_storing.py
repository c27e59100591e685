"""A partner's own referral: sealed like a public request with the partner's referral code
(triage, the partner's team, escrow), but with no codename anywhere, and audited by ids."""

from datetime import timedelta

import pytest
from django.utils import timezone

from safehaven.accounts.models import User
from safehaven.core.crypto_blind_index import BlindIndexKind
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import ContactHint, HelpRequest
from safehaven.intake.submission.contact_hints import name_hint, replace_contact_hints
from safehaven.intake.submission.sealing import read_details
from safehaven.intake.tests.helpers import opened_record, opened_request, private_key
from safehaven.intake.tests.test_request_place import record_crisis
from safehaven.intake.tests.test_short_transaction import team_wrap_keys
from safehaven.keys.actions.teams import do_rotate_team_key
from safehaven.keys.models import RecordWrapKind, TeamKey
from safehaven.keys.records import can_open
from safehaven.partners.models import ApiToken
from safehaven.partners.referrals import actions
from safehaven.partners.referrals.actions import do_refer_person
from safehaven.partners.tests.referral_helpers import refer, referral_draft, wrap_kinds

pytestmark = pytest.mark.django_db


def test_it_wraps_a_referral_to_triage_the_partner_team_and_escrow_never_a_codename(world):
    help_request = refer(world)
    expected = sorted(
        [
            (RecordWrapKind.ESCROW, None),
            (RecordWrapKind.TEAM, world.teams["triage"].pk),
            (RecordWrapKind.TEAM, world.teams["partner_a"].pk),
        ]
    )
    assert wrap_kinds(help_request.record_id) == expected
    assert wrap_kinds(help_request.thread_record_id) == expected
    stored = HelpRequest.objects.get(pk=help_request.pk)
    assert stored.codename_hash is None
    assert stored.status_code_expires_at is None
    assert stored.referred_by == world.partner_a
    assert stored.channel == RequestChannel.PORTAL
    assert not stored.has_checkin_phrase


def test_it_opens_for_triage_and_the_partner_team_but_not_for_partner_b(world):
    help_request = refer(world, known_as="Wyvern Astrakhova")
    for reader in ("triage", "partner_a"):
        opened = opened_request(help_request, reader)
        assert opened.sealed("known_as") == "Wyvern Astrakhova"
        details = read_details(opened)
        assert details.situation == "Detained twice; her family threatens her."
        assert details.contacts == {"signal": "+7 912 345-67-89"}
        assert details.companions == 1
        assert details.language_other == ""
        assert not details.has_danger_phrase  # a random stand-in, like the public form's
    partner_b = User.objects.get(username="partner_b")
    assert not can_open(
        help_request.record_id, user=partner_b, private_key=private_key("partner_b")
    )


def test_it_keeps_curated_languages_in_clear_and_seals_the_others(world):
    help_request = refer(world, languages="RU ky,en")
    assert HelpRequest.objects.get(pk=help_request.pk).languages == ["ru", "en"]
    assert read_details(opened_request(help_request)).language_other == "ky"


def test_it_scores_the_risk_and_tags_the_crisis_as_the_public_form_does(world):
    chechnya = record_crisis(world, "RU", regions=["RU-CE"])
    alone = {"risk_indicators": "detained", "companions": ""}
    in_chechnya = refer(world, region="chechnya", **alone)
    in_moscow = refer(world, region="Moscow", **alone)
    # The public form's figures for the same places and box (intake's test_request_place).
    assert (in_chechnya.risk_score, in_moscow.risk_score) == (60, 20)
    assert (in_chechnya.crisis, in_moscow.crisis) == (chechnya, None)
    assert opened_request(in_chechnya).sealed("place_region") == "RU-CE"
    assert opened_request(in_moscow).sealed("region") == "Moscow"


def test_it_stores_a_name_hint_that_ignores_case_spaces_accents_and_dashes(world):
    first = refer(world, known_as="Anna-Maria  PÉREZ", contact_method="", contact="")
    second = refer(world, known_as="anna maria perez", contact_method="", contact="")
    hints = ContactHint.objects.filter(help_request__in=[first, second], kind="name")
    assert hints.count() == 2
    assert len(set(hints.values_list("index", flat=True))) == 1
    index = hints.values_list("index", flat=True).first()
    assert name_hint("Anna-Maria Pérez") == (BlindIndexKind.NAME.value, index)
    # New contact details from the person replace the contact hints, not the name's.
    replace_contact_hints(first, {"email": "anna@example.org"})
    assert set(first.contact_hints.values_list("kind", flat=True)) == {"name", "email"}


def test_it_records_one_event_naming_the_member_and_ids_only(world):
    help_request = refer(world, known_as="Sentinel Name")
    (event,) = AuditEvent.objects.filter(event_type=EventType.PARTNER_REFERRAL_MADE)
    assert event.actor_id == world.users["partner_a"].pk
    assert event.organisation_id == world.partner_a.pk
    assert event.target_ref == str(help_request.record_id)
    assert event.detail == ""
    assert not AuditEvent.objects.filter(event_type=EventType.REQUEST_RECEIVED).exists()


def api_token(world, partner: str = "partner_a") -> ApiToken:
    return ApiToken.objects.create(
        organisation=getattr(world, partner),
        team=world.teams[partner],
        label="test",
        token_hash=f"{partner:0<64}"[:64],
        prefix="test",
        expires_at=timezone.now() + timedelta(days=30),
    )


def test_it_names_the_token_when_the_api_refers_without_a_member(world):
    token = api_token(world)
    help_request = do_refer_person(
        referral_draft(), organisation=world.partner_a, channel=RequestChannel.API, token=token
    )
    (event,) = AuditEvent.objects.filter(event_type=EventType.PARTNER_REFERRAL_MADE)
    assert event.actor_id is None
    assert event.detail == f"token #{token.pk}"
    assert help_request.channel == RequestChannel.API
    assert not hasattr(help_request, "codename")


def test_it_wraps_again_when_the_partner_team_key_rotates_meanwhile(world, monkeypatch):
    team = world.teams["partner_a"]
    old_key = TeamKey.objects.get(team=team, active=True)
    real = actions.seal_new_request
    calls: list[int] = []

    def seal_then_rotate(*args, **kwargs):
        sealed = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            do_rotate_team_key(team, None, actor=None)
        return sealed

    monkeypatch.setattr(actions, "seal_new_request", seal_then_rotate)
    help_request = refer(world)
    new_key = TeamKey.objects.get(team=team, active=True)
    assert new_key != old_key
    assert len(calls) == 2
    assert HelpRequest.objects.count() == 1
    triage_key = TeamKey.objects.get(team=world.teams["triage"], active=True)
    assert team_wrap_keys(help_request) == {triage_key.pk, new_key.pk}
    assert opened_record(help_request, "partner_a").record_id == help_request.record_id

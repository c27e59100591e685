"""The demo's partners: partner A vetted with a review date and partner B pending; partner A's
referrals through the portal, the API and a batch file, made by the real actions, sealed to
triage and partner A and never to a codename; a message each way; one API token whose secret
the demo never prints; a second run makes nothing twice."""

import pytest

from safehaven.accounts.models import Organisation, User
from safehaven.cases.demo.steps import _key
from safehaven.core.event_types import EventType
from safehaven.finance.tests.funds_helpers import events
from safehaven.intake.choices import RequestChannel, RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind
from safehaven.keys.records import can_open, open_record
from safehaven.partners.choices import MessageDirection, VettingStatus
from safehaven.partners.demo import (
    FROM_PARTNER,
    PARTNER_A,
    PARTNER_B,
    PORTAL_REFERRAL,
    TO_PARTNER,
    describe_demo_partners,
)
from safehaven.partners.models import ApiToken, PartnerVetting
from safehaven.partners.referral_messages.actions import open_referral_messages

pytestmark = pytest.mark.django_db

BASE = "http://localhost:8000"


def partner_referrals() -> list[HelpRequest]:
    return list(HelpRequest.objects.filter(referred_by__name=PARTNER_A).order_by("pk"))


def test_it_vets_partner_a_and_leaves_partner_b_pending():
    describe_demo_partners(BASE)
    vetting_a = PartnerVetting.objects.get(organisation__name=PARTNER_A)
    vetting_b = PartnerVetting.objects.get(organisation__name=PARTNER_B)
    assert vetting_a.status == VettingStatus.VETTED
    assert vetting_a.review_on is not None
    assert vetting_b.status == VettingStatus.PENDING
    assert len(events(EventType.PARTNER_VETTING_CHANGED)) == 2


def test_it_refers_people_through_each_way_in_without_a_codename():
    text = "\n".join(describe_demo_partners(BASE))
    referrals = partner_referrals()
    assert sorted(item.channel for item in referrals) == sorted(
        [RequestChannel.PORTAL, RequestChannel.API, RequestChannel.IMPORT, RequestChannel.IMPORT]
    )
    assert "Partner portal: 1, Partner API: 1, Partner batch import: 2" in text
    assert all(item.codename_hash is None for item in referrals)
    record_ids = [item.record_id for item in referrals]
    assert not RecordKeyWrap.objects.filter(
        record_key__record_id__in=record_ids, kind=RecordWrapKind.CODENAME
    ).exists()
    assert len(events(EventType.PARTNER_REFERRAL_MADE)) == 2
    assert len(events(EventType.PARTNER_REFERRALS_IMPORTED)) == 1
    triage, member, other = (
        User.objects.get(username=name) for name in ("triage", "partner_a", "partner_b")
    )
    for item in referrals:
        assert can_open(item.record_id, user=triage, private_key=_key("triage"))
        assert can_open(item.record_id, user=member, private_key=_key("partner_a"))
        assert not can_open(item.record_id, user=other, private_key=_key("partner_b"))
    portal = next(item for item in referrals if item.channel == RequestChannel.PORTAL)
    opened = open_record(portal.record_id, user=member, private_key=_key("partner_a"))
    assert portal.open_with(opened).sealed("known_as") == PORTAL_REFERRAL["known_as"]
    assert portal.open_with(opened).sealed("situation") == PORTAL_REFERRAL["situation"]
    assert portal.status == RequestStatus.REVIEWING  # triage moved it: the partner sees a change


def test_it_sends_a_message_each_way_about_the_portal_referral():
    describe_demo_partners(BASE)
    portal = HelpRequest.objects.get(referred_by__name=PARTNER_A, channel=RequestChannel.PORTAL)
    member = User.objects.get(username="partner_a")
    opened = open_record(portal.record_id, user=member, private_key=_key("partner_a"))
    shown = open_referral_messages(portal, opened, for_partner=True)
    assert [(item.direction, item.body) for item in shown] == [
        (MessageDirection.FROM_STAFF, TO_PARTNER),
        (MessageDirection.FROM_PARTNER, FROM_PARTNER),
    ]
    assert len(events(EventType.REFERRAL_MESSAGE_SENT)) == 2


def test_it_makes_one_token_and_never_prints_its_secret():
    text = "\n".join(describe_demo_partners(BASE))
    (token,) = ApiToken.objects.all()
    assert token.organisation == Organisation.objects.get(name=PARTNER_A)
    assert token.revoked_at is None
    assert "shp_" not in text
    assert token.prefix not in text
    assert len(events(EventType.API_TOKEN_CREATED)) == 1
    assert f"{BASE}/ru/partners/referrals/" in text


def test_it_makes_nothing_twice():
    describe_demo_partners(BASE)
    counts = (
        HelpRequest.objects.count(),
        ApiToken.objects.count(),
        len(events(EventType.REFERRAL_MESSAGE_SENT)),
    )
    describe_demo_partners(BASE)
    assert counts == (4, 1, 2)
    assert (
        HelpRequest.objects.count(),
        ApiToken.objects.count(),
        len(events(EventType.REFERRAL_MESSAGE_SENT)),
    ) == counts

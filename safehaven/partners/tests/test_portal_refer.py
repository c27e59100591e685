"""Referring a person on the portal: the form offers the languages and ways of contact as
choices; a referral is made through ``do_refer_person`` on the portal channel, without a
codename; a refusal or a mistake shows on the form with everything typed kept."""

import pytest

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import opened_request
from safehaven.partners.referrals import actions as referral_actions
from safehaven.partners.referrals.actions import ReferralRefused
from safehaven.partners.tests.portal_helpers import NAME, STORY, logged_in

pytestmark = pytest.mark.django_db
REFER_URL = "/en/partners/refer/"


def posted(**overrides):
    data = {
        "known_as": NAME,
        "situation": STORY,
        "country": "RU",
        "languages": ["ru", "ce"],
        "other_languages": "os",
        "contact_method": "signal",
        "contact": "+79991234567",
        "may_leave_message": "no",
        "risk_indicators": ["threats_state"],
        "companions": "1",
        "page_language": "ru",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_it_offers_languages_and_ways_of_contact_as_choices(world):
    html = logged_in(world, "partner_a").get(REFER_URL).content.decode()
    assert 'type="checkbox" name="languages" value="ce"' in html
    assert '<option value="telegram">Telegram</option>' in html
    assert 'name="other_languages"' in html
    assert 'name="consent"' in html
    assert "codename" in html  # it says the person gets none from the partner


def test_it_refers_a_person_on_the_portal_channel_without_a_codename(world):
    client = logged_in(world, "partner_a")
    response = client.post(REFER_URL, posted())
    referral = HelpRequest.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/en/partners/referrals/{referral.pk}/"
    assert referral.referred_by == world.partner_a
    assert referral.channel == RequestChannel.PORTAL
    assert referral.codename_hash is None
    assert sorted(referral.languages) == ["ce", "ru"]
    opened = opened_request(referral, "triage")
    assert opened.sealed("situation") == STORY
    assert opened.sealed("known_as") == NAME
    assert opened.sealed("language_other") == "os"
    assert AuditEvent.objects.filter(event_type=EventType.PARTNER_REFERRAL_MADE).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "The person is referred." in page


def test_it_keeps_what_was_typed_when_something_is_missing(world):
    client = logged_in(world, "partner_a")
    response = client.post(REFER_URL, posted(consent="", contact=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert not HelpRequest.objects.exists()
    assert "Please confirm that the person agreed to be referred" in html
    assert "Please give the contact detail for the way you chose." in html
    assert STORY in html
    assert 'value="ce" id="id_languages_5" checked' in html
    assert 'value="ar" id="id_languages_0">' in html  # not ticked
    assert 'value="os"' in html


def test_it_refuses_unknown_language_codes_with_a_message(world):
    response = logged_in(world, "partner_a").post(REFER_URL, posted(other_languages="zz9"))
    assert response.status_code == 200
    assert "two-letter codes" in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_it_shows_a_refusal_on_the_form(world, monkeypatch):
    def refuse(*args, **kwargs):
        raise ReferralRefused("Your organisation has no team key yet.")

    monkeypatch.setattr(referral_actions, "do_refer_person", refuse)
    monkeypatch.setattr("safehaven.partners.portal.views.do_refer_person", refuse)
    response = logged_in(world, "partner_a").post(REFER_URL, posted())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your organisation has no team key yet." in html
    assert STORY in html

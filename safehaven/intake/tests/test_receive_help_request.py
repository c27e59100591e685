"""Storing a help request: sealed, wrapped to the right readers, committed before the receipt."""

import json
import re

import pytest
from django.db import transaction
from django.test import Client

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.codename import codename_lookup_hash, normalise_words
from safehaven.intake.models import ContactHint, HelpRequest
from safehaven.intake.requester_events import requester_events
from safehaven.intake.submission.referral_lookup import find_referral_code
from safehaven.intake.tests.helpers import (
    latest_request,
    opened_record,
    opened_request,
    private_key,
    stamp_fields,
    submit_request,
    valid_post,
)
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind
from safehaven.keys.records import can_open, open_record_with_codename

pytestmark = pytest.mark.django_db


def test_it_seals_what_identifies_and_keeps_only_figures_in_clear(world):
    codename = submit_request(
        situation="Они знают, где я живу.",
        region="Ingushetia",
        risk_indicators=["detained", "in_hiding"],
        companions="2",
        contact_email="someone@example.org",
        checkin_phrase="blue teapot",
        duress_phrase="green umbrella",
    )
    stored = latest_request()
    assert stored.country == "RU"
    assert stored.languages == ["ru"]
    assert stored.page_language == "en"
    assert (stored.risk_score, stored.risk_band) == (75, "critical")
    assert stored.status == "received"
    assert stored.received_month.day == 1
    assert stored.has_checkin_phrase
    assert stored.referred_by is None
    assert stored.codename_hash == codename_lookup_hash(codename).hex()
    for name in HelpRequest.sealed_field_names():
        value = getattr(stored, name)
        assert value is None or b"Ingushetia" not in bytes(value)
    assert "Ingushetia" not in repr(stored)

    opened = opened_request(stored)
    assert opened.sealed("situation") == "Они знают, где я живу."
    assert opened.sealed("region") == "Ingushetia"
    assert json.loads(opened.sealed("contacts") or "") == {
        "signal": "+7 912 345-67-89",
        "email": "someone@example.org",
    }
    assert json.loads(opened.sealed("risk_indicators") or "") == ["detained", "in_hiding"]
    assert opened.sealed("companions") == "2"
    # Phrases are kept only as digests, themselves sealed.
    assert opened.sealed("checkin_phrase_digest") not in {None, "blue teapot"}


def test_it_wraps_the_key_to_triage_escrow_and_the_codename_only(world):
    codename = submit_request()
    stored = latest_request()
    kinds = sorted(
        RecordKeyWrap.objects.filter(record_key__record_id=stored.record_id).values_list(
            "kind", flat=True
        )
    )
    assert kinds == sorted([RecordWrapKind.TEAM, RecordWrapKind.ESCROW, RecordWrapKind.CODENAME])
    # As the status page does: a word like "t-shirt" is typed in many ways.
    assert open_record_with_codename(stored.record_id, normalise_words(codename))
    assert can_open(stored.record_id, user=world.users["triage"], private_key=private_key("triage"))
    for username in ("caseworker", "partner_a", "admin", "finance"):
        assert not can_open(
            stored.record_id, user=world.users[username], private_key=private_key(username)
        )


def test_it_also_wraps_to_the_partner_whose_code_was_given(world, partner_codes):
    submit_request(referral_code=partner_codes["partner_a"].lower())
    stored = latest_request()
    assert stored.referred_by == world.partner_a
    team_wraps = RecordKeyWrap.objects.filter(
        record_key__record_id=stored.record_id, kind=RecordWrapKind.TEAM
    )
    assert {wrap.team for wrap in team_wraps} == {world.teams["triage"], world.teams["partner_a"]}
    assert can_open(
        stored.record_id, user=world.users["partner_a"], private_key=private_key("partner_a")
    )
    assert not can_open(
        stored.record_id, user=world.users["partner_b"], private_key=private_key("partner_b")
    )


def test_it_answers_an_unknown_code_exactly_like_no_code(world, partner_codes, client: Client):
    pages = []
    for code in ("", "NO-SUCH-CODE", partner_codes["partner_b"]):
        response = client.post("/en/help/", valid_post(referral_code=code) | stamp_fields())
        html = response.content.decode()
        # The codename and the CSP nonce differ on every receipt; nothing else may.
        html = html.split('class="codename"')[0] + html.split("</ol>", 1)[1]
        pages.append((response.status_code, sorted(response.headers), _without_nonce(html)))
    assert pages[0] == pages[1] == pages[2]
    referred = list(HelpRequest.objects.order_by("pk").values_list("referred_by", flat=True))
    assert referred == [None, None, world.partner_b.pk]


def _without_nonce(html: str) -> str:
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)


def test_it_ignores_a_revoked_code(world, partner_codes):
    referral = find_referral_code(partner_codes["partner_a"])
    assert referral is not None
    referral.revoked_at = referral.created_at
    referral.save()
    submit_request(referral_code=partner_codes["partner_a"])
    assert latest_request().referred_by is None


def test_it_records_the_arrival_without_any_value(world):
    submit_request(situation="Sentinel-Audit-Story")
    event = AuditEvent.objects.get(event_type=EventType.REQUEST_RECEIVED)
    assert event.actor is None
    # Named by a ref only those who can open the request can recompute (test_coarse_times).
    assert event.target_ref != str(latest_request().record_id)
    assert requester_events(latest_request(), opened_record(latest_request())) == [event]
    assert "Sentinel" not in event.detail


def test_it_keeps_duplicate_hints_of_the_contact_details(world):
    submit_request(contact_signal="+7 912 345 67 89")
    submit_request(contact_signal="+79123456789", contact_telegram="@other_person")
    first, second = HelpRequest.objects.order_by("pk")
    shared = set(first.contact_hints.values_list("kind", "index")) & set(
        second.contact_hints.values_list("kind", "index")
    )
    assert len(shared) == 1
    assert ContactHint.objects.filter(help_request=second).count() == 2
    assert all(index < 2**18 for index in ContactHint.objects.values_list("index", flat=True))


@pytest.mark.django_db(transaction=True)
def test_it_commits_before_showing_the_receipt(world, client: Client, monkeypatch):
    from safehaven.intake.submission import views

    seen: list[tuple[bool, int]] = []
    real_render = views.render_with_slot

    def render_with_slot(request, template_name, *args, **kwargs):
        if template_name == "intake/receipt.html":
            seen.append((transaction.get_connection().in_atomic_block, HelpRequest.objects.count()))
        return real_render(request, template_name, *args, **kwargs)

    monkeypatch.setattr(views, "render_with_slot", render_with_slot)
    assert client.post("/en/help/", valid_post() | stamp_fields()).status_code == 200
    assert seen == [(False, 1)]


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_store_inside_a_larger_transaction(world):
    from safehaven.intake.submission.actions import do_create_help_request
    from safehaven.intake.submission.forms import HelpRequestForm

    form = HelpRequestForm(valid_post())
    assert form.is_valid()
    # durable=True: nobody can fold the storage into a transaction that commits later.
    with pytest.raises(RuntimeError), transaction.atomic():
        do_create_help_request(form.to_draft())


def test_it_refuses_kindly_when_the_keys_are_not_set_up(client: Client):
    response = client.post("/en/help/", valid_post(region="Chechnya") | stamp_fields())
    assert response.status_code == 503
    html = response.content.decode()
    assert "could not be sent just now" in html
    assert 'value="Chechnya"' in html
    assert HelpRequest.objects.count() == 0
    assert not response.cookies


def test_it_sends_later_receipts_from_the_page_kept_around_the_codename(world, monkeypatch):
    from safehaven.core import page_shells

    # Through the whole middleware stack, which reads the (empty) session of every request.
    first = submit_request()
    assert ("intake/receipt.html", "en", "/en/help/") in page_shells._kept

    def no_render(*args, **kwargs):
        raise AssertionError("the receipt must come from the kept halves")

    monkeypatch.setattr(page_shells, "render_to_string", no_render)
    second = submit_request()
    assert second != first
    assert HelpRequest.objects.count() == 2

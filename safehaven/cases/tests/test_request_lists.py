"""The order and the markers of the staff request lists: the inbox puts a check-in to
acknowledge first and marks it as an alert; a partner's referrals go most at risk first,
without the redundant "Referred by" column; the danger check-in on a request is an alert."""

import re
from pathlib import Path

import pytest
from django.test import Client

from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import latest_request, staff_client_with_keys, submit_request

pytestmark = pytest.mark.django_db
DANGER = "red lantern harbour"
HIGH_RISK = ["threats_state", "violence"]


def show_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/"


def positions(html: str, *requests: HelpRequest) -> list[int]:
    return [html.index(f'href="{show_url(item)}"') for item in requests]


def test_it_puts_a_check_in_to_acknowledge_first_in_the_inbox(world):
    codename = submit_request(checkin_phrase="blue river morning", duress_phrase=DANGER)
    low = latest_request()
    submit_request(risk_indicators=HIGH_RISK)
    high = latest_request()
    Client().post("/en/status/", {"codename": codename, "phrase": DANGER})
    client = Client()
    client.force_login(world.users["triage"])
    html = client.get("/en/staff/requests/").content.decode()
    assert positions(html, low, high) == sorted(positions(html, low, high))
    row = re.search(r'<tr class="attention">\s*<td><a href="' + show_url(low), html)
    assert row, html
    assert '<strong class="attention-marker">check-in to acknowledge</strong>' in html


def test_it_lists_a_partners_referrals_most_at_risk_first(world, partner_codes):
    code = partner_codes["partner_a"]
    submit_request(referral_code=code)
    low = latest_request()
    submit_request(referral_code=code, risk_indicators=HIGH_RISK)
    high = latest_request()
    client = Client()
    client.force_login(world.users["partner_a"])
    html = client.get("/en/staff/referrals/").content.decode()
    assert positions(html, high, low) == sorted(positions(html, high, low))
    assert "Referred by" not in html
    assert "Rainbow Network East" not in html.split("<table")[1]


def test_it_keeps_the_referred_by_column_for_triage(world, partner_codes):
    submit_request(referral_code=partner_codes["partner_a"])
    client = Client()
    client.force_login(world.users["triage"])
    html = client.get("/en/staff/requests/").content.decode()
    assert "Referred by" in html


def test_it_shows_a_danger_check_in_as_a_red_alert(world):
    codename = submit_request(checkin_phrase="blue river morning", duress_phrase=DANGER)
    help_request = latest_request()
    Client().post("/en/status/", {"codename": codename, "phrase": DANGER})
    html = staff_client_with_keys(world, "triage").get(show_url(help_request)).content.decode()
    assert re.search(
        r'<div class="check-in danger">\s*<p class="message message-error" role="alert" '
        r'id="danger-check-in">',
        html,
    ), html
    css = (Path(__file__).parents[2] / "intake" / "static" / "intake" / "intake.css").read_text()
    assert ".check-in.danger .message-error { background: var(--danger)" in css

"""Sharing a help request with a caseworker: triage grants, the caseworker lists and reads it,
nobody else gains anything."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from safehaven.accounts.models import Membership, Role, User
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.handling.actions import RequestActionRefused, do_share_help_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import (
    latest_request,
    private_key,
    staff_client_with_keys,
    submit_request,
)
from safehaven.keys.actions.users import do_create_user_keys

pytestmark = pytest.mark.django_db
SHARED_URL = "/en/staff/shared/"
SENTINEL = "Sentinel-Shared-Marigold"


def show_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/"


def share_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/share/"


def second_caseworker(world) -> Client:
    """Another caseworker of the casework team, logged in for real (keys unlocked)."""
    user = User.objects.create_user("caseworker2", "caseworker2@staff.test", TEST_PASSWORD)
    Membership.objects.create(
        user=user,
        organisation=world.organisation,
        team=world.teams["casework"],
        role=Role.CASEWORKER,
    )
    do_create_user_keys(user, TEST_PASSWORD, actor=user)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    world.users["caseworker2"] = user
    world.totp_secrets["caseworker2"] = secret
    return staff_client_with_keys(world, "caseworker2")


def test_it_lets_a_caseworker_list_and_read_a_request_triage_shared(world):
    submit_request(situation=f"{SENTINEL} is what happened.")
    help_request = latest_request()
    submit_request(situation="Not shared with anyone.")
    other = latest_request()
    caseworker = world.users["caseworker"]

    triage = staff_client_with_keys(world, "triage")
    page = triage.get(show_url(help_request)).content.decode()
    assert f'action="{share_url(help_request)}"' in page
    response = triage.post(share_url(help_request), {"reader": caseworker.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    # The request's record and its thread's: one grant each.
    grants = AuditEvent.objects.filter(event_type=EventType.RECORD_GRANTED)
    assert {grant.target_ref for grant in grants} == {
        str(record_id) for record_id in help_request.record_ids
    }
    for granted in grants:
        assert granted.actor_id == world.users["triage"].pk
        assert granted.detail == f"to user #{caseworker.pk}"

    client = staff_client_with_keys(world, "caseworker")
    home = client.get("/en/staff/").content.decode()
    assert f'href="{SHARED_URL}"' in home
    listing = client.get(SHARED_URL).content.decode()
    assert show_url(help_request) in listing
    assert show_url(other) not in listing
    assert SENTINEL not in listing  # nothing sealed in the list
    opened = client.get(show_url(help_request))
    assert opened.status_code == 200
    assert SENTINEL in opened.content.decode()
    assert "Share with a caseworker" not in opened.content.decode()
    read = AuditEvent.objects.filter(event_type=EventType.REQUEST_VIEWED, actor=caseworker)
    assert read.count() == 1
    # Need to know: not the inbox, not a request nobody shared, no triage action.
    assert client.get("/en/staff/requests/").status_code == 403
    assert client.get(show_url(other)).status_code == 404
    assert client.post(f"/en/staff/requests/{help_request.pk}/reply/").status_code == 403
    assert client.post(share_url(help_request)).status_code == 403


def test_it_gives_nothing_to_a_caseworker_it_was_not_shared_with(world):
    submit_request(situation=f"{SENTINEL} again.")
    help_request = latest_request()
    triage = staff_client_with_keys(world, "triage")
    triage.post(share_url(help_request), {"reader": world.users["caseworker"].pk})
    client = second_caseworker(world)
    assert client.get(show_url(help_request)).status_code == 404
    listing = client.get(SHARED_URL).content.decode()
    assert show_url(help_request) not in listing


def test_it_refuses_to_share_with_a_partner_or_someone_without_keys(world):
    submit_request()
    help_request = latest_request()
    triage = world.users["triage"]
    key = private_key("triage")
    for username in ("partner_a", "finance"):
        with pytest.raises(RequestActionRefused):
            do_share_help_request(
                help_request, to_user=world.users[username], actor=triage, private_key=key
            )
    keyless = User.objects.create_user("keyless", "keyless@staff.test", TEST_PASSWORD)
    Membership.objects.create(user=keyless, organisation=world.organisation, role=Role.CASEWORKER)
    with pytest.raises(RequestActionRefused):
        do_share_help_request(help_request, to_user=keyless, actor=triage, private_key=key)
    client = staff_client_with_keys(world, "triage")
    refused = client.post(share_url(help_request), {"reader": world.users["partner_a"].pk})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.RECORD_GRANTED).exists()


def test_it_refuses_to_share_twice(world):
    submit_request()
    help_request = latest_request()
    client = staff_client_with_keys(world, "triage")
    reader = {"reader": world.users["caseworker"].pk}
    assert client.post(share_url(help_request), reader).status_code == 302
    again = client.post(share_url(help_request), reader)
    assert again.status_code == 200
    assert "This request is already shared with them." in again.content.decode()

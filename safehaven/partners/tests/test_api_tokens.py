"""API tokens: made with the secret shown once and stored only as a hash, revoked, listed;
the pages are a partner member's own organisation's only, and making one needs both factors
again."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from safehaven.core.event_types import EventType
from safehaven.partners.api.tokens import (
    ApiTokenRefused,
    do_create_api_token,
    do_revoke_all_api_tokens,
    do_revoke_api_token,
    hash_for,
)
from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import ApiToken, PartnerVetting
from safehaven.partners.tests.api_helpers import events, make_token

pytestmark = pytest.mark.django_db

LIST = "/en/partners/api-tokens/"
CREATE = "/en/partners/api-tokens/new/"


def revoke_url(token: ApiToken) -> str:
    return f"/en/partners/api-tokens/{token.pk}/revoke/"


def database_text() -> str:
    """Every row of every table, as SQL text."""
    return "\n".join(connection.connection.iterdump())


@pytest.mark.sqlite_only  # reads the rows back with SQLite's own dump
def test_it_keeps_only_a_hash_and_a_short_prefix_of_the_secret(world):
    token, secret = make_token(world)
    assert secret.startswith("shp_")
    assert len(secret) >= 4 + 43
    assert token.token_hash == hash_for(token, secret)
    assert token.prefix == secret[:12]
    assert token.team == world.teams["partner_a"]
    assert token.token_hash != hashlib.sha256(secret.encode()).hexdigest()  # keyed
    assert secret not in database_text()
    assert secret[12:30] not in database_text()
    (event,) = events(EventType.API_TOKEN_CREATED)
    assert event.target_ref == str(token.pk)
    assert event.organisation_id == world.partner_a.pk
    assert secret[:12] not in event.detail


def test_it_makes_a_different_secret_each_time(world):
    secrets = {make_token(world)[1] for _ in range(3)}
    assert len(secrets) == 3


def test_it_sets_the_expiry_and_refuses_a_validity_out_of_range(world):
    token, _secret = make_token(world, days=30)
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    for days in (0, 366, -5):
        with pytest.raises(ApiTokenRefused):
            make_token(world, days=days)


def test_it_refuses_a_token_to_a_suspended_partner(world):
    PartnerVetting.objects.create(organisation=world.partner_a, status=VettingStatus.SUSPENDED)
    with pytest.raises(ApiTokenRefused):
        make_token(world)
    assert not ApiToken.objects.exists()


def test_it_refuses_an_empty_label(world):
    with pytest.raises(ApiTokenRefused):
        do_create_api_token(
            organisation=world.partner_a, label="  ", valid_days=5, actor=world.users["partner_a"]
        )


def test_it_revokes_once_and_audits_it(world):
    token, _secret = make_token(world)
    do_revoke_api_token(token, actor=world.users["partner_a"])
    do_revoke_api_token(token, actor=world.users["partner_a"])
    assert token.revoked_at is not None
    assert len(events(EventType.API_TOKEN_REVOKED)) == 1


def test_it_revokes_every_live_token_of_one_organisation_only(world):
    make_token(world)
    make_token(world)
    other, _secret = make_token(world, "partner_b")
    assert do_revoke_all_api_tokens(world.partner_a, actor=world.users["admin"]) == 2
    assert do_revoke_all_api_tokens(world.partner_a, actor=world.users["admin"]) == 0
    other.refresh_from_db()
    assert other.revoked_at is None
    assert not events(EventType.API_TOKEN_REVOKED)


def fresh_partner(staff_client, world, username="partner_a"):
    from safehaven.finance.tests.funds_helpers import mark_fresh

    client = staff_client(username, reauthenticated=False)
    mark_fresh(client, world.users[username], "password", "mfa")
    return client


def test_it_shows_the_secret_once_on_the_answer_to_the_post(staff_client, world):
    client = fresh_partner(staff_client, world)
    response = client.post(CREATE, {"label": "Crisis desk", "valid_days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    html = response.content.decode()
    secret_start = html.index('value="shp_') + len('value="')
    secret = html[secret_start : html.index('"', secret_start)]
    assert token.token_hash == hash_for(token, secret)
    assert "no-store" in response["Cache-Control"]
    assert token.label == "Crisis desk"
    assert token.created_by == world.users["partner_a"]
    listing = client.get(LIST).content.decode()
    assert "Crisis desk" in listing
    assert token.prefix in listing
    assert secret not in listing
    assert secret not in client.get(CREATE).content.decode()


def test_it_asks_for_both_factors_before_making_a_token(staff_client, world):
    from safehaven.finance.tests.funds_helpers import mark_fresh

    client = staff_client("partner_a", reauthenticated=False)
    for fresh, page in ((), "/accounts/reauthenticate/"), (("password",), "/2fa/reauthenticate/"):
        mark_fresh(client, world.users["partner_a"], *fresh)
        response = client.post(CREATE, {"label": "Crisis desk", "valid_days": "30"})
        assert response.status_code == 302
        assert page in response["Location"]
    assert not ApiToken.objects.exists()


def test_it_shows_form_errors_and_makes_nothing(staff_client, world):
    client = fresh_partner(staff_client, world)
    response = client.post(CREATE, {"label": "", "valid_days": "400"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_a_member_lists_and_revokes_only_their_own_organisations_tokens(staff_client, world):
    token_a, _secret = make_token(world)
    token_b, _secret = make_token(world, "partner_b")
    client = staff_client("partner_b")
    listing = client.get(LIST).content.decode()
    assert token_b.prefix in listing
    assert token_a.prefix not in listing
    assert client.post(revoke_url(token_a)).status_code == 404
    token_a.refresh_from_db()
    assert token_a.revoked_at is None
    response = client.post(revoke_url(token_b))
    assert response.status_code == 302
    token_b.refresh_from_db()
    assert token_b.revoked_at is not None


@pytest.mark.parametrize("username", ["admin", "triage", "caseworker"])
def test_staff_get_403_on_the_token_pages(staff_client, world, username):
    token, _secret = make_token(world)
    client = staff_client(username)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(revoke_url(token)).status_code == 403


def test_a_suspended_partners_member_can_neither_list_nor_make_tokens(staff_client, world):
    PartnerVetting.objects.create(organisation=world.partner_a, status=VettingStatus.SUSPENDED)
    client = fresh_partner(staff_client, world)
    assert client.get(LIST).status_code == 403
    assert client.post(CREATE, {"label": "x", "valid_days": "3"}).status_code == 403
    assert not ApiToken.objects.exists()

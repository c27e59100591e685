"""The partner API's gate: only a live token of a partner that is not suspended gets in (any
other gets the same 401), a refusal of a known token and every use are audited by ids, and
each token has its own rate limit."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from safehaven.accounts.models import SuspensionReason
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import ApiToken, PartnerVetting
from safehaven.partners.tests.api_helpers import (
    API,
    api_client,
    events,
    forget_rate_counts,
    make_token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    forget_rate_counts()
    yield
    forget_rate_counts()


def answer_to(secret: str | None, header: str | None = None):
    client = api_client(secret)
    if header is not None:
        return client.get(f"{API}/referrals", headers={"authorization": header})
    return client.get(f"{API}/referrals")


def test_a_live_token_lists_its_referrals(world):
    _token, secret = make_token(world)
    response = answer_to(secret)
    assert response.status_code == 200
    assert response.json() == {"count": 0, "page": 1, "page_size": 50, "items": []}


def refuse_maker_suspended(world, token, monkeypatch):
    """Its maker is suspended (a revoked token is no longer known at all: its hash is gone)."""
    maker = world.users["partner_a"]
    maker.suspend(SuspensionReason.SECURITY_CONCERN)
    maker.save()


def refuse_expired(world, token, monkeypatch):
    """Its expiry passes (the row unchanged: the expiry is bound into its hash)."""
    later = token.expires_at + timedelta(seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)


def refuse_suspended(world, token, monkeypatch):
    PartnerVetting.objects.create(organisation=world.partner_a, status=VettingStatus.SUSPENDED)


@pytest.mark.parametrize(
    ("refusal", "reason"),
    [
        (refuse_maker_suspended, "maker"),
        (refuse_expired, "expired"),
        (refuse_suspended, "suspended"),
    ],
)
def test_it_refuses_a_known_token_with_the_same_401_and_audits_why(
    world, refusal, reason, monkeypatch
):
    token, secret = make_token(world)
    unknown = answer_to("shp_" + "A" * 43)
    refusal(world, token, monkeypatch)
    response = answer_to(secret)
    assert response.status_code == 401
    assert response.content == unknown.content  # nothing says which refusal it was
    assert response["WWW-Authenticate"].startswith("Bearer")
    (event,) = events(EventType.API_TOKEN_REFUSED)
    assert event.target_ref == str(token.pk)
    assert event.detail == f"reason={reason}"
    assert not events(EventType.API_TOKEN_USED)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer shp_",
        "Token shp_x",
        "Bearer " + "x" * 5000,
    ],
)
def test_it_refuses_missing_or_malformed_credentials_without_an_event(world, header):
    response = answer_to(None, header)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert not events(EventType.API_TOKEN_REFUSED)


def test_a_session_login_is_no_credential_for_the_api(staff_client, world):
    make_token(world)
    response = staff_client("partner_a").get(f"{API}/referrals")
    assert response.status_code == 401


def test_a_secret_that_differs_in_one_character_is_refused(world):
    _token, secret = make_token(world)
    other = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert answer_to(other).status_code == 401


def test_a_database_writer_can_neither_plant_a_token_nor_move_or_extend_one(world):
    """Whoever can write the database but does not hold SECRET_KEY: a row with the plain
    SHA-256 of a secret they chose is no token; a real token moved to partner B, given another
    team or a longer life stops working."""
    token, secret = make_token(world)
    planted = "shp_" + "P" * 43
    ApiToken.objects.create(
        organisation=world.partner_b,
        team=world.teams["partner_b"],
        label="planted",
        token_hash=hashlib.sha256(planted.encode()).hexdigest(),
        prefix=planted[:12],
        expires_at=timezone.now() + timedelta(days=5),
    )
    assert answer_to(planted).status_code == 401
    changes = [
        {"organisation": world.partner_b},
        {"team": world.teams["partner_b"]},
        {"expires_at": token.expires_at + timedelta(days=300)},
    ]
    for change in changes:
        ApiToken.objects.filter(pk=token.pk).update(**change)
        assert answer_to(secret).status_code == 401, change
        ApiToken.objects.filter(pk=token.pk).update(
            organisation=world.partner_a, team=world.teams["partner_a"], expires_at=token.expires_at
        )
    assert answer_to(secret).status_code == 200


def test_each_use_is_audited_by_ids_and_marks_the_hour(world):
    token, secret = make_token(world)
    answer_to(secret)
    answer_to(secret)
    token.refresh_from_db()
    assert token.last_used_at == this_hour()
    used = events(EventType.API_TOKEN_USED)
    assert len(used) == 2
    assert all(event.target_ref == str(token.pk) for event in used)
    assert used[0].detail == "op=list outcome=done count=0"
    assert used[0].organisation_id == world.partner_a.pk
    assert used[0].actor_id is None


def test_it_limits_each_token_separately_with_retry_after(world, settings):
    settings.PARTNER_API_RATE_LIMITS = {
        **settings.PARTNER_API_RATE_LIMITS,
        "calls": (2, 60),
        "imports": (1, 3600),
    }
    _token, secret = make_token(world)
    _other, other_secret = make_token(world)
    assert [answer_to(secret).status_code for _ in range(3)] == [200, 200, 429]
    refused = answer_to(secret)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"]
    assert answer_to(other_secret).status_code == 200
    assert len(events(EventType.API_TOKEN_USED)) == 3  # refused calls are not uses


def test_api_answers_carry_the_sites_security_headers(world):
    _token, secret = make_token(world)
    for response in (answer_to(secret), answer_to(None)):
        assert response["Cache-Control"] == "no-store, max-age=0"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert response["Content-Type"].startswith("application/json")
        assert not response.cookies


def test_a_browser_session_neither_helps_nor_blocks_a_token_call(staff_client, world):
    """The site's session, second-factor and CSRF checks stand aside for the API: the token is
    its only credential (a POST without a CSRF token works with one, and a session changes
    nothing)."""
    _token, secret = make_token(world)
    client = staff_client("partner_a")
    client.handler.enforce_csrf_checks = True
    headers = {"authorization": f"Bearer {secret}"}
    assert client.get(f"{API}/referrals", headers=headers).status_code == 200
    response = client.post(
        f"{API}/referrals", {"situation": "x"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 422  # reached the operation: no CSRF refusal (403)

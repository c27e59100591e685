"""A call with a revoked API token is refused like one with an unknown token, and audited
(reason revoked, once per token and window): after revoking a leaked token or suspending a
partner, an operator sees whether someone still uses it. It never authenticates again, not
even when a database writer clears ``revoked_at``."""

import pytest

from safehaven.core.event_types import EventType
from safehaven.partners.api.tokens import do_revoke_all_api_tokens, find_token
from safehaven.partners.models import ApiToken
from safehaven.partners.tests.api_helpers import (
    API,
    api_client,
    events,
    forget_rate_counts,
    make_token,
)

pytestmark = pytest.mark.django_db

UNKNOWN_SECRET = "shp_" + "A" * 43


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    forget_rate_counts()
    yield
    forget_rate_counts()


def list_referrals(secret: str):
    return api_client(secret).get(f"{API}/referrals")


def refusals() -> list[tuple[str, str]]:
    return [(event.target_ref, event.detail) for event in events(EventType.API_TOKEN_REFUSED)]


def test_it_refuses_a_token_revoked_on_its_page_like_an_unknown_one_and_audits_it_once(
    world, staff_client
):
    token, secret = make_token(world)
    assert list_referrals(secret).status_code == 200
    unknown = list_referrals(UNKNOWN_SECRET)
    assert refusals() == []

    revoked = staff_client("partner_a").post(f"/en/partners/api-tokens/{token.pk}/revoke/")
    assert revoked.status_code == 302
    first, second = list_referrals(secret), list_referrals(secret)

    for answer in (first, second):
        assert (answer.status_code, answer.content) == (401, unknown.content)
        assert answer["WWW-Authenticate"] == unknown["WWW-Authenticate"]
    assert refusals() == [(str(token.pk), "reason=revoked")]


def test_it_audits_each_token_revoked_together_once(world):
    (first, first_secret), (second, second_secret) = make_token(world), make_token(world)
    assert do_revoke_all_api_tokens(world.partner_a, actor=None) == 2
    for secret in (first_secret, second_secret, first_secret, second_secret):
        assert list_referrals(secret).status_code == 401
    assert sorted(refusals()) == sorted(
        [(str(first.pk), "reason=revoked"), (str(second.pk), "reason=revoked")]
    )


def test_a_revoked_token_stays_refused_when_a_database_writer_clears_revoked_at(world):
    token, secret = make_token(world)
    live_hash = token.token_hash
    do_revoke_all_api_tokens(world.partner_a, actor=None)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)

    assert ApiToken.objects.get(pk=token.pk).token_hash != live_hash
    assert find_token(secret) is None
    assert list_referrals(secret).status_code == 401
    assert refusals() == [(str(token.pk), "reason=revoked")]

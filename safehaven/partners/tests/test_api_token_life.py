"""How long an API token lives: no longer than its maker may refer for its organisation (a
duress login, a suspension, leaving the organisation end it at once), never again once
revoked (not even if a database writer clears ``revoked_at``), and at most
``PARTNER_API_MAX_LIVE_TOKENS`` live ones per organisation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from safehaven.accounts.actions import do_remove_membership, do_suspend_user
from safehaven.accounts.models import Membership, Role, SuspensionReason, User
from safehaven.core.event_types import EventType
from safehaven.keys.actions.duress import do_suspend_keys_for_duress
from safehaven.partners.api.auth import refusal_reason
from safehaven.partners.api.tokens import (
    ApiTokenRefused,
    do_create_api_token,
    do_revoke_all_api_tokens,
    do_revoke_api_token,
    find_token,
)
from safehaven.partners.models import ApiToken, PartnerVetting
from safehaven.partners.tests.api_helpers import (
    API,
    api_client,
    events,
    forget_rate_counts,
    make_token,
    post_json,
)
from safehaven.partners.tests.referral_helpers import referral_data
from safehaven.partners.vetting.actions import do_suspend_partner

pytestmark = pytest.mark.django_db
CREATE = "/en/partners/api-tokens/new/"


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    forget_rate_counts()
    yield
    forget_rate_counts()


def calls_with(secret: str) -> tuple[int, int]:
    """What a list and a referral with ``secret`` answer."""
    client = api_client(secret)
    listed = client.get(f"{API}/referrals").status_code
    referred = post_json(client, "/referrals", referral_data()).status_code
    return listed, referred


def maker_logs_in_under_duress(world):
    do_suspend_keys_for_duress(world.users["partner_a"], actor=None)


def maker_is_suspended(world):
    do_suspend_user(
        user=world.users["partner_a"],
        reason=SuspensionReason.LEFT,
        actor=world.users["admin"],
    )


def maker_leaves_the_organisation(world):
    for membership in Membership.objects.filter(user=world.users["partner_a"], role=Role.PARTNER):
        do_remove_membership(membership=membership, actor=world.users["admin"])


def maker_is_deactivated(world):
    User.objects.filter(pk=world.users["partner_a"].pk).update(is_active=False)


def maker_is_gone(world):
    """A database writer (or a deleted account, SET_NULL) leaves the token without a maker."""
    ApiToken.objects.update(created_by=None)


def maker_moves_to_another_partner(world):
    """A partner membership elsewhere is no membership in the token's organisation."""
    Membership.objects.filter(user=world.users["partner_a"], role=Role.PARTNER).update(
        organisation=world.partner_b
    )


@pytest.mark.parametrize(
    "cut",
    [
        maker_logs_in_under_duress,
        maker_is_suspended,
        maker_leaves_the_organisation,
        maker_is_deactivated,
        maker_is_gone,
        maker_moves_to_another_partner,
    ],
)
def test_it_refuses_a_token_once_its_maker_may_no_longer_refer(world, cut):
    token, secret = make_token(world)
    assert calls_with(secret) == (200, 201)
    cut(world)
    assert calls_with(secret) == (401, 401)
    (event,) = events(EventType.API_TOKEN_REFUSED)  # the second refusal is not audited
    assert (event.target_ref, event.detail) == (str(token.pk), "reason=maker")


def test_a_colleagues_token_outlives_one_members_duress_login(world, django_user_model):
    """Only the tokens the member made stop: the organisation's others go on working."""
    _token, secret = make_token(world)
    colleague = django_user_model.objects.create_user(
        username="partner_a_colleague", email="colleague@example.org", password="x"
    )
    Membership.objects.create(user=colleague, organisation=world.partner_a, role=Role.PARTNER)
    do_suspend_keys_for_duress(colleague, actor=None)
    assert calls_with(secret) == (200, 201)


def test_the_check_of_a_token_costs_two_queries(world, django_assert_num_queries):
    _token, secret = make_token(world)
    token = find_token(secret)
    assert token is not None
    with django_assert_num_queries(2):
        assert refusal_reason(token) == ""


def test_revoking_overwrites_the_hash_so_clearing_revoked_at_brings_nothing_back(world):
    token, secret = make_token(world)
    kept_hash, kept_prefix = token.token_hash, token.prefix
    do_revoke_api_token(token, actor=world.users["partner_a"])
    token.refresh_from_db()
    assert token.token_hash != kept_hash
    assert re.fullmatch(r"[0-9a-f]{64}", token.token_hash)
    assert token.prefix == kept_prefix  # still told apart on the list page
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)  # a database writer
    assert find_token(secret) is None
    assert calls_with(secret) == (401, 401)


def test_a_revoked_token_is_refused_like_an_unknown_one_and_audited(world):
    token, secret = make_token(world)
    unknown = api_client("shp_" + "A" * 43).get(f"{API}/referrals")
    do_revoke_api_token(token, actor=world.users["partner_a"])
    answer = api_client(secret).get(f"{API}/referrals")
    assert (answer.status_code, answer.content) == (401, unknown.content)
    (event,) = events(EventType.API_TOKEN_REFUSED)
    assert (event.target_ref, event.detail) == (str(token.pk), "reason=revoked")


def test_revoking_all_gives_each_token_its_own_revoked_mark(world):
    (first, first_secret), (second, second_secret) = make_token(world), make_token(world)
    other, _other_secret = make_token(world, "partner_b")
    before = {row.pk: row.token_hash for row in (first, second, other)}
    assert do_revoke_all_api_tokens(world.partner_a, actor=None) == 2
    after = dict(ApiToken.objects.values_list("pk", "token_hash"))
    assert after[first.pk] != before[first.pk]
    assert after[second.pk] != before[second.pk]
    assert after[first.pk] != after[second.pk]
    assert after[other.pk] == before[other.pk]
    ApiToken.objects.update(revoked_at=None)
    assert find_token(first_secret) is None
    assert find_token(second_secret) is None


def test_a_suspended_partner_reinstated_by_a_database_writer_gets_no_token_back(world):
    token, secret = make_token(world)
    do_suspend_partner(world.partner_a, actor=world.users["admin"])
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
    PartnerVetting.objects.filter(organisation=world.partner_a).update(status="vetted")
    assert api_client(secret).get(f"{API}/referrals").status_code == 401


def test_it_caps_the_live_tokens_of_an_organisation(world, settings):
    settings.PARTNER_API_MAX_LIVE_TOKENS = 3
    made = [make_token(world)[0] for _ in range(3)]
    with pytest.raises(ApiTokenRefused) as refused:
        make_token(world)
    assert "already has 3 tokens in use" in refused.value.message
    assert "revoke one" in refused.value.message
    make_token(world, "partner_b")  # each organisation has its own cap
    do_revoke_api_token(made[0], actor=world.users["partner_a"])
    ApiToken.objects.filter(pk=made[1].pk).update(expires_at=timezone.now() - timedelta(days=1))
    make_token(world)  # revoked and expired tokens do not count
    make_token(world)
    with pytest.raises(ApiTokenRefused):
        make_token(world)
    assert ApiToken.objects.filter(organisation=world.partner_a).count() == 5


def test_the_token_page_says_why_no_more_tokens_are_made(staff_client, world, settings):
    from safehaven.finance.tests.funds_helpers import mark_fresh

    settings.PARTNER_API_MAX_LIVE_TOKENS = 1
    make_token(world)
    client = staff_client("partner_a", reauthenticated=False)
    mark_fresh(client, world.users["partner_a"], "password", "mfa")
    response = client.post(CREATE, {"label": "Second desk", "valid_days": "30"})
    assert response.status_code == 200
    assert "already has 1 token in use" in response.content.decode()
    assert 'value="Second desk"' in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_a_member_of_partner_b_cannot_make_a_token_for_partner_a(world):
    """The maker must be a partner member of the token's organisation when the token is used:
    a token made (by a database writer, or a bug) for another organisation is refused."""
    token, secret = do_create_api_token(
        organisation=world.partner_a,
        label="Planted",
        valid_days=30,
        actor=world.users["partner_b"],
    )
    assert calls_with(secret) == (401, 401)
    (event,) = events(EventType.API_TOKEN_REFUSED)
    assert event.detail == "reason=maker"
    assert token.pk

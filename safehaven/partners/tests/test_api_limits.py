"""Partner budgets: a refused token is audited once a window and answered 429 when it keeps
trying; one organisation's tokens share a budget beside each token's own; the portal's refer
and import pages have a budget per organisation (the form kept, nothing saved); and an error
never echoes a key the caller sent that the schema does not name."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safehaven.core.event_types import EventType
from safehaven.intake.models import HelpRequest
from safehaven.partners.tests.api_helpers import (
    API,
    api_client,
    events,
    forget_rate_counts,
    make_token,
    post_json,
)
from safehaven.partners.tests.portal_helpers import logged_in
from safehaven.partners.tests.referral_helpers import referral_data

pytestmark = pytest.mark.django_db
REFER_URL = "/en/partners/refer/"
IMPORT_URL = "/en/partners/import/"


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    forget_rate_counts()
    yield
    forget_rate_counts()


@pytest.fixture
def budgets(settings):
    """Set some budgets, the others as configured."""

    def set_budgets(**limits: tuple[int, int]) -> None:
        settings.PARTNER_API_RATE_LIMITS = {**settings.PARTNER_API_RATE_LIMITS, **limits}

    return set_budgets


def listed(secret: str):
    return api_client(secret).get(f"{API}/referrals")


def expire(token, monkeypatch):
    later = token.expires_at + timedelta(seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)


def test_a_refused_token_is_audited_once_a_window_however_often_it_calls(world, monkeypatch):
    token, secret = make_token(world)
    expire(token, monkeypatch)
    codes = [listed(secret).status_code for _ in range(15)]
    assert set(codes) == {401}
    (event,) = events(EventType.API_TOKEN_REFUSED)
    assert event.detail == "reason=expired"


def test_a_secret_that_keeps_being_refused_gets_429_known_or_not(world, budgets, monkeypatch):
    budgets(refused_calls=(3, 600))
    token, expired_secret = make_token(world)
    unknown_secret = "shp_" + "B" * 43
    expire(token, monkeypatch)
    for secret in (expired_secret, unknown_secret):
        codes = [listed(secret).status_code for _ in range(5)]
        assert codes == [401, 401, 401, 429, 429]
    throttled = listed(expired_secret)
    assert 1 <= int(throttled["Retry-After"]) <= 600
    assert throttled.json()["detail"] == (
        "Too many calls with this token were refused: wait, then try again."
    )
    assert len(events(EventType.API_TOKEN_REFUSED)) == 1


def test_refusals_of_one_secret_never_block_a_live_token(world, budgets):
    budgets(refused_calls=(1, 600))
    _token, secret = make_token(world)
    for _ in range(3):
        listed("shp_" + "C" * 43)
        listed(secret[:-1] + ("A" if secret[-1] != "A" else "B"))  # one character off
    assert listed(secret).status_code == 200


def test_an_organisations_tokens_share_one_budget_beside_their_own(world, budgets):
    budgets(calls=(100, 60), organisation_calls=(3, 60))
    _first, first = make_token(world)
    _second, second = make_token(world)
    _other, other = make_token(world, "partner_b")
    assert [listed(first).status_code for _ in range(2)] == [200, 200]
    assert listed(second).status_code == 200
    throttled = listed(second)
    assert throttled.status_code == 429
    assert throttled.json()["detail"] == (
        "Too many calls from your organisation's tokens: wait, then try again."
    )
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert listed(other).status_code == 200  # another organisation counts on its own


def test_an_organisations_imports_share_one_budget(world, budgets):
    budgets(imports=(100, 3600), organisation_imports=(1, 3600))
    _first, first = make_token(world)
    _second, second = make_token(world)
    text = "situation,country,consent\nThreatened at home,RU,yes\n"
    batch = f"{API}/referrals/batch"
    assert api_client(first).post(batch, text, content_type="text/csv").status_code == 201
    assert api_client(second).post(batch, text, content_type="text/csv").status_code == 429
    assert HelpRequest.objects.count() == 1


def test_the_portal_limits_referrals_per_organisation_and_keeps_the_form(world, budgets):
    budgets(portal_referrals=(1, 3600))
    client = logged_in(world, "partner_a")
    form = {
        "known_as": "Lena",
        "situation": "Portal-Story-Quillfern is followed home.",
        "country": "RU",
        "consent": "on",
    }
    assert client.post(REFER_URL, form).status_code == 302
    again = client.post(REFER_URL, {**form, "known_as": "Mira"})
    html = again.content.decode()
    assert again.status_code == 200
    assert "Your organisation has referred many people in a short time" in html
    assert "What you typed is still here" in html
    assert 'value="Mira"' in html
    assert "Portal-Story-Quillfern is followed home." in html
    assert HelpRequest.objects.count() == 1
    other = logged_in(world, "partner_b")
    assert other.post(REFER_URL, form).status_code == 302  # partner B has its own budget


def test_the_portal_limits_imports_per_organisation(world, budgets):
    budgets(portal_imports=(1, 3600))
    client = logged_in(world, "partner_a")

    def upload():
        text = b"situation,country,consent\nThreatened at home,RU,yes\n"
        return {"file": SimpleUploadedFile("batch.csv", text, "text/csv")}

    assert client.post(IMPORT_URL, upload()).status_code == 302
    again = client.post(IMPORT_URL, upload())
    assert again.status_code == 200
    html = again.content.decode()
    assert "Your organisation has imported many files in a short time" in html
    assert "Nothing was saved" in html
    assert HelpRequest.objects.count() == 1


def test_a_form_with_mistakes_does_not_use_the_portal_budget(world, budgets):
    budgets(portal_referrals=(1, 3600))
    client = logged_in(world, "partner_a")
    assert client.post(REFER_URL, {"situation": "", "country": "RU"}).status_code == 200
    form = {"situation": "Portal-Story-Sedgewick", "country": "RU", "consent": "on"}
    assert client.post(REFER_URL, form).status_code == 302


@pytest.mark.parametrize(
    "key",
    ["+79123456789", "Anna Petrova", "situation ", "__all__", "body", "payload"],
)
def test_an_error_never_echoes_a_key_the_schema_does_not_name(world, key):
    _token, secret = make_token(world)
    response = post_json(api_client(secret), "/referrals", {**referral_data(), key: "x"})
    assert response.status_code == 422
    assert key.strip() not in ("", *(error["field"] for error in response.json()["errors"]))
    assert all(error["field"] == "" for error in response.json()["errors"])
    if key.strip() not in ("body", "payload", "__all__"):
        assert key.encode() not in response.content


def test_an_error_still_names_a_field_of_the_schema(world):
    _token, secret = make_token(world)
    response = post_json(api_client(secret), "/referrals", {"situation": ["a"], "country": "RU"})
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"situation", "consent"}

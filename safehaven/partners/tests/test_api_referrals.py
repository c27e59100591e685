"""Referrals through the partner API: one person (sealed, visible to triage, no codename
anywhere), a batch (one bad row saves nothing and is named), reading only one's own
organisation's referrals (another's is 404, never listed), and clear 4xx for bad bodies."""

import json

import pytest

from safehaven.core.event_types import EventType
from safehaven.intake.access import requests_visible_to
from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.intake.referral_codes.actions import do_create_referral_code
from safehaven.intake.tests.helpers import opened_request, submit_request
from safehaven.partners.tests.api_helpers import (
    API,
    api_client,
    events,
    forget_rate_counts,
    make_token,
    post_json,
)
from safehaven.partners.tests.referral_helpers import csv_text, refer, referral_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    forget_rate_counts()
    yield
    forget_rate_counts()


@pytest.fixture
def client_a(world):
    return api_client(make_token(world)[1])


def test_it_refers_a_person_sealed_for_triage_and_audits_the_use(world, client_a):
    response = post_json(client_a, "/referrals", referral_data(known_as="Wyvern Astrakhova"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "status"}
    help_request = HelpRequest.objects.get(pk=body["id"])
    assert help_request.channel == RequestChannel.API
    assert help_request.referred_by == world.partner_a
    assert help_request.codename_hash is None
    assert requests_visible_to(world.users["triage"]).filter(pk=help_request.pk).exists()
    assert opened_request(help_request, "triage").sealed("known_as") == "Wyvern Astrakhova"
    assert "Wyvern" not in response.content.decode()
    (used,) = events(EventType.API_TOKEN_USED)
    assert used.detail == "op=refer outcome=done count=1"
    (made,) = events(EventType.PARTNER_REFERRAL_MADE)
    assert made.target_ref == str(help_request.record_id)


def test_triage_sees_it_in_their_list(world, client_a, staff_client):
    created = post_json(client_a, "/referrals", referral_data()).json()
    listing = staff_client("triage").get("/en/staff/requests/").content.decode()
    assert f"#{created['id']}" in listing


def test_it_answers_form_errors_as_fields_and_saves_nothing(world, client_a):
    response = post_json(client_a, "/referrals", referral_data(country="XX", consent="no"))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert {error["field"] for error in body["errors"]} >= {"country", "consent"}
    assert not HelpRequest.objects.exists()
    (used,) = events(EventType.API_TOKEN_USED)
    assert used.detail == "op=refer outcome=refused count=0"


def test_it_refuses_unknown_or_missing_fields_and_wrong_types(world, client_a):
    for body in (
        referral_data(colour="blue"),
        {"country": "RU", "consent": "yes"},
        referral_data(companions=2),
        [referral_data()],
        "text",
        None,
    ):
        response = post_json(client_a, "/referrals", body)
        assert response.status_code in {400, 422}, (body, response.content)
        assert response.json()["detail"]
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"\xff\xfe\x00garbage", "application/json", 400),
        (b"situation=x&country=RU", "application/x-www-form-urlencoded", 415),
        (b'{"situation": "x"}', "text/plain", 415),
        (b"", "application/json", 415),  # no body: the test client sends no type either
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
    ],
)
def test_it_answers_a_bad_body_with_a_clear_4xx(world, client_a, content, content_type, status):
    response = client_a.post(f"{API}/referrals", content, content_type=content_type)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert not HelpRequest.objects.exists()


def test_it_refuses_an_oversize_body_before_reading_it(world, client_a, settings):
    settings.PARTNER_API_MAX_BODY_BYTES = 1000
    big = json.dumps(referral_data(situation="x" * 2000))
    response = client_a.post(f"{API}/referrals", big, content_type="application/json")
    assert response.status_code == 413
    assert "1000" in response.json()["detail"]


def test_a_token_of_a_never_reads_nor_lists_bs_referral(world, client_a):
    referral_b = refer(world, "partner_b")
    referral_a = refer(world, "partner_a")
    assert client_a.get(f"{API}/referrals/{referral_b.pk}").status_code == 404
    unknown = client_a.get(f"{API}/referrals/999999")
    assert unknown.status_code == 404
    assert client_a.get(f"{API}/referrals/{referral_b.pk}").content == unknown.content
    listed = client_a.get(f"{API}/referrals").json()
    assert [item["id"] for item in listed["items"]] == [referral_a.pk]
    assert listed["count"] == 1
    shown = client_a.get(f"{API}/referrals/{referral_a.pk}").json()
    assert shown == {
        "id": referral_a.pk,
        "received_month": referral_a.received_month.strftime("%Y-%m"),
        "channel": "portal",
        "status": str(referral_a.get_status_display()),
    }
    refused = [e for e in events(EventType.API_TOKEN_USED) if "refused" in e.detail]
    assert len(refused) == 3


def test_the_status_it_shows_follows_triage(world, client_a):
    referral = refer(world)
    before = client_a.get(f"{API}/referrals/{referral.pk}").json()["status"]
    HelpRequest.objects.filter(pk=referral.pk).update(status="declined")
    after = client_a.get(f"{API}/referrals/{referral.pk}").json()["status"]
    assert before != after


def test_it_pages_the_list_and_refuses_a_page_out_of_range(world, client_a):
    for _ in range(3):
        refer(world)
    assert client_a.get(f"{API}/referrals?page=2").json()["items"] == []
    for page in ("0", "-1", "x", str(10**30)):
        assert client_a.get(f"{API}/referrals?page={page}").status_code == 422
    for request_id in ("0", "x", str(10**30)):
        assert client_a.get(f"{API}/referrals/{request_id}").status_code in {404, 422}


def test_no_answer_ever_holds_a_codename(world, client_a):
    code = do_create_referral_code(world.teams["partner_a"], actor=None)
    codename = submit_request(referral_code=code)
    by_code = HelpRequest.objects.get(codename_hash__isnull=False)
    assert by_code.referred_by == world.partner_a
    made = post_json(client_a, "/referrals", referral_data())
    answers = [
        made,
        client_a.get(f"{API}/referrals"),
        client_a.get(f"{API}/referrals/{by_code.pk}"),
        client_a.get(f"{API}/referrals/{made.json()['id']}"),
    ]
    for response in answers:
        assert response.status_code in {200, 201}
        text = response.content.decode()
        for word in codename.split():
            assert word not in text
        assert by_code.codename_hash not in text
        assert "codename" not in text


def test_a_batch_imports_every_row(world, client_a):
    text = csv_text([referral_data(known_as=f"Person {n}") for n in range(3)])
    response = client_a.post(f"{API}/referrals/batch", text, content_type="text/csv")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["count"] == 3
    assert len(body["ids"]) == 3
    made = HelpRequest.objects.filter(pk__in=body["ids"])
    assert {help_request.channel for help_request in made} == {RequestChannel.API}
    (used,) = events(EventType.API_TOKEN_USED)
    assert used.detail == "op=import outcome=done count=3"


def test_a_batch_also_comes_as_json(world, client_a):
    text = csv_text([referral_data()])
    response = post_json(client_a, "/referrals/batch", {"csv": text})
    assert response.status_code == 201, response.content


def test_a_batch_with_one_bad_row_saves_nothing_and_names_the_row(world, client_a):
    rows = [referral_data(), referral_data(), referral_data(country="ZZ"), referral_data()]
    response = client_a.post(f"{API}/referrals/batch", csv_text(rows), content_type="text/csv")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert [problem["line"] for problem in body["problems"]] == [4]
    assert body["problems"][0]["message"]
    assert not HelpRequest.objects.exists()
    assert not events(EventType.PARTNER_REFERRALS_IMPORTED)
    (used,) = events(EventType.API_TOKEN_USED)
    assert used.detail == "op=import outcome=refused count=0"


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"", "text/csv", 415),  # no body: the test client sends no type either
        (b"\xff\xfe\xfd", "text/csv", 400),
        (b"known_as\n\x00", "text/csv", 400),
        (b'{"csv": 5}', "application/json", 400),
        (b'{"csv": "a", "more": 1}', "application/json", 400),
        (b"[]", "application/json", 400),
        (b"{oops", "application/json", 400),
        (b"a,b\n1,2", "text/plain", 415),
    ],
)
def test_a_bad_batch_body_gets_a_clear_4xx(world, client_a, content, content_type, status):
    response = client_a.post(f"{API}/referrals/batch", content, content_type=content_type)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert not HelpRequest.objects.exists()


def test_a_batch_has_its_own_smaller_rate_limit(world, client_a, settings):
    settings.PARTNER_API_RATE_LIMITS = {
        **settings.PARTNER_API_RATE_LIMITS,
        "calls": (100, 60),
        "imports": (1, 3600),
    }
    text = csv_text([referral_data()])
    first = client_a.post(f"{API}/referrals/batch", text, content_type="text/csv")
    second = client_a.post(f"{API}/referrals/batch", text, content_type="text/csv")
    assert (first.status_code, second.status_code) == (201, 429)
    assert int(second["Retry-After"]) > 0
    assert client_a.get(f"{API}/referrals").status_code == 200


def test_a_suspension_after_the_token_was_checked_still_stores_nothing(world, client_a):
    """The referral action reads the suspension again in its own transaction."""
    from safehaven.partners.choices import VettingStatus
    from safehaven.partners.models import PartnerVetting

    PartnerVetting.objects.create(organisation=world.partner_a, status=VettingStatus.SUSPENDED)
    response = post_json(client_a, "/referrals", referral_data())
    assert response.status_code == 401
    assert not HelpRequest.objects.exists()

"""The proof-of-work stamp as the help form receives it: a replayed, forged or stale stamp is
taken as none (the stricter budget), and over that budget the page says the check of the page
could not be used, so that pressing "Send" again (a new check) is the advice; a full stamp
memory only says "wait". Stamped requests also count per wider network."""

import time

import pytest
from django.test import Client

from safehaven.core.public_forms.proof_of_work import (
    CHALLENGE_MAX_AGE,
    SPENT,
    Claim,
    Verdict,
    issue_challenge,
    solve,
)
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import rate_limits, stamp_fields, valid_post

pytestmark = pytest.mark.django_db

URL = "/en/help/"


def page(response) -> str:
    return response.content.decode()


STAMP_NOT_USABLE = "the automatic check of this page had expired or could not be used"


def test_it_counts_a_replayed_stamp_as_no_stamp(client: Client, settings, world):
    settings.INTAKE_RATE_LIMITS = rate_limits(
        submit_with_pow=(5, 3600), submit_without_pow=(0, 3600)
    )
    stamp = stamp_fields()
    assert client.post(URL, valid_post() | stamp).status_code == 200
    replayed = client.post(URL, valid_post(region="Dagestan") | stamp)
    assert replayed.status_code == 429
    assert STAMP_NOT_USABLE in page(replayed)
    assert 'value="Dagestan"' in page(replayed)
    SPENT.clear()  # the shared table still remembers it
    assert client.post(URL, valid_post() | stamp).status_code == 429
    assert HelpRequest.objects.count() == 1


@pytest.mark.parametrize(
    "counter", ["1", "99999999999999999999999", "-1", "\uff11\uff12", "<b>1</b>"], ids=repr
)
def test_it_explains_a_forged_stamp_without_storing(client: Client, settings, world, counter):
    settings.INTAKE_RATE_LIMITS = rate_limits(submit_without_pow=(0, 3600))
    forged = stamp_fields() | {"pow_counter": counter}
    if counter == "1":  # a counter that does not do the work (a real one is ~16 at 4 bits)
        forged["pow_challenge"] = forged["pow_challenge"][:-2] + "xx"  # and a bad signature

    response = client.post(URL, valid_post(region="Dagestan") | forged)

    assert response.status_code == 429
    assert STAMP_NOT_USABLE in page(response)
    assert 'value="Dagestan"' in page(response)
    assert not HelpRequest.objects.exists()


def test_it_explains_a_stamp_from_a_page_left_open_too_long(client: Client, settings, world):
    settings.INTAKE_RATE_LIMITS = rate_limits(submit_without_pow=(0, 3600))
    bits = settings.INTAKE_POW_BITS
    stale = issue_challenge(bits, now=time.time() - CHALLENGE_MAX_AGE - 60)
    fields = {"pow_challenge": stale, "pow_counter": str(solve(stale, bits))}

    response = client.post(URL, valid_post(region="Dagestan") | fields)

    assert response.status_code == 429
    assert STAMP_NOT_USABLE in page(response)
    assert 'value="Dagestan"' in page(response)


def test_it_only_says_wait_when_the_stamp_memory_is_full(client, settings, world, monkeypatch):
    from safehaven.intake.submission import actions

    settings.INTAKE_RATE_LIMITS = rate_limits(submit_without_pow=(0, 3600))
    monkeypatch.setattr(actions, "claim_checked", lambda checked: Claim(Verdict.BUSY))

    response = client.post(URL, valid_post() | stamp_fields())

    assert response.status_code == 429
    assert STAMP_NOT_USABLE not in page(response)
    assert "please wait about" in page(response)


def test_it_takes_a_forged_stamp_as_none_within_the_stricter_budget(client: Client, world):
    forged = stamp_fields() | {"pow_counter": "1"}
    forged["pow_challenge"] = forged["pow_challenge"][:-2] + "xx"
    assert client.post(URL, valid_post() | forged).status_code == 200
    assert HelpRequest.objects.count() == 1


def test_it_limits_requests_with_a_stamp_from_one_network(settings, world):
    settings.INTAKE_RATE_LIMITS = rate_limits(submit_with_pow_network=(2, 3600))
    # Three /64s of one /48, each with a good stamp and within its own budget.
    for number in range(2):
        sent = Client(REMOTE_ADDR=f"2001:db8:5:{number}::1").post(
            URL, valid_post() | stamp_fields()
        )
        assert sent.status_code == 200
    refused = Client(REMOTE_ADDR="2001:db8:5:99::1").post(
        URL, valid_post(region="Dagestan") | stamp_fields()
    )
    assert refused.status_code == 429
    assert 'value="Dagestan"' in page(refused)
    assert "please wait about" in page(refused)
    assert (
        Client(REMOTE_ADDR="2001:db8:6::1").post(URL, valid_post() | stamp_fields()).status_code
        == 200
    )

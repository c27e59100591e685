"""Whether a person chose a danger phrase is not visible in the database: without one, the
sealed digest column holds a random stand-in of the same length instead of NULL."""

import pytest
from django.test import Client

from safehaven.intake.models import HelpRequest, RequestMessage
from safehaven.intake.submission.sealing import match_phrase, read_details
from safehaven.intake.tests.helpers import (
    STATUS_URL,
    latest_request,
    opened_request,
    staff_client_with_keys,
    submit_request,
)

pytestmark = pytest.mark.django_db
CHECK_IN = "blue river morning"
DANGER = "red lantern harbour"


def raw_digest_columns(help_request: HelpRequest) -> list[int | None]:
    row = HelpRequest.objects.filter(pk=help_request.pk).values_list(
        "checkin_phrase_digest", "duress_phrase_digest"
    )[0]
    return [None if value is None else len(bytes(value)) for value in row]


def test_it_stores_the_same_raw_row_with_and_without_a_danger_phrase(world):
    submit_request(checkin_phrase=CHECK_IN, duress_phrase=DANGER)
    with_danger = latest_request()
    submit_request(checkin_phrase=CHECK_IN)
    without_danger = latest_request()

    assert raw_digest_columns(with_danger) == raw_digest_columns(without_danger)
    assert raw_digest_columns(without_danger)[1] is not None
    assert read_details(opened_request(with_danger)).has_danger_phrase is True
    assert read_details(opened_request(without_danger)).has_danger_phrase is False


def test_it_never_matches_the_stand_in(world):
    codename = submit_request(checkin_phrase=CHECK_IN)
    help_request = opened_request(latest_request())
    stand_in = help_request.sealed("duress_phrase_digest") or ""

    assert match_phrase(help_request, stand_in) is None
    assert match_phrase(help_request, "") is None
    Client().post(STATUS_URL, {"codename": codename, "phrase": stand_in})
    assert not RequestMessage.objects.exists()


def test_it_tells_triage_whether_a_danger_phrase_was_chosen(world):
    submit_request(checkin_phrase=CHECK_IN)
    without_danger = latest_request()
    submit_request(checkin_phrase=CHECK_IN, duress_phrase=DANGER)
    with_danger = latest_request()
    triage = staff_client_with_keys(world, "triage")

    def phrases(help_request: HelpRequest) -> str:
        html = triage.get(f"/en/staff/requests/{help_request.pk}/").content.decode()
        return html.split("Phrases")[1].split("</dd>")[0]

    assert "A danger phrase too." not in phrases(without_danger)
    assert "A danger phrase too." in phrases(with_danger)

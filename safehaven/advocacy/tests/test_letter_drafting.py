"""The generated draft of a letter: what is asked, of whom, the counts, the crisis and the
countries of origin; never a person (advocacy.letters.drafting)."""

import datetime

import pytest

from safehaven.advocacy.letters.actions import do_edit_advocacy_letter
from safehaven.advocacy.letters.drafting import generated_letter
from safehaven.advocacy.requests.counts import request_counts
from safehaven.advocacy.tests.helpers import (
    a_crisis,
    draft,
    government_consent,
    household_of_two,
    include,
    name,
)
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db


def test_it_drafts_an_emergency_visa_letter_with_counts_and_the_crisis(world):
    crisis = a_crisis(world)
    advocacy_request = draft(world, crisis=crisis)
    case, _second = household_of_two(world)
    government_consent(world, case)
    name(include(case, advocacy_request), full_name="Sentinel-Name Never Drafted")
    include(assigned_case(world, country="UZ"), advocacy_request)
    letter = generated_letter(advocacy_request, request_counts(advocacy_request))
    assert letter.startswith("To: Immigration ministry, refugee branch, Ottawa")
    assert "Safe Haven asks the Government of Canada to issue emergency visas" in letter
    assert "under Urgent protection programme, to 3 people (2 households)" in letter
    assert "They are fleeing Chechnya purge 2017, which began on" in letter
    assert "By country of origin: Russia: 2 people; Uzbekistan: 1 person." in letter
    assert "Sentinel" not in letter


def test_it_drafts_a_protection_letter_for_a_crisis_that_ended(world):
    crisis = a_crisis(world)
    crisis.ends_on = datetime.date(2017, 6, 30)
    crisis.save()
    advocacy_request = draft(world, crisis=crisis, kind="protection", government="DE")
    letter = generated_letter(advocacy_request, request_counts(advocacy_request))
    assert "asks the Government of Germany to grant protection" in letter
    assert "to 0 people (0 households)" in letter
    assert "They fled Chechnya purge 2017, from" in letter
    assert "By country of origin" not in letter


def test_it_refuses_an_empty_letter_or_one_by_a_caseworker(world):
    advocacy_request = draft(world)
    with pytest.raises(CaseActionRefused, match="Write the letter"):
        do_edit_advocacy_letter(advocacy_request, text="  ", actor=world.users["advocacy"])
    with pytest.raises(CaseActionRefused, match="Only an advocacy officer"):
        do_edit_advocacy_letter(advocacy_request, text="Hello", actor=world.users["caseworker"])

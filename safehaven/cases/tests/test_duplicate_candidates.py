"""Possible duplicates: which pairs are proposed, with which signals, and in which order."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.duplicates.actions import do_mark_cases_distinct
from safehaven.cases.duplicates.queries import (
    CROWDED_HINT,
    case_candidates,
    duplicate_candidates,
)
from safehaven.cases.models import Case
from safehaven.cases.tests.duplicate_helpers import (
    SHARED_PHONE,
    attach_request,
    bare_request,
    case_reached_by,
    give_case_name_hint,
    give_name_hint,
    other_organisation_case,
    waiting_request,
)
from safehaven.cases.tests.helpers import bare_case, primary_request

pytestmark = pytest.mark.django_db


def pairs(world) -> list[tuple[int, int]]:
    return [(c.first.pk, c.second.pk) for c in case_candidates([world.organisation.pk])]


def test_it_proposes_two_cases_sharing_a_phone_hint_with_signals_that_name_no_one(world):
    first = case_reached_by(world, phone=SHARED_PHONE, country="RU")
    second = case_reached_by(world, phone=SHARED_PHONE, country="RU")
    case_reached_by(world, country="RU")  # its own contact: no pair
    [candidate] = case_candidates([world.organisation.pk])
    assert (candidate.first.pk, candidate.second.pk) == (first.pk, second.pk)
    assert candidate.kinds == ("phone",)
    assert candidate.same_country
    assert candidate.months_apart == 0
    assert not candidate.same_partner
    assert not candidate.same_crisis
    assert not candidate.name_only
    assert candidate.first.is_case
    assert candidate.second.is_case


def test_it_proposes_two_cases_from_a_partners_name_hint_as_weaker(world):
    by_name = [case_reached_by(world), case_reached_by(world)]
    for case in by_name:
        give_case_name_hint(case, "Ruslan Aliev")
    by_phone = [case_reached_by(world, phone=SHARED_PHONE) for _ in range(2)]
    found = case_candidates([world.organisation.pk])
    assert [(c.first.pk, c.second.pk) for c in found] == [
        (by_phone[0].pk, by_phone[1].pk),
        (by_name[0].pk, by_name[1].pk),
    ]
    assert found[1].kinds == ("name",)
    assert found[1].name_only
    # Names are normalised before the index: case and accents do not matter.
    give_name_hint(primary_request(by_phone[0]), "ruslan ALIEV")
    kinds = {(c.first.pk, c.second.pk): c.kinds for c in case_candidates([world.organisation.pk])}
    assert kinds[(by_name[0].pk, by_phone[0].pk)] == ("name",)


def test_it_ranks_a_phone_and_a_name_above_a_phone_alone(world):
    alone = [case_reached_by(world, phone="+7 900 000-00-01") for _ in range(2)]
    both = [case_reached_by(world, phone=SHARED_PHONE) for _ in range(2)]
    for case in both:
        give_case_name_hint(case, "Zarema")
    found = case_candidates([world.organisation.pk])
    assert [(c.first.pk, c.kinds) for c in found] == [
        (both[0].pk, ("phone", "name")),
        (alone[0].pk, ("phone",)),
    ]


def test_it_tells_the_same_referring_partner_and_months_apart(world):
    first = case_reached_by(world, phone=SHARED_PHONE)
    second = case_reached_by(world, phone=SHARED_PHONE)
    Case.objects.filter(pk__in=[first.pk, second.pk]).update(referred_by=world.partner_a)
    Case.objects.filter(pk=first.pk).update(received_month="2024-01-01")
    Case.objects.filter(pk=second.pk).update(received_month="2024-04-01")
    [candidate] = case_candidates([world.organisation.pk])
    assert candidate.same_partner
    assert candidate.first.partner_name == world.partner_a.name
    assert candidate.months_apart == 3


def test_it_never_proposes_a_pair_marked_distinct(world):
    first = case_reached_by(world, phone=SHARED_PHONE)
    second = case_reached_by(world, phone=SHARED_PHONE)
    assert pairs(world) == [(first.pk, second.pk)]
    do_mark_cases_distinct(second, first, actor=world.users["triage"])
    assert pairs(world) == []
    third = case_reached_by(world, phone=SHARED_PHONE)
    assert pairs(world) == [(first.pk, third.pk), (second.pk, third.pk)]


def test_it_never_proposes_a_merged_or_closed_case(world):
    first = case_reached_by(world, phone=SHARED_PHONE)
    second = case_reached_by(world, phone=SHARED_PHONE)
    third = case_reached_by(world, phone=SHARED_PHONE)
    Case.objects.filter(pk=second.pk).update(
        state=CaseState.CLOSED, outcome=CaseOutcome.MERGED, merged_into=first
    )
    assert pairs(world) == [(first.pk, third.pk)]
    Case.objects.filter(pk=third.pk).update(state=CaseState.CLOSED)
    assert pairs(world) == []


def test_it_never_pairs_another_organisations_cases(world):
    ours = case_reached_by(world, phone=SHARED_PHONE)
    theirs = other_organisation_case(world)
    assert pairs(world) == []
    assert case_candidates([theirs.organisation_id]) == []
    assert case_candidates([world.organisation.pk, theirs.organisation_id]) == []
    assert ours.organisation_id != theirs.organisation_id


def test_it_matches_waiting_requests_with_cases_and_with_each_other(world):
    case = case_reached_by(world, phone=SHARED_PHONE)
    request = waiting_request(phone=SHARED_PHONE)
    named = [waiting_request(), waiting_request()]
    for row in named:
        give_name_hint(row, "Ali")
    waiting_request()  # no hint in common
    found = duplicate_candidates([world.organisation.pk], with_requests=True)
    assert found.cases == []
    assert [(c.first.kind, c.first.pk, c.second.kind, c.second.pk) for c in found.requests] == [
        ("request", request.pk, "case", case.pk),
        ("request", named[0].pk, "request", named[1].pk),
    ]
    assert duplicate_candidates([world.organisation.pk], with_requests=False).requests == []


def test_it_leaves_out_a_hint_too_common_to_tell_anyone_apart(world):
    crowd = [bare_case(world) for _ in range(CROWDED_HINT + 1)]
    for case in crowd:
        request = bare_request()
        attach_request(case, request)
        give_name_hint(request, "Ivan")
    assert pairs(world) == []


def test_it_reads_thousands_of_hints_in_three_queries(world):
    cases = [bare_case(world) for _ in range(3)]
    for case in cases:
        request = waiting_request(phone=SHARED_PHONE)
        attach_request(case, request)
    with CaptureQueriesContext(connection) as queries:
        found = duplicate_candidates([world.organisation.pk], with_requests=True)
    assert len(found.cases) == 3
    assert len(queries) == 3

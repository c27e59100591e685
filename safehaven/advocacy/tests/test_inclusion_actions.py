"""Counting cases in a request, taking them out, and counting a crisis's cases at once
(advocacy.inclusions.actions)."""

import uuid

import pytest

from safehaven.accounts.models import Role
from safehaven.advocacy.choices import AdvocacyStatus
from safehaven.advocacy.inclusions.actions import (
    do_count_crisis_cases,
    do_include_case,
    do_remove_case,
)
from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyRequest
from safehaven.advocacy.requests.counts import request_counts
from safehaven.advocacy.tests.helpers import (
    a_crisis,
    as_user,
    draft,
    household_of_two,
    include,
    tagged,
)
from safehaven.cases.choices import CaseState
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.tests.helpers import bare_case, open_case, staff_member
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db


def events(event_type: EventType) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("sequence"))


def test_it_counts_a_household_by_its_linked_people_and_audits_the_case(world):
    advocacy_request = draft(world)
    case, _second = household_of_two(world)
    inclusion = include(case, advocacy_request)
    assert (inclusion.case, inclusion.people, inclusion.included_by) == (
        case,
        2,
        world.users["caseworker"],
    )
    [event] = events(EventType.ADVOCACY_CASE_INCLUDED)
    assert (event.target_type, event.target_ref) == ("case", str(case.pk))
    assert event.detail == (
        f"advocacy request #{advocacy_request.pk}, inclusion #{inclusion.pk}: 2 people"
    )
    counts = request_counts(advocacy_request)
    assert (counts.cases, counts.people, counts.named) == (1, 2, 0)
    assert [(item.country, item.cases, item.people) for item in counts.by_country] == [
        (case.country, 1, 2)
    ]


def test_it_does_not_count_a_person_row_written_around_the_application(world):
    case = assigned_case(world)
    CasePerson.objects.create(case=case, record_id=uuid.uuid4(), is_primary=False)
    inclusion = include(case, draft(world))
    assert inclusion.people == 1


@pytest.mark.parametrize("username", ["advocacy", "finance"])
def test_it_refuses_anyone_whose_key_does_not_open_the_casework(world, username):
    case = assigned_case(world)
    with pytest.raises(CaseActionRefused, match="Your key cannot open"):
        do_include_case(case, advocacy_request=draft(world), **as_user(username))
    assert not AdvocacyInclusion.objects.exists()


def test_it_refuses_a_caseworker_not_given_the_case(world):
    staff_member(world, "another_caseworker", Role.CASEWORKER)
    case = assigned_case(world)
    with pytest.raises(CaseActionRefused, match="Your key cannot open"):
        include(case, draft(world), username="another_caseworker")


def test_it_refuses_a_request_of_another_organisation(world):
    other = AdvocacyRequest.objects.create(
        organisation=world.partner_a,
        kind="protection",
        government="CA",
        programme="P",
        contact="C",
    )
    with pytest.raises(CaseActionRefused, match="not of this case's organisation"):
        include(assigned_case(world), other)


def test_it_refuses_a_decided_request_a_case_counted_twice_and_an_ended_case(world):
    advocacy_request = draft(world)
    case = assigned_case(world)
    include(case, advocacy_request)
    with pytest.raises(CaseActionRefused, match="already counted"):
        include(case, advocacy_request)
    AdvocacyRequest.objects.filter(pk=advocacy_request.pk).update(status=AdvocacyStatus.GRANTED)
    advocacy_request.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="has decided"):
        include(assigned_case(world), advocacy_request)
    arrived = assigned_case(world)
    Case.objects.filter(pk=arrived.pk).update(state=CaseState.ARRIVED)
    arrived.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="travelling, has arrived or has ended"):
        include(arrived, draft(world))


def test_it_takes_a_case_out_and_lets_it_be_counted_again(world):
    advocacy_request = draft(world)
    case = assigned_case(world)
    inclusion = include(case, advocacy_request)
    do_remove_case(inclusion, **as_user())
    inclusion.refresh_from_db()
    assert inclusion.is_removed
    assert inclusion.removed_by == world.users["caseworker"]
    assert request_counts(advocacy_request).cases == 0
    [event] = events(EventType.ADVOCACY_CASE_REMOVED)
    assert event.target_ref == str(case.pk)
    assert event.detail == f"advocacy request #{advocacy_request.pk}, inclusion #{inclusion.pk}"
    with pytest.raises(CaseActionRefused, match="no longer counted"):
        do_remove_case(inclusion, **as_user())
    again = include(case, advocacy_request)
    assert again.pk != inclusion.pk
    assert request_counts(advocacy_request).cases == 1


def test_it_keeps_a_decided_request_s_cases_as_they_were_counted(world):
    advocacy_request = draft(world)
    inclusion = include(assigned_case(world), advocacy_request)
    AdvocacyRequest.objects.filter(pk=advocacy_request.pk).update(status=AdvocacyStatus.REFUSED)
    inclusion.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="has decided"):
        do_remove_case(inclusion, **as_user())


def test_it_counts_the_crisis_s_waiting_cases_once_each_and_audits_each(world):
    crisis, other_crisis = a_crisis(world), a_crisis(world, "Another crisis")
    advocacy_request = draft(world, crisis=crisis)
    mine = tagged(assigned_case(world), crisis)
    triages = tagged(open_case(world), crisis)
    closed = tagged(assigned_case(world), crisis)
    Case.objects.filter(pk=closed.pk).update(state=CaseState.CLOSED)
    taken_out = tagged(assigned_case(world), crisis)
    do_remove_case(include(taken_out, advocacy_request), **as_user())
    tagged(assigned_case(world), other_crisis)
    assigned_case(world)  # no crisis
    elsewhere = tagged(bare_case(world, organisation=world.partner_a), crisis)
    CasePerson.objects.create(case=elsewhere, record_id=uuid.uuid4(), is_primary=True)
    tagged(bare_case(world), crisis)  # no person to count

    added = do_count_crisis_cases(advocacy_request, actor=world.users["advocacy"])

    assert sorted(inclusion.case_id for inclusion in added) == sorted([mine.pk, triages.pk])
    assert all(inclusion.included_by == world.users["advocacy"] for inclusion in added)
    counted = AdvocacyInclusion.objects.filter(advocacy_request=advocacy_request, removed_at=None)
    assert sorted(counted.values_list("case_id", flat=True)) == sorted([mine.pk, triages.pk])
    audited = [
        event for event in events(EventType.ADVOCACY_CASE_INCLUDED) if "crisis" in event.detail
    ]
    assert sorted(event.target_ref for event in audited) == sorted([str(mine.pk), str(triages.pk)])
    assert do_count_crisis_cases(advocacy_request, actor=world.users["advocacy"]) == []


def test_it_refuses_a_crisis_count_by_a_caseworker_or_without_a_crisis(world):
    crisis = a_crisis(world)
    tagged(assigned_case(world), crisis)
    with pytest.raises(CaseActionRefused, match="Only an advocacy officer"):
        do_count_crisis_cases(draft(world, crisis=crisis), actor=world.users["caseworker"])
    with pytest.raises(CaseActionRefused, match="not for a crisis"):
        do_count_crisis_cases(draft(world), actor=world.users["advocacy"])
    decided = draft(world, crisis=crisis)
    AdvocacyRequest.objects.filter(pk=decided.pk).update(status=AdvocacyStatus.GRANTED)
    decided.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="has decided"):
        do_count_crisis_cases(decided, actor=world.users["advocacy"])
    assert not AdvocacyInclusion.objects.exists()

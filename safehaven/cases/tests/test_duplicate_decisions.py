"""The two decisions on a possible duplicate: marking two cases as different people, and
merging them, through the action and through the comparison page's forms."""

from __future__ import annotations

import pytest

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.duplicates.actions import do_mark_cases_distinct
from safehaven.cases.duplicates.queries import case_candidates
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CasePerson, DistinctCasePair
from safehaven.cases.tests.duplicate_helpers import (
    SHARED_PHONE,
    case_reached_by,
    other_organisation_case,
)
from safehaven.cases.tests.helpers import primary_request
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind

pytestmark = pytest.mark.django_db

CONFIRMED_DISTINCT = {"distinct-confirm": "on"}


def url(pair: tuple[Case, Case], decision: str) -> str:
    return f"/en/staff/duplicates/{pair[0].pk}/{pair[1].pk}/{decision}/"


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


@pytest.fixture
def pair(world) -> tuple[Case, Case]:
    return (
        case_reached_by(world, phone=SHARED_PHONE, situation="First story."),
        case_reached_by(world, phone=SHARED_PHONE, situation="Second story."),
    )


def test_it_marks_two_cases_distinct_in_order_audited_with_ids_only(world, pair):
    first, second = pair
    marked = do_mark_cases_distinct(second, first, actor=world.users["triage"])
    assert (marked.first_id, marked.second_id) == (first.pk, second.pk)
    assert marked.marked_by == world.users["triage"]
    event = AuditEvent.objects.get(event_type=EventType.CASES_MARKED_DISTINCT)
    assert event.detail == f"case #{first.pk} case #{second.pk}"
    assert event.actor_id == world.users["triage"].pk


def test_it_refuses_to_mark_a_pair_twice_itself_or_across_organisations(world, pair):
    triage = world.users["triage"]
    do_mark_cases_distinct(*pair, actor=triage)
    with pytest.raises(CaseActionRefused, match="already marked"):
        do_mark_cases_distinct(pair[1], pair[0], actor=triage)
    with pytest.raises(CaseActionRefused, match="itself"):
        do_mark_cases_distinct(pair[0], pair[0], actor=triage)
    with pytest.raises(CaseActionRefused, match="different organisations"):
        do_mark_cases_distinct(pair[0], other_organisation_case(world), actor=triage)
    assert DistinctCasePair.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=EventType.CASES_MARKED_DISTINCT).count() == 1


def test_it_marks_distinct_from_the_page_and_stops_proposing_the_pair(world, pair):
    client = staff_client_with_keys(world, "supervisor")
    response = client.post(url(pair, "distinct"), CONFIRMED_DISTINCT, follow=True)
    assert response.redirect_chain[-1][0] == "/en/staff/duplicates/"
    assert "marked as different people" in messages_of(response)
    assert DistinctCasePair.objects.filter(marked_by=world.users["supervisor"]).count() == 1
    assert case_candidates([world.organisation.pk]) == []


def test_it_asks_for_the_confirmation_box(world, pair):
    client = staff_client_with_keys(world, "triage")
    response = client.post(url(pair, "distinct"), {}, follow=True)
    assert response.redirect_chain[-1][0] == f"/en/staff/duplicates/{pair[0].pk}/{pair[1].pk}/"
    assert "Tick the box" in messages_of(response)
    assert not DistinctCasePair.objects.exists()


def test_it_refuses_a_decision_when_the_key_does_not_open_both(world, pair):
    RecordKeyWrap.objects.filter(
        record_key__record_id=primary_request(pair[1]).record_id, kind=RecordWrapKind.TEAM
    ).delete()
    client = staff_client_with_keys(world, "triage")
    response = client.post(url(pair, "distinct"), CONFIRMED_DISTINCT, follow=True)
    assert "does not open both cases" in messages_of(response)
    assert not DistinctCasePair.objects.exists()
    merge = {"merge-kept": pair[0].pk, "merge-confirm": "on"}
    response = client.post(url(pair, "merge"), merge, follow=True)
    assert "does not open both cases" in messages_of(response)
    assert Case.objects.get(pk=pair[1].pk).merged_into_id is None


def test_it_refuses_a_decision_without_an_unlocked_key(world, staff_client, pair):
    response = staff_client("triage").post(url(pair, "distinct"), CONFIRMED_DISTINCT, follow=True)
    assert "not unlocked" in messages_of(response)
    assert not DistinctCasePair.objects.exists()


@pytest.mark.parametrize("username", ["caseworker", "finance", "partner_b", "interpreter"])
def test_it_refuses_both_decisions_to_other_roles(world, staff_client, pair, username):
    client = staff_client(username)
    assert client.post(url(pair, "distinct"), CONFIRMED_DISTINCT).status_code == 403
    merge = {"merge-kept": pair[0].pk, "merge-confirm": "on"}
    assert client.post(url(pair, "merge"), merge).status_code == 403
    assert not DistinctCasePair.objects.exists()


def test_it_gives_404_for_a_decision_on_another_organisations_case(world, pair):
    theirs = other_organisation_case(world)
    client = staff_client_with_keys(world, "triage")
    assert client.post(url((pair[0], theirs), "distinct"), CONFIRMED_DISTINCT).status_code == 404
    merge = {"merge-kept": pair[0].pk, "merge-confirm": "on"}
    assert client.post(url((pair[0], theirs), "merge"), merge).status_code == 404


def test_it_asks_which_case_goes_on_and_for_the_box_before_merging(world, pair):
    client = staff_client_with_keys(world, "triage")
    response = client.post(url(pair, "merge"), {"merge-confirm": "on"}, follow=True)
    assert "Choose the case that goes on" in messages_of(response)
    response = client.post(url(pair, "merge"), {"merge-kept": 999999, "merge-confirm": "on"})
    assert response.status_code == 302
    response = client.post(url(pair, "merge"), {"merge-kept": pair[0].pk}, follow=True)
    assert "Tick the box" in messages_of(response)
    assert not Case.objects.filter(merged_into__isnull=False).exists()


def test_it_merges_from_the_page_into_the_case_chosen_and_proposes_it_no_more(world, pair):
    first, second = pair
    moved = primary_request(first)
    client = staff_client_with_keys(world, "triage")
    merge = {"merge-kept": second.pk, "merge-confirm": "on"}
    response = client.post(url(pair, "merge"), merge, follow=True)
    assert response.redirect_chain[-1][0] == f"/en/staff/cases/{second.pk}/"
    assert f"Case #{first.pk} is merged into case #{second.pk}" in messages_of(response)
    absorbed = Case.objects.get(pk=first.pk)
    assert absorbed.merged_into_id == second.pk
    assert (absorbed.state, absorbed.outcome) == (CaseState.CLOSED, CaseOutcome.MERGED)
    assert AuditEvent.objects.filter(event_type=EventType.CASES_MERGED).count() == 1
    assert case_candidates([world.organisation.pk]) == []
    assert CasePerson.objects.get(help_request=moved).case_id == second.pk
    html = client.get(f"/en/staff/cases/{second.pk}/").content.decode()
    assert "First story." in html
    assert "Second story." in html


def test_it_shows_the_merges_refusal_as_a_message(world, pair):
    Case.objects.filter(pk=pair[1].pk).update(state=CaseState.CLOSED)
    client = staff_client_with_keys(world, "triage")
    merge = {"merge-kept": pair[0].pk, "merge-confirm": "on"}
    response = client.post(url(pair, "merge"), merge, follow=True)
    assert "only open cases can be merged" in messages_of(response)
    assert Case.objects.get(pk=pair[1].pk).merged_into_id is None

"""The duplicates list and the side-by-side page: who may see them, what each shows."""

from __future__ import annotations

import uuid

import pytest

from safehaven.accounts.tests.duress_logins import DURESS, log_in
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CaseOutcome, CaseState
from safehaven.cases.duplicates.actions import do_mark_cases_distinct
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.tests.duplicate_helpers import (
    SHARED_PHONE,
    case_reached_by,
    give_case_name_hint,
    other_organisation_case,
    waiting_request,
)
from safehaven.cases.tests.helpers import primary_request
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind

pytestmark = pytest.mark.django_db

LIST_URL = "/en/staff/duplicates/"
STORY = "Sentinel-Duplicate-Story-Quince"
OTHER_STORY = "Sentinel-Duplicate-Story-Medlar"


def compare_url(case: Case, other: Case) -> str:
    return f"/en/staff/duplicates/{case.pk}/{other.pk}/"


@pytest.fixture
def pair(world) -> tuple[Case, Case]:
    return (
        case_reached_by(world, phone=SHARED_PHONE, situation=STORY),
        case_reached_by(world, phone=SHARED_PHONE, situation=OTHER_STORY),
    )


@pytest.mark.parametrize("username", ["triage", "supervisor"])
def test_it_lists_the_pairs_with_their_signals_and_no_sealed_value(world, pair, username):
    waiting = waiting_request(phone=SHARED_PHONE, situation="Sentinel-Waiting-Sloe")
    html = staff_client_with_keys(world, username).get(LIST_URL).content.decode()
    first, second = pair
    assert compare_url(first, second) in html
    assert "phone number" in html
    assert f'href="/en/staff/requests/{waiting.pk}/"' in html
    for sealed in (STORY, OTHER_STORY, "Sentinel-Waiting-Sloe", "912", "345-67-89"):
        assert sealed not in html


def test_it_no_longer_lists_a_pair_marked_distinct(world, pair):
    client = staff_client_with_keys(world, "triage")
    do_mark_cases_distinct(*pair, actor=world.users["triage"])
    html = client.get(LIST_URL).content.decode()
    assert compare_url(*pair) not in html
    assert "No open cases share a hint." in html


@pytest.mark.parametrize(
    "username", ["caseworker", "finance", "advocacy", "interpreter", "partner_a", "admin"]
)
def test_it_refuses_roles_that_do_not_manage_cases(world, staff_client, pair, username):
    client = staff_client(username)
    assert client.get(LIST_URL).status_code == 403
    assert client.get(compare_url(*pair)).status_code == 403


def test_it_gives_404_for_another_organisations_case_or_a_case_with_itself(world, pair):
    client = staff_client_with_keys(world, "triage")
    theirs = other_organisation_case(world)
    ours = pair[0]
    assert client.get(compare_url(ours, theirs)).status_code == 404
    assert client.get(compare_url(theirs, ours)).status_code == 404
    assert client.get(compare_url(ours, ours)).status_code == 404
    assert client.get(f"/en/staff/duplicates/{ours.pk}/999999/").status_code == 404
    assert f"/{theirs.pk}/" not in client.get(LIST_URL).content.decode()


def test_it_opens_both_cases_side_by_side_for_a_key_holder_and_audits_the_reads(world, pair):
    give_case_name_hint(pair[0], "Sentinel Name")
    give_case_name_hint(pair[1], "sentinel name")
    html = staff_client_with_keys(world, "triage").get(compare_url(*pair)).content.decode()
    assert STORY in html
    assert OTHER_STORY in html
    assert "phone number, name given by a partner" in html
    assert 'id="distinct-form"' in html
    assert 'id="merge-form"' in html
    viewed = AuditEvent.objects.filter(event_type=EventType.CASE_VIEWED)
    assert {event.target_ref for event in viewed} == {str(pair[0].pk), str(pair[1].pk)}
    assert AuditEvent.objects.filter(event_type=EventType.REQUEST_VIEWED).count() == 2


def test_it_opens_only_what_the_viewers_key_holds_and_says_who_can(world, pair):
    # A supervisor who lost their wrap of the triage team's key for one case's request:
    # simulate a key holder who cannot open the second case's request.
    second_request = primary_request(pair[1])
    RecordKeyWrap.objects.filter(
        record_key__record_id=second_request.record_id, kind=RecordWrapKind.TEAM
    ).delete()
    html = staff_client_with_keys(world, "triage").get(compare_url(*pair)).content.decode()
    assert STORY in html
    assert OTHER_STORY not in html
    assert "Your key does not open all of this case" in html
    assert "Who can open it:" in html
    assert 'id="no-decision"' in html
    assert 'id="distinct-form"' not in html
    assert 'id="merge-form"' not in html


def test_it_never_opens_a_person_row_written_into_the_database(world, pair):
    # A database writer links someone else's request to one of the cases: its link has no seal.
    planted = waiting_request(situation="Sentinel-Planted-Story-Rowan")
    CasePerson.objects.create(
        case=pair[1], help_request=planted, is_primary=False, record_id=uuid.uuid4()
    )
    html = staff_client_with_keys(world, "triage").get(compare_url(*pair)).content.decode()
    assert "Sentinel-Planted-Story-Rowan" not in html
    assert "does not match its seal" in html
    assert OTHER_STORY in html


def test_it_refuses_even_a_caseworker_assigned_to_one_of_them(world, pair):
    do_assign_case(
        pair[0],
        user=world.users["caseworker"],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    client = staff_client_with_keys(world, "caseworker")
    assert client.get(compare_url(*pair)).status_code == 403


def test_it_shows_a_merged_case_without_decisions(world, pair):
    Case.objects.filter(pk=pair[1].pk).update(
        state=CaseState.CLOSED, outcome=CaseOutcome.MERGED, merged_into=pair[0]
    )
    html = staff_client_with_keys(world, "triage").get(compare_url(*pair)).content.decode()
    assert "Merged into" in html
    assert 'id="no-decision"' in html


def test_it_shows_nothing_to_a_session_without_an_unlocked_key(world, staff_client, pair):
    html = staff_client("triage").get(compare_url(*pair)).content.decode()
    assert STORY not in html
    assert OTHER_STORY not in html
    assert 'id="problem"' in html
    assert 'id="no-decision"' in html


def test_it_shows_nothing_in_a_duress_session(world, pair):
    triage = world.users["triage"]
    waiting_request(phone=SHARED_PHONE)
    do_set_duress_password(triage, DURESS, actor=triage)
    client = log_in(world, "triage", DURESS)
    html = client.get(LIST_URL).content.decode()
    assert "No open cases share a hint." in html
    assert "No request waiting outside a case shares a hint." in html
    assert client.get(compare_url(*pair)).status_code == 404
    response = client.post(f"{compare_url(*pair)}distinct/", {"distinct-confirm": "on"})
    assert response.status_code == 404


def test_it_links_the_queue_to_the_list_for_those_who_manage_cases(world):
    html = staff_client_with_keys(world, "triage").get("/en/staff/cases/").content.decode()
    assert 'id="duplicates-link" href="/en/staff/duplicates/"' in html or (
        'href="/en/staff/duplicates/" id="duplicates-link"' in html
    )

"""Who can open what of a case and why, and granting a case again after a password reset."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from safehaven.accounts.models import SuspensionReason, User
from safehaven.cases.assignment.actions import (
    case_record_ids,
    do_assign_case,
    do_regrant_case,
)
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.keyholders.holders import record_holders, unkeyed_assignees
from safehaven.cases.keyholders.panels import keyholders_panel
from safehaven.cases.models import Case
from safehaven.cases.tests.helpers import open_case, primary_request, staff_member
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.keys.actions.users import do_replace_user_keys
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new password after the reset 5531"


def assign(world, case: Case, user: User) -> None:
    do_assign_case(
        case,
        user=user,
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )


def triage_casework(case: Case) -> OpenedRecord:
    opened = open_compartment(
        case,
        CompartmentKind.CASEWORK,
        user=User.objects.get(username="triage"),
        private_key=private_key("triage"),
    )
    assert opened is not None
    return opened


def holders_by_record(case: Case) -> dict[str, dict[str, str]]:
    return {
        record.label: {holder.name: holder.why for holder in record.holders}
        for record in record_holders(case, triage_casework(case))
    }


def test_it_lists_who_holds_each_record_and_why(world):
    case = open_case(world)
    assign(world, case, world.users["caseworker"])
    request = primary_request(case)
    holders = holders_by_record(case)

    casework = holders["Casework compartment"]
    assert casework["caseworker"] == "assigned as caseworker"
    assert casework["Escrow"] == "two administrators together"
    triage_team = next(
        r for r in record_holders(case, triage_casework(case))[0].holders if r.kind == "team"
    )
    assert {"triage", "supervisor"} <= set(triage_team.members)
    request_holders = holders[f"Request #{request.pk}"]
    assert request_holders["caseworker"] == "assigned as caseworker"
    assert request_holders["The person"] == "with their codename"


def test_it_says_a_request_was_shared_by_a_holder(world):
    from safehaven.intake.handling.actions import do_share_help_request

    case = open_case(world)
    request = primary_request(case)
    do_share_help_request(
        request,
        to_user=world.users["caseworker"],
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    holders = holders_by_record(case)
    assert holders[f"Request #{request.pk}"]["caseworker"] == "shared with them by a holder"
    assert "caseworker" not in holders["Casework compartment"]


def panel_for(username: str, case: Case):
    request = RequestFactory().get("/")
    request.user = User.objects.get(username=username)
    request.session = SessionStore()
    return keyholders_panel(request, case)


def test_it_shows_the_panel_to_case_managers_and_the_case_s_caseworkers_only(world):
    case = open_case(world)
    other = staff_member(world, "other-caseworker")
    assign(world, case, other)
    for username in ("triage", "supervisor", "other-caseworker"):
        assert panel_for(username, case) is not None, username
    for username in ("caseworker", "interpreter", "finance", "partner_a", "admin"):
        assert panel_for(username, case) is None, username


def test_it_grants_the_case_again_after_a_password_reset(world):
    case = open_case(world)
    caseworker = world.users["caseworker"]
    assign(world, case, caseworker)
    request = primary_request(case)
    do_replace_user_keys(caseworker, NEW_PASSWORD, actor=world.users["admin"])
    from safehaven.keys.tests.helpers import private_key_of

    new_key = private_key_of(caseworker, NEW_PASSWORD)
    assert (
        open_compartment(case, CompartmentKind.CASEWORK, user=caseworker, private_key=new_key)
        is None
    )
    with pytest.raises(RecordUnavailable):
        open_record(request.record_id, user=caseworker, private_key=new_key)
    assert [item.user for item in unkeyed_assignees(case, triage_casework(case))] == [caseworker]

    added = do_regrant_case(
        case,
        user=caseworker,
        actor=world.users["supervisor"],
        private_key=private_key("supervisor"),
    )

    assert (
        added == len(case_record_ids(case, AssignmentRole.CASEWORKER, triage_casework(case))) >= 2
    )
    assert open_compartment(case, CompartmentKind.CASEWORK, user=caseworker, private_key=new_key)
    open_record(request.record_id, user=caseworker, private_key=new_key)
    assert unkeyed_assignees(case, triage_casework(case)) == []
    event = AuditEvent.objects.get(event_type=EventType.CASE_REGRANTED)
    assert event.target_ref == str(case.pk)
    assert event.detail == f"caseworker user #{caseworker.pk}; {added} wraps"


def test_it_refuses_to_grant_a_case_to_someone_not_assigned(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="not assigned"):
        do_regrant_case(
            case,
            user=world.users["caseworker"],
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )


def test_it_refuses_to_grant_what_they_already_hold(world):
    case = open_case(world)
    assign(world, case, world.users["caseworker"])
    with pytest.raises(CaseActionRefused, match="already hold"):
        do_regrant_case(
            case,
            user=world.users["caseworker"],
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )


def test_it_refuses_a_granter_whose_key_does_not_open_the_case(world):
    case = open_case(world)
    caseworker = world.users["caseworker"]
    assign(world, case, caseworker)
    do_replace_user_keys(caseworker, NEW_PASSWORD, actor=world.users["admin"])
    outsider = staff_member(world, "outsider")
    with pytest.raises(CaseActionRefused, match="cannot open this case"):
        do_regrant_case(case, user=caseworker, actor=outsider, private_key=private_key("outsider"))


def test_it_grants_again_from_the_panel(world):
    case = open_case(world)
    caseworker = world.users["caseworker"]
    assign(world, case, caseworker)
    do_replace_user_keys(caseworker, NEW_PASSWORD, actor=world.users["admin"])
    client = staff_client_with_keys(world, "triage")
    response = client.post(f"/en/staff/cases/{case.pk}/keys/{caseworker.pk}/regrant/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/staff/cases/{case.pk}/")
    assert unkeyed_assignees(case, triage_casework(case)) == []


def test_it_refuses_the_panel_s_grant_for_someone_not_on_the_case(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    response = client.post(f"/en/staff/cases/{case.pk}/keys/{world.users['finance'].pk}/regrant/")
    assert response.status_code == 404


def test_it_shows_the_panel_on_the_case_page(world):
    case = open_case(world)
    caseworker = world.users["caseworker"]
    assign(world, case, caseworker)
    do_replace_user_keys(caseworker, NEW_PASSWORD, actor=world.users["admin"])
    html = staff_client_with_keys(world, "triage").get(f"/en/staff/cases/{case.pk}/").content
    page = html.decode()
    assert "Who can open what and why" in page
    assert "Assigned but holds no key" in page
    assert f"/staff/cases/{case.pk}/keys/{caseworker.pk}/regrant/" in page
    assert f"/staff/cases/{case.pk}/keys/rekey/" in page


def test_it_offers_no_grant_to_a_suspended_assignee(world):
    case = open_case(world)
    caseworker = world.users["caseworker"]
    assign(world, case, caseworker)
    do_replace_user_keys(caseworker, NEW_PASSWORD, actor=world.users["admin"])
    caseworker.suspend(SuspensionReason.OTHER)
    caseworker.save()
    page = staff_client_with_keys(world, "triage").get(f"/en/staff/cases/{case.pk}/").content
    html = page.decode()
    unkeyed = html.split('<ul class="keyholders-unkeyed">', 1)[1].split("</ul>", 1)[0]
    assert "<strong>caseworker</strong>" in unkeyed
    assert "— suspended" in unkeyed
    assert f"/keys/{caseworker.pk}/regrant/" not in html

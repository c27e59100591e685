"""A caseworker's own page: their cases, their tasks by due date, new activity."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.case_tasks.actions import do_add_case_task
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.contact_log.actions import do_log_contact_attempt
from safehaven.cases.contact_log.choices import ContactChannel, ContactOutcome
from safehaven.cases.contact_log.models import ContactAttempt
from safehaven.cases.models import CaseTask
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import private_key

pytestmark = pytest.mark.django_db

URL = "/en/staff/my-cases/"


def assigned_case(world, **request):
    case = open_case(world, **request)
    do_assign_case(
        case,
        user=world.users["caseworker"],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    return case


def test_it_lists_the_caseworkers_cases_tasks_and_new_activity(world, staff_client):
    mine = assigned_case(world)
    not_mine = open_case(world)
    today = timezone.localdate()
    late = do_add_case_task(
        mine,
        title="Late one",
        due_on=today,
        assignee=world.users["caseworker"],
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    CaseTask.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=2))
    do_add_case_task(
        mine,
        title="Later one",
        due_on=today + datetime.timedelta(days=3),
        assignee=world.users["caseworker"],
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    HelpRequest.objects.filter(pk=primary_request(mine).pk).update(unread_since=timezone.now())
    html = staff_client("caseworker").get(URL).content.decode()
    assert f'href="/en/staff/cases/{mine.pk}/"' in html
    assert f'href="/en/staff/cases/{not_mine.pk}/"' not in html
    tasks = html.split('id="my-tasks"')[1].split("</section>")[0]
    assert tasks.count("<li") == 2
    assert tasks.index("Overdue") < tasks.index(
        (today + datetime.timedelta(days=3)).strftime("%-d")
    )
    assert tasks.count("Overdue") == 1
    # Titles are sealed: this page opens nothing.
    assert "Late one" not in html
    unread = html.split('id="my-unread"')[1].split("</section>")[0]
    assert f"/en/staff/cases/{mine.pk}/" in unread


def test_it_shows_nothing_new_when_nothing_is(world, staff_client):
    assigned_case(world)
    html = staff_client("caseworker").get(URL).content.decode()
    assert "Nothing new." in html
    assert "No open tasks." in html


@pytest.mark.parametrize("username", ["finance", "partner_a", "interpreter", "admin"])
def test_it_refuses_roles_without_cases(world, staff_client, username):
    assert staff_client(username).get(URL).status_code == 403


def test_it_is_linked_from_the_caseworkers_home(world, staff_client):
    assert f'href="{URL}"' in staff_client("caseworker").get("/en/staff/").content.decode()


def test_it_lists_the_contact_tries_due_and_overdue(world, staff_client):
    today = timezone.localdate()
    due, later = assigned_case(world), assigned_case(world)
    for case, next_try in [(due, today), (later, today + datetime.timedelta(days=4))]:
        do_log_contact_attempt(
            case,
            channel=ContactChannel.SIGNAL,
            outcome=ContactOutcome.NO_ANSWER,
            next_try_on=next_try,
            note="Sealed note about the call.",
            actor=world.users["caseworker"],
            private_key=private_key("caseworker"),
        )
    ContactAttempt.objects.filter(case=due).update(next_try_on=today - datetime.timedelta(days=1))
    html = staff_client("caseworker").get(URL).content.decode()
    tries = html.split('id="my-contact-tries"')[1].split("</section>")[0]
    assert f"/en/staff/cases/{due.pk}/" in tries
    assert f"/en/staff/cases/{later.pk}/" not in tries
    assert "Overdue" in tries
    assert "Sealed note about the call." not in html

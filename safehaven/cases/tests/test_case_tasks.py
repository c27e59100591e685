"""Tasks on a case: added with a sealed title from the case page, marked done."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.case_tasks.actions import do_add_case_task, do_complete_case_task
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import CaseTask
from safehaven.cases.tests.helpers import open_case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys

pytestmark = pytest.mark.django_db

TITLE = "Sentinel-Task-Call-the-partner"


def tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def add(world, case, **kwargs):
    options = {
        "title": TITLE,
        "due_on": timezone.localdate(),
        "assignee": None,
        "actor": world.users["triage"],
        "private_key": private_key("triage"),
    } | kwargs
    return do_add_case_task(case, **options)


def test_it_adds_a_task_from_the_case_page_with_its_title_sealed(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    response = client.post(
        f"/en/staff/cases/{case.pk}/tasks/",
        {"title": TITLE, "due_on": tomorrow(), "assignee": world.users["supervisor"].pk},
    )
    assert response.status_code == 302
    task = CaseTask.objects.get(case=case)
    assert task.assignee == world.users["supervisor"]
    assert TITLE.encode() not in bytes(task.title)
    assert TITLE in client.get(f"/en/staff/cases/{case.pk}/").content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.CASE_TASK_ADDED).exists()


def test_it_keeps_what_was_typed_when_the_date_is_in_the_past(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        f"/en/staff/cases/{case.pk}/tasks/", {"title": TITLE, "due_on": yesterday}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The due date is in the past." in html
    assert TITLE in html
    assert not CaseTask.objects.exists()


def test_it_says_what_is_wrong_with_a_bad_date(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    response = client.post(
        f"/en/staff/cases/{case.pk}/tasks/", {"title": TITLE, "due_on": "next week"}
    )
    assert "Give the date as YYYY-MM-DD." in response.content.decode()


def test_it_gives_tasks_only_to_the_caseworker_or_those_who_manage_cases(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="only to the case's caseworker"):
        add(world, case, assignee=world.users["caseworker"])
    with pytest.raises(CaseActionRefused, match="only to the case's caseworker"):
        add(world, case, assignee=world.users["finance"])
    do_assign_case(
        case,
        user=world.users["caseworker"],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    assert (
        add(world, case, assignee=world.users["caseworker"]).assignee == world.users["caseworker"]
    )
    assert add(world, case, assignee=world.users["supervisor"])


def test_it_refuses_an_empty_title_and_a_key_that_does_not_open_the_case(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="Say what"):
        add(world, case, title=" ")
    with pytest.raises(CaseActionRefused, match="Your key cannot open"):
        add(world, case, actor=world.users["caseworker"], private_key=private_key("caseworker"))


def test_it_marks_a_task_done_once(world):
    case = open_case(world)
    task = add(world, case)
    client = staff_client_with_keys(world, "triage")
    response = client.post(f"/en/staff/cases/{case.pk}/tasks/{task.pk}/done/")
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    with pytest.raises(CaseActionRefused, match="done already"):
        do_complete_case_task(task, actor=world.users["triage"], private_key=private_key("triage"))
    assert AuditEvent.objects.filter(event_type=EventType.CASE_TASK_DONE).count() == 1


def test_it_404s_a_task_of_another_case(world, staff_client):
    case = open_case(world)
    other = open_case(world)
    task = add(world, other)
    response = staff_client("triage").post(f"/en/staff/cases/{case.pk}/tasks/{task.pk}/done/")
    assert response.status_code == 404


def test_it_refuses_tasks_to_roles_without_cases(world, staff_client):
    case = open_case(world)
    response = staff_client("finance").post(
        f"/en/staff/cases/{case.pk}/tasks/", {"title": TITLE, "due_on": tomorrow()}
    )
    assert response.status_code == 403

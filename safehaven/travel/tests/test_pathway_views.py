"""The pathways panel and its forms, through the case page, and the staff catalogue page."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from safehaven.cases.tests.helpers import open_case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys, thread_bodies
from safehaven.travel.choices import PathwayKind, PathwayState, StepOutcome
from safehaven.travel.models import CasePathway, PathwayStep
from safehaven.travel.pathways.actions import do_start_pathway
from safehaven.travel.pathways.catalogue import all_pathways, pathway
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db


def url(case, tail=""):
    return f"/en/staff/cases/{case.pk}/{tail}"


def said(response):
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    return [message for message in shown if not message.startswith("Successfully signed in")][-1:]


def started(world, case, kind=PathwayKind.UNHCR_RESETTLEMENT):
    return do_start_pathway(
        case,
        kind=kind,
        owner=world.users["caseworker"],
        notes="Sentinel Oxmere: met at the shelter",
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )


def test_it_starts_a_pathway_from_the_case_page(world):
    case = assigned_case(world)
    client = staff_client_with_keys(world, "caseworker")
    page = client.get(url(case)).content.decode()
    assert 'id="pathways"' in page
    assert f'action="{url(case, "travel/pathways/start/")}"' in page
    response = client.post(
        url(case, "travel/pathways/start/"),
        {"kind": "canada_gar", "owner": world.users["caseworker"].pk, "notes": "Sentinel Oxmere"},
    )
    assert response.status_code == 302
    assert said(response) == ["Pathway started."]
    row = CasePathway.objects.get(case=case)
    assert row.kind == "canada_gar"
    page = client.get(url(case)).content.decode()
    assert "Sentinel Oxmere" in page  # opened for the caseworker
    for step in pathway("canada_gar").steps:
        assert str(step.title) in page


def test_it_shows_bad_input_and_refusals_on_the_form(world):
    case = assigned_case(world)
    started(world, case)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(
        url(case, "travel/pathways/start/"),
        {"kind": "unhcr_resettlement", "owner": world.users["caseworker"].pk},
    )
    assert response.status_code == 200
    assert "already pursues this pathway" in response.content.decode()
    response = client.post(url(case, "travel/pathways/start/"), {"kind": "teleport"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert CasePathway.objects.filter(case=case).count() == 1


def test_it_marks_overdue_steps_and_records_one(world):
    case = assigned_case(world)
    row = started(world, case)
    step = row.steps.order_by("position").first()
    PathwayStep.objects.filter(pk=step.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client = staff_client_with_keys(world, "caseworker")
    page = client.get(url(case)).content.decode()
    assert page.count("(overdue)") == 1
    record_url = url(case, f"travel/pathways/steps/{step.pk}/")
    assert client.get(record_url).status_code == 200
    response = client.post(
        record_url,
        {
            "outcome": "done",
            "done_on": "",
            "due_on": step.due_on.isoformat(),
            "owner": world.users["caseworker"].pk,
            "note": "Sentinel Windle",
        },
    )
    assert said(response) == ["Step recorded."]
    step.refresh_from_db()
    assert step.outcome == StepOutcome.DONE
    assert "(overdue)" not in client.get(url(case)).content.decode()
    response = client.post(
        record_url,
        {"outcome": "done", "done_on": "2999-01-01", "owner": world.users["caseworker"].pk},
    )
    assert "still to come" in response.content.decode()


def test_it_ends_a_pathway_and_sends_its_sheet(world):
    case = assigned_case(world)
    row = started(world, case)
    client = staff_client_with_keys(world, "caseworker")
    page = client.get(url(case)).content.decode()
    # The preview shows the sheet as the person reads it.
    assert str(pathway(row.kind).sheet[0]) in page.replace("&#x27;", "'")
    main = case.people.get(is_primary=True)
    assert f'name="people" value="{main.pk}" checked' in page
    response = client.post(url(case, f"travel/pathways/{row.pk}/send-sheet/"))
    assert said(response) == ["Choose who receives the sheet."]
    response = client.post(url(case, f"travel/pathways/{row.pk}/send-sheet/"), {"people": main.pk})
    assert said(response) == ["Information sheet sent to 1 person's status page."]
    from safehaven.cases.tests.helpers import primary_request

    assert thread_bodies(primary_request(case))[-1][1].startswith(str(pathway(row.kind).sheet[0]))
    response = client.post(
        url(case, f"travel/pathways/{row.pk}/end/"), {"state": "withdrawn", "reason": "Chose GAR."}
    )
    assert said(response) == ["Pathway ended."]
    row.refresh_from_db()
    assert row.state == PathwayState.WITHDRAWN
    assert AuditEvent.objects.filter(event_type=EventType.PATHWAY_ENDED).count() == 1
    page = client.get(url(case)).content.decode()
    assert f"travel/pathways/{row.pk}/send-sheet/" not in page


def test_it_hides_the_panel_and_refuses_the_forms_to_outsiders(world):
    case = open_case(world)  # not assigned to the caseworker
    row = do_start_pathway(
        case,
        kind=PathwayKind.SUPPORT_IN_PLACE,
        owner=world.users["triage"],
        notes="",
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    step = row.steps.get(position=0)
    client = staff_client_with_keys(world, "caseworker")
    assert client.get(url(case, "travel/pathways/start/")).status_code == 404
    assert client.get(url(case, f"travel/pathways/steps/{step.pk}/")).status_code == 404
    assert client.post(url(case, f"travel/pathways/{row.pk}/send-sheet/")).status_code == 404
    finance = staff_client_with_keys(world, "finance")
    assert finance.get(url(case, "travel/pathways/start/")).status_code == 403
    # A step of another case is not found through this one.
    other = assigned_case(world)
    assert client.get(url(other, f"travel/pathways/steps/{step.pk}/")).status_code == 404


def test_it_lists_the_catalogue_with_each_sheet_in_every_language(world):
    client = staff_client_with_keys(world, "caseworker")
    page = client.get("/en/staff/pathways/").content.decode()
    for entry in all_pathways():
        assert f'id="pathway-{entry.kind}"' in page
        for language in ("en", "ru", "ar", "fr", "es", "fa"):
            assert f'id="sheet-{entry.kind}-{language}"' in page
    assert "UNHCR Resettlement Handbook" in page
    assert staff_client_with_keys(world, "finance").get("/en/staff/pathways/").status_code == 403

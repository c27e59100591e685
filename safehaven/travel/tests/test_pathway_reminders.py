"""Travel's reminders on the caseworker's own page: pathway steps due and documents to renew,
when due and not before, from clear columns only, and nothing in a duress session."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safehaven.intake.tests.helpers import private_key
from safehaven.travel.choices import PathwayKind
from safehaven.travel.documents.actions import do_add_travel_document
from safehaven.travel.models import PathwayStep, TravelDocument
from safehaven.travel.pathways.actions import do_start_pathway
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db

URL = "/en/staff/my-cases/"


def section(html, name):
    return html.split(f'id="{name}"')[1].split("</section>")[0]


def test_it_lists_steps_due_within_a_week_and_not_later_ones(world, staff_client):
    case = assigned_case(world)
    row = do_start_pathway(
        case,
        kind=PathwayKind.UNHCR_RESETTLEMENT,
        owner=world.users["caseworker"],
        notes="Sentinel Peltrow",
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )
    client = staff_client("caseworker")
    html = client.get(URL).content.decode()
    steps = section(html, "my-pathway-steps")
    assert steps.count("<li") == 1  # only the first step falls within the week
    assert "Overdue" not in steps
    first = row.steps.get(position=0)
    PathwayStep.objects.filter(pk=first.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    steps = section(client.get(URL).content.decode(), "my-pathway-steps")
    assert steps.count("Overdue") == 1
    assert f"/en/staff/cases/{case.pk}/#pathway-{row.pk}" in steps
    assert "Sentinel Peltrow" not in client.get(URL).content.decode()
    # Someone else's page shows none of them.
    other = section(staff_client("triage").get(URL).content.decode(), "my-pathway-steps")
    assert "No pathway step is due." in other


def test_it_lists_a_document_from_its_renewal_week_and_not_before(world, staff_client):
    case = assigned_case(world)
    number = "Sentinel 4040 Quill"
    document = do_add_travel_document(
        case,
        person=None,
        kind="passport",
        issuing_country="RU",
        for_country="",
        number=number,
        valid_until=timezone.localdate() + datetime.timedelta(days=400),
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )
    client = staff_client("caseworker")
    renewals = section(client.get(URL).content.decode(), "my-travel-renewals")
    assert "No travel document is due for renewal." in renewals
    TravelDocument.objects.filter(pk=document.pk).update(remind_on=timezone.localdate())
    html = client.get(URL).content.decode()
    renewals = section(html, "my-travel-renewals")
    assert renewals.count("<li") == 1
    assert f"/en/staff/cases/{case.pk}/#travel-documents" in renewals
    assert number not in html
    assert "RU" not in renewals


def test_it_shows_nothing_in_a_duress_session(world, staff_client, monkeypatch):
    case = assigned_case(world)
    do_start_pathway(
        case,
        kind=PathwayKind.SUPPORT_IN_PLACE,
        owner=world.users["caseworker"],
        notes="",
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )
    monkeypatch.setattr("safehaven.cases.my_work.views.is_duress_session", lambda request: True)
    html = staff_client("caseworker").get(URL).content.decode()
    assert "No pathway step is due." in html
    assert "No travel document is due for renewal." in html

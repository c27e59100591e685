"""The travel documents panel and its forms, through the case page."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from safehaven.cases.tests.helpers import open_case
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.travel.documents.actions import do_add_travel_document
from safehaven.travel.models import TravelDocument
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db

NUMBER = "Sentinel 55 Trevask"


def url(case, tail=""):
    return f"/en/staff/cases/{case.pk}/{tail}"


def said(response):
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    return [message for message in shown if not message.startswith("Successfully signed in")][-1:]


def post_document(client, case, **overrides):
    data = {
        "person": case.people.get(is_primary=True).pk,
        "kind": "passport",
        "issuing_country": "RU",
        "for_country": "",
        "number": NUMBER,
        "valid_until": (timezone.localdate() + datetime.timedelta(days=900)).isoformat(),
    }
    data.update(overrides)
    return client.post(url(case, "travel/documents/add/"), data)


def test_it_records_a_document_and_lists_it_opened(world):
    case = assigned_case(world)
    client = staff_client_with_keys(world, "caseworker")
    page = client.get(url(case)).content.decode()
    assert "No travel document recorded." in page
    response = post_document(client, case)
    assert said(response) == ["Travel document recorded, sealed with the case's travel records."]
    page = client.get(url(case)).content.decode()
    section = page.split('id="travel-documents"')[1].split("</section>")[0]
    assert NUMBER in section
    assert "due for renewal" not in section


def test_it_marks_a_document_due_for_renewal(world):
    case = assigned_case(world)
    client = staff_client_with_keys(world, "caseworker")
    post_document(
        client,
        case,
        kind="visa",
        issuing_country="",
        for_country="AM",
        valid_until=(timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
    )
    section = client.get(url(case)).content.decode().split('id="travel-documents"')[1]
    assert "due for renewal" in section.split("</section>")[0]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"valid_until": "2001-01-01"}, "expired already"),
        ({"kind": "visa", "issuing_country": ""}, "this visa or permit is for"),
        ({"issuing_country": "QQ"}, "Select a valid choice"),
        ({"valid_until": "soon"}, "YYYY-MM-DD"),
    ],
)
def test_it_shows_bad_input_and_refusals(world, overrides, message):
    case = assigned_case(world)
    client = staff_client_with_keys(world, "caseworker")
    response = post_document(client, case, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert NUMBER in response.content.decode()  # what was typed is kept
    assert not TravelDocument.objects.exists()


def test_it_removes_a_document(world):
    case = assigned_case(world)
    row = do_add_travel_document(
        case,
        person=None,
        kind="passport",
        issuing_country="RU",
        for_country="",
        number=NUMBER,
        valid_until=timezone.localdate() + datetime.timedelta(days=900),
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(url(case, f"travel/documents/{row.pk}/remove/"))
    assert said(response) == ["Travel document removed."]
    assert NUMBER not in client.get(url(case)).content.decode()
    assert client.post(url(case, f"travel/documents/{row.pk}/remove/")).status_code == 404


def test_it_asks_to_unlock_keys_and_refuses_outsiders(world, staff_client):
    case = assigned_case(world)
    unlocked: Client = staff_client("caseworker")  # logged in without the password: no key
    page = unlocked.get(url(case)).content.decode()
    assert "Unlock your keys" in page
    other = open_case(world)
    client = staff_client_with_keys(world, "caseworker")
    assert post_document(client, other).status_code == 404
    assert (
        staff_client_with_keys(world, "finance").get(url(case, "travel/documents/add/")).status_code
        == 403
    )

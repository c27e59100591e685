"""The audit log answers "who saw request #8?": request numbers and staff names instead of
ids, a search by part of a name, dates and details in the page's language, a table that
wraps instead of overflowing."""

import pytest
from django.db import transaction

from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.tests.helpers import latest_request, staff_client_with_keys, submit_request

pytestmark = pytest.mark.django_db

AUDIT_URL = "/{language}/staff/admin/audit/"


def audit_page(staff_client, language: str = "en", **params: str) -> str:
    response = staff_client("admin").get(AUDIT_URL.format(language=language), params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_names_requests_by_number_and_staff_by_name(world, staff_client):
    submit_request()
    help_request = latest_request()
    triage = staff_client_with_keys(world, "triage")
    assert triage.get(f"/en/staff/requests/{help_request.pk}/").status_code == 200
    with transaction.atomic():
        record_event(
            EventType.RECORD_GRANTED,
            actor=world.users["triage"],
            target_type="record",
            target_ref=str(help_request.record_id),
            detail=f"to user #{world.users['caseworker'].pk}",
        )

    html = audit_page(staff_client)

    assert f"Request #{help_request.pk}" in html
    assert f'href="/en/staff/requests/{help_request.pk}/trail/"' in html
    assert str(help_request.record_id) not in html
    assert "to caseworker" in html
    assert "user #" not in html


def test_it_finds_events_by_part_of_a_staff_name(world, staff_client):
    with transaction.atomic():
        record_event(EventType.TEAM_CREATED, actor=world.users["supervisor"], detail="mark-sup")
        record_event(EventType.TEAM_CREATED, actor=world.users["finance"], detail="mark-fin")

    html = audit_page(staff_client, actor="pervis")

    assert "mark-sup" in html
    assert "mark-fin" not in html


def test_it_words_details_and_dates_in_the_page_language(world, staff_client):
    submit_request()
    help_request = latest_request()
    with transaction.atomic():
        record_event(
            EventType.REQUEST_STATUS_CHANGED,
            actor=world.users["triage"],
            target=help_request,
            detail="received -> reviewing",
        )
        record_event(
            EventType.MEMBERSHIP_ADDED, actor=world.users["admin"], detail="role=caseworker"
        )

    english = audit_page(staff_client)
    persian = audit_page(staff_client, "fa")

    assert "received -&gt; reviewing" not in english
    assert "Received → Being reviewed" in english
    assert "role=caseworker" not in english
    assert "role=caseworker" not in persian
    # Dates follow the page's format, not a fixed ISO one.
    assert "Y-m-d" not in persian
    assert 'class="audit-log"' in persian


def test_it_links_a_stylesheet_that_wraps_long_details(world, staff_client):
    html = audit_page(staff_client)

    assert "accounts/audit.css" in html

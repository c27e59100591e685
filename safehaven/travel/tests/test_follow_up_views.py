"""The follow-ups panel and its forms, through the case page, and the follow-ups due on the
caseworker's own page."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.compartments import open_casework
from safehaven.cases.tests.helpers import open_case
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.travel.choices import FollowUpOutcome
from safehaven.travel.follow_ups.actions import empty_notes
from safehaven.travel.models import FollowUp
from safehaven.travel.tests.follow_up_helpers import arrived_case, in_transit_case, log

pytestmark = pytest.mark.django_db

MY_WORK = "/en/staff/my-cases/"


def url(case, tail=""):
    return f"/en/staff/cases/{case.pk}/{tail}"


def said(response):
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    return [message for message in shown if not message.startswith("Successfully signed in")][-1:]


def casework(case):
    from safehaven.accounts.models import User

    worker = User.objects.get(username="caseworker")
    return open_casework(case, actor=worker, private_key=private_key("caseworker"))


def section(html, name):
    return html.split(f'id="{name}"')[1].split("</section>")[0]


def test_it_confirms_arrival_from_the_case_page(world):
    case = in_transit_case(world)
    client = staff_client_with_keys(world, "caseworker")
    page = client.get(url(case)).content.decode()
    assert 'id="follow-ups"' in page
    assert f'action="{url(case, "travel/arrival/")}"' in page
    response = client.post(
        url(case, "travel/arrival/"), {"reason": "Sentinel Tarrow called", "arrived_in": "CA"}
    )
    assert response.status_code == 302
    assert said(response) == ["Safe arrival confirmed; the follow-ups are scheduled."]
    case.refresh_from_db()
    assert case.state == CaseState.ARRIVED
    page = client.get(url(case)).content.decode()
    assert f'action="{url(case, "travel/arrival/")}"' not in page
    assert page.count('class="follow-up ') == 4
    for row in FollowUp.objects.filter(case=case):
        assert f'action="{url(case, f"travel/follow-ups/{row.pk}/")}"' in page


def test_it_shows_bad_input_and_refusals_on_the_form(world):
    case = in_transit_case(world)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(url(case, "travel/arrival/"), {"reason": ""})
    assert response.status_code == 200
    assert "Please fill this in." in response.content.decode()
    client.post(url(case, "travel/arrival/"), {"reason": "Arrived.", "arrived_in": "CA"})
    response = client.post(
        url(case, "travel/arrival/"), {"reason": "Arrived again.", "arrived_in": "CA"}
    )
    assert response.status_code == 200
    assert "Only a case in transit" in response.content.decode()
    row = FollowUp.objects.filter(case=case).earliest("due_on")
    response = client.post(url(case, f"travel/follow-ups/{row.pk}/"), {"outcome": "teleported"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert FollowUp.objects.get(pk=row.pk).outcome == FollowUpOutcome.PENDING


def test_it_marks_overdue_follow_ups_and_logs_one(world):
    case, rows = arrived_case(world)
    FollowUp.objects.filter(pk=rows[0].pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    # The due day is bound into the seal: a moved day shows as forged, not overdue.
    client = staff_client_with_keys(world, "caseworker")
    page = client.get(url(case)).content.decode()
    assert "This follow-up does not match its seal" in page
    assert "(overdue)" not in page
    # Moved and sealed again as the application would: overdue, marked.
    row = FollowUp.objects.get(pk=rows[0].pk)
    row.due_on = timezone.localdate() - datetime.timedelta(days=1)
    row.open_with(casework(case)).seal("notes", json.dumps(empty_notes()))
    row.save()
    page = client.get(url(case)).content.decode()
    assert page.count("(overdue)") == 1
    assert "This follow-up does not match its seal" not in page
    log_url = url(case, f"travel/follow-ups/{rows[1].pk}/")
    assert client.get(log_url).status_code == 200
    response = client.post(
        log_url, {"outcome": "done", "housing": "Sentinel Brackwater flat", "health": ""}
    )
    assert said(response) == ["Follow-up logged."]
    page = client.get(url(case)).content.decode()
    assert "Sentinel Brackwater flat" in page  # opened for the caseworker
    assert f'action="{log_url}"' not in page  # done: no form any more
    case.refresh_from_db()
    assert case.state == CaseState.POST_ARRIVAL


def test_it_closes_the_case_as_relocated_through_the_forms(world):
    case, rows = arrived_case(world)
    client = staff_client_with_keys(world, "caseworker")
    for row in rows:
        client.post(url(case, f"travel/follow-ups/{row.pk}/"), {"outcome": "ended"})
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseState.CLOSED, CaseOutcome.RELOCATED)
    page = client.get(url(case)).content.decode()
    assert "travel/follow-ups/" not in page


def test_it_refuses_the_forms_to_outsiders_and_other_roles(world):
    case = open_case(world)  # not assigned to the caseworker
    client = staff_client_with_keys(world, "caseworker")
    assert client.get(url(case, "travel/arrival/")).status_code == 404
    assert client.post(url(case, "travel/arrival/"), {"reason": "x"}).status_code == 404
    finance = staff_client_with_keys(world, "finance")
    assert finance.get(url(case, "travel/arrival/")).status_code == 403
    # A follow-up of another case is not found through this one.
    _arrived, rows = arrived_case(world)
    other = in_transit_case(world)
    assert client.get(url(other, f"travel/follow-ups/{rows[0].pk}/")).status_code == 404
    assert client.get(url(case, f"travel/follow-ups/{rows[0].pk}/")).status_code == 404


def test_it_lists_follow_ups_due_on_my_work_page(world, staff_client):
    case, rows = arrived_case(world)
    log(world, rows[0], "unreachable", housing="Sentinel Fenwold")
    client = staff_client("caseworker")
    due = section(client.get(MY_WORK).content.decode(), "my-follow-ups")
    assert "No follow-up is due." in due  # the first is a month away
    FollowUp.objects.filter(pk=rows[0].pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    FollowUp.objects.filter(pk=rows[1].pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    html = client.get(MY_WORK).content.decode()
    due = section(html, "my-follow-ups")
    assert due.count("<li") == 2
    assert due.count("Overdue") == 1
    assert f"/en/staff/cases/{case.pk}/#follow-up-{rows[0].pk}" in due
    assert "Sentinel Fenwold" not in html  # clear columns only
    other = section(staff_client("triage").get(MY_WORK).content.decode(), "my-follow-ups")
    assert "No follow-up is due." in other


def test_it_offers_to_schedule_the_follow_ups_of_a_case_moved_to_arrived(world):
    from safehaven.cases.workflow.actions import do_move_case

    case = in_transit_case(world)
    worker = {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}
    do_move_case(case, to_state=CaseState.ARRIVED, reason="Sentinel Tarrow called", **worker)
    FollowUp.objects.create(  # a database writer's junk row: it hides nothing
        record_id=casework(case).record_id,
        case=case,
        months=1,
        due_on=timezone.localdate(),
        notes=None,
    )
    client = staff_client_with_keys(world, "caseworker")
    schedule = url(case, "travel/follow-ups/schedule/")
    panel = section(client.get(url(case)).content.decode(), "follow-ups")
    assert f'action="{schedule}"' in panel
    assert "Schedule the follow-ups" in panel
    response = client.post(schedule)
    assert response.status_code == 302
    assert said(response) == ["The follow-ups are scheduled."]
    assert FollowUp.objects.filter(case=case).count() == 4
    panel = section(client.get(url(case)).content.decode(), "follow-ups")
    assert f'action="{schedule}"' not in panel
    assert panel.count('class="follow-up ') == 4
    assert "does not match its seal" not in panel
    again = client.post(schedule)
    assert said(again) == ["This case's follow-ups are already scheduled."]

"""The server's tag over an expected check-in's clear columns (travel.check_ins.tags): every way
the application writes them tags the row, and a database writer who marks a check-in as come,
cancels it or moves its window (who cannot make a tag) no longer silences the alarm: the
timer counts the row as missed at once and the panel shows it as forged."""

import datetime
import json
import uuid

import pytest
from django.test import TestCase
from django.utils import timezone

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.cases.tests.helpers import primary_request
from safehaven.core.coarse_time import hour_of, this_hour
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.keys.records import new_record_key
from safehaven.travel.alarms.queries import is_missed
from safehaven.travel.bookings.actions import do_cancel_booking
from safehaven.travel.check_ins.actions import do_cancel_check_in, do_log_check_in
from safehaven.travel.check_ins.listener import hear_check_in
from safehaven.travel.check_ins.queries import open_check_in
from safehaven.travel.check_ins.sealing import CheckInReport, report_to_json
from safehaven.travel.check_ins.tags import check_in_tag, check_in_tag_matches
from safehaven.travel.choices import AlertKind, CheckInVia
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import ExpectedCheckIn
from safehaven.travel.tests.alarm_helpers import (
    HOUR,
    alerts_of,
    expected_check_in,
    in_transit_case,
    watch,
)
from safehaven.travel.tests.booking_helpers import as_user
from safehaven.travel.tests.check_in_helpers import (
    check_in_from_status_page,
    fresh,
    journey_case,
    opened_check_in,
    schedule,
    window,
)

pytestmark = pytest.mark.django_db


def missed_alerts(case: Case) -> list[int | None]:
    return [alert.expected_id for alert in alerts_of(case) if alert.kind == AlertKind.MISSED]


# --- What a database writer does ----------------------------------------------------------


def test_a_writer_who_marks_a_check_in_come_with_a_junk_report_does_not_silence_it(world):
    case = in_transit_case(world)
    missed = expected_check_in(case)  # due an hour ago
    ExpectedCheckIn.objects.filter(pk=missed.pk).update(
        checked_in_at=this_hour(), checked_in_via=CheckInVia.STATUS_PAGE, report=b"junk"
    )
    assert watch().raised == 1
    assert missed_alerts(case) == [missed.pk]


def test_a_writer_who_seals_a_report_to_the_inbox_key_does_not_silence_it(world):
    case = in_transit_case(world)
    missed = expected_check_in(case)
    row = fresh(missed)  # the writer's own copy: no key, only the inbox key's public half
    row.checked_in_at = this_hour()
    row.checked_in_via = CheckInVia.STATUS_PAGE
    row.seal_for_inbox("report", report_to_json(CheckInReport(danger=False)))
    row.save(update_fields=["checked_in_at", "checked_in_via", "report"])
    assert not check_in_tag_matches(fresh(row))
    assert watch().raised == 1
    assert missed_alerts(case) == [missed.pk]


def test_a_writer_who_copies_a_genuine_tag_to_another_row_does_not_silence_it(world):
    case = in_transit_case(world)
    came, missed = expected_check_in(case), expected_check_in(case)
    hear_check_in(primary_request(case), danger=False)  # the earliest: ``came``
    assert fresh(came).checked_in_at is not None
    genuine = fresh(came)
    ExpectedCheckIn.objects.filter(pk=missed.pk).update(
        checked_in_at=genuine.checked_in_at,
        checked_in_via=genuine.checked_in_via,
        report=genuine.report,
        tag=genuine.tag,
    )
    assert watch().raised == 1
    assert missed_alerts(case) == [missed.pk]


def test_the_timer_undoes_a_cancellation_by_a_writer(world):
    case = in_transit_case(world)
    missed = expected_check_in(case)
    ExpectedCheckIn.objects.filter(pk=missed.pk).update(cancelled_at=this_hour())
    assert watch().raised == 1
    assert missed_alerts(case) == [missed.pk]
    assert watch().raised == 0  # one alert, however often it runs


def test_a_deadline_moved_by_a_writer_alarms_at_once(world):
    case = in_transit_case(world)
    later = expected_check_in(case, due_by=hour_of(timezone.now()) + 2 * HOUR)
    assert watch().raised == 0
    ExpectedCheckIn.objects.filter(pk=later.pk).update(due_by=later.due_by + 24 * HOUR)
    assert watch().raised == 1
    assert missed_alerts(case) == [later.pk]


def test_a_row_a_writer_inserted_alarms_too(world):
    case = in_transit_case(world)
    genuine = expected_check_in(case, due_by=hour_of(timezone.now()) + 2 * HOUR)
    planted = fresh(genuine)
    planted.pk = None
    planted.item_id = uuid.uuid4()
    planted.position = 9
    planted.tag = genuine.tag
    planted.save()
    assert watch().raised == 1
    assert missed_alerts(case) == [planted.pk]


def test_a_tag_made_with_another_secret_does_not_verify(world):
    case = in_transit_case(world)
    row = expected_check_in(case)
    assert check_in_tag_matches(row)
    assert check_in_tag(row, secret=b"\x01" * 32) != bytes(row.tag)
    ExpectedCheckIn.objects.filter(pk=row.pk).update(tag=check_in_tag(row, secret=b"\x01" * 32))
    assert not check_in_tag_matches(fresh(row))


# --- What the application writes verifies -------------------------------------------------


def test_scheduling_a_call_a_cancellation_and_a_status_page_check_in_are_tagged(world, monkeypatch):
    _case, booking, codename = journey_case(world, monkeypatch)
    rows = schedule(booking, window(), window(opens_in=-1, hours=5), window(opens_in=-1, hours=6))
    assert all(check_in_tag_matches(fresh(row)) for row in rows)
    check_in_from_status_page(codename)  # the earliest open one
    do_log_check_in(fresh(rows[1]), in_danger=False, note="On the way.", **as_user())
    do_cancel_check_in(fresh(rows[2]), reason="A day later.", **as_user())
    for row in rows:
        opened = opened_check_in(row)
        assert (opened.tagged, opened.forged) == (True, False)
        assert not is_missed(opened.row, timezone.now() + 48 * HOUR)
    assert opened_check_in(rows[0]).checked_in
    assert opened_check_in(rows[1]).report == CheckInReport(False, "On the way.")
    assert watch(now=timezone.now() + 48 * HOUR).raised == 0


def test_a_genuine_danger_check_in_verifies_and_raises_only_its_alert(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    with TestCase.captureOnCommitCallbacks(execute=True):
        check_in_from_status_page(codename, "green umbrella")
    opened = opened_check_in(row)
    assert (opened.tagged, opened.report) == (True, CheckInReport(danger=True))
    assert watch(now=timezone.now() + 48 * HOUR).raised == 0
    assert [alert.kind for alert in alerts_of(case)] == [AlertKind.RAISED]


def test_cancelling_the_booking_tags_what_it_cancels_and_never_a_forged_row(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    came, genuine, forged = schedule(booking, window(), window(opens_in=1), window(opens_in=5))
    do_log_check_in(came, in_danger=False, note="", **as_user())  # in transit now
    ExpectedCheckIn.objects.filter(pk=forged.pk).update(tag=b"")
    do_cancel_booking(booking, reason="The flight was cancelled.", **as_user())
    assert fresh(genuine).cancelled_at is not None
    assert check_in_tag_matches(fresh(genuine))
    assert fresh(forged).cancelled_at is not None
    assert not check_in_tag_matches(fresh(forged))
    # The journey is still watched: the forged row alarms, the genuine ones do not.
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_TRANSIT
    assert watch().raised == 1
    assert missed_alerts(case) == [forged.pk]


def test_re_sealing_under_a_new_record_key_keeps_the_tags(world, monkeypatch):
    # What re-keying a case does to each sealed row (cases.rekeying.actions._reseal_rows): a
    # new record id and new ciphertexts, the clear columns as they were.
    from safehaven.cases.rekeying.actions import _reseal_rows

    case, booking, codename = journey_case(world, monkeypatch)
    came, waiting = schedule(booking, window(), window(opens_in=3))
    check_in_from_status_page(codename)
    old = open_travel(case, actor=world.users["caseworker"], private_key=private_key("caseworker"))
    assert old is not None
    new = new_record_key(uuid.uuid4(), readers=[world.users["caseworker"]])
    assert _reseal_rows(old, new)[0] >= 2
    for row in (came, waiting):
        assert fresh(row).record_id == new.record_id
        assert check_in_tag_matches(fresh(row))
        assert not open_check_in(fresh(row), new).forged
    assert watch().raised == 0


# --- What the panel and the actions make of a row without its tag -------------------------


def test_the_panel_shows_a_forged_status_page_check_in_as_forged(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    row = fresh(row)
    row.checked_in_at = this_hour()
    row.checked_in_via = CheckInVia.STATUS_PAGE
    row.seal_for_inbox("report", json.dumps({"v": 1, "danger": 0, "note": ""}))
    row.save(update_fields=["checked_in_at", "checked_in_via", "report"])
    opened = opened_check_in(row)
    assert opened.report == CheckInReport(danger=False)  # it opens: the inbox key is public
    assert opened.forged
    assert not opened.checked_in
    client = staff_client_with_keys(world, "caseworker")
    html = client.get(f"/en/staff/cases/{case.pk}/").content.decode()
    panel = html.split('id="check-ins"')[1].split("</section>")[0]
    assert f"Check-in #{row.pk} does not match its seal" in panel
    assert "Ordinary check-in" not in panel


def test_the_actions_refuse_a_row_without_its_tag(world, monkeypatch):
    from safehaven.cases.exceptions import CaseActionRefused

    _case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    ExpectedCheckIn.objects.filter(pk=row.pk).update(tag=b"")
    for act in (
        lambda: do_log_check_in(fresh(row), in_danger=False, note="", **as_user()),
        lambda: do_cancel_check_in(fresh(row), reason="x", **as_user()),
    ):
        with pytest.raises(CaseActionRefused, match="does not match its seal"):
            act()
    assert fresh(row).is_waiting
    assert not fresh(row).tag


def test_a_case_no_longer_watched_raises_nothing_for_a_forged_row(world):
    case = in_transit_case(world)
    row = expected_check_in(case)
    ExpectedCheckIn.objects.filter(pk=row.pk).update(cancelled_at=this_hour())
    Case.objects.filter(pk=case.pk).update(state=CaseState.ARRIVED)
    assert watch().raised == 0
    assert watch(now=timezone.now() + datetime.timedelta(days=2)).raised == 0

"""Check-in windows: wall-clock times at a chosen time zone kept in UTC to the hour, what is
refused, the windows a booking's segments suggest, and the sealed JSON (no database)."""

import datetime

import pytest

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.travel.bookings.sealing import Segment
from safehaven.travel.check_ins.sealing import (
    CheckInDetails,
    CheckInReport,
    details_from_json,
    details_to_json,
    report_from_json,
    report_to_json,
)
from safehaven.travel.check_ins.windows import (
    SuggestedWindow,
    WindowAsked,
    local_time,
    suggested_windows,
    time_zone_named,
    window_of,
)
from safehaven.travel.choices import CheckInPoint

NOW = datetime.datetime(2027, 1, 10, 0, 0, tzinfo=datetime.UTC)
BEFORE, TRANSIT, ARRIVAL = (
    CheckInPoint.BEFORE_DEPARTURE,
    CheckInPoint.TRANSIT,
    CheckInPoint.ARRIVAL,
)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def asked(opens: str, due_by: str, zone: str = "Europe/Berlin") -> WindowAsked:
    return WindowAsked(BEFORE, " Tegel ", at(opens), at(due_by), zone)


def test_it_converts_a_window_to_utc_rounded_outwards_to_the_hour():
    window = window_of(asked("2027-01-10T06:20", "2027-01-10T09:40"), now=NOW, number=1)
    # Berlin is UTC+1 in January.
    assert window.opens_at == datetime.datetime(2027, 1, 10, 5, 0, tzinfo=datetime.UTC)
    assert window.due_by == datetime.datetime(2027, 1, 10, 9, 0, tzinfo=datetime.UTC)
    assert (window.zone, window.place) == ("Europe/Berlin", "Tegel")
    on_the_hour = window_of(asked("2027-01-10T06:00", "2027-01-10T09:00"), now=NOW, number=1)
    assert on_the_hour.due_by == datetime.datetime(2027, 1, 10, 8, 0, tzinfo=datetime.UTC)


def test_it_follows_summer_time():
    window = window_of(asked("2027-07-10T06:00", "2027-07-10T09:00"), now=NOW, number=1)
    assert window.opens_at == datetime.datetime(2027, 7, 10, 4, 0, tzinfo=datetime.UTC)


def test_it_shows_a_window_back_in_its_own_zone():
    window = window_of(
        asked("2027-01-10T06:00", "2027-01-10T09:00", "Asia/Yerevan"), now=NOW, number=1
    )
    assert local_time(window.opens_at, "Asia/Yerevan") == at("2027-01-10T06:00")
    assert local_time(window.opens_at, "Nowhere/Else") is None


@pytest.mark.parametrize("zone", ["", "Berlin", "Mars/Olympus", "../../etc/passwd", "UTC\x00"])
def test_it_refuses_a_time_zone_it_does_not_know(zone):
    with pytest.raises(CaseActionRefused, match="Give a time zone this server knows"):
        time_zone_named(zone)


def test_it_accepts_a_known_time_zone_with_spaces_around():
    assert time_zone_named(" Asia/Tbilisi ").key == "Asia/Tbilisi"


@pytest.mark.parametrize(
    ("opens", "due_by", "message"),
    [
        ("2027-01-10T09:00", "2027-01-10T09:00", "Check-in 3: it must be due after its window"),
        ("2027-01-10T09:00", "2027-01-10T08:00", "Check-in 3: it must be due after its window"),
        ("2027-01-10T09:00", "2027-01-11T09:01", "Check-in 3: a window is at most 24 hours"),
        ("2027-01-09T09:00", "2027-01-10T00:30", "Check-in 3: this window is over already."),
        ("2028-01-12T09:00", "2028-01-12T10:00", "Check-in 3: a window must open within a year"),
    ],
)
def test_it_refuses_a_window_that_cannot_be(opens, due_by, message):
    with pytest.raises(CaseActionRefused, match=message):
        window_of(asked(opens, due_by), now=NOW, number=3)


def test_a_window_due_within_the_hour_is_not_over_yet():
    # Due 01:30 Berlin = 00:30 UTC, kept as 01:00 UTC: after now.
    window = window_of(asked("2027-01-09T09:00", "2027-01-10T01:30"), now=NOW, number=1)
    assert window.due_by == datetime.datetime(2027, 1, 10, 1, 0, tzinfo=datetime.UTC)


def test_it_suggests_a_window_before_departure_at_each_change_and_on_arrival():
    segments = (
        Segment("GRV", "EVN", "2027-01-10T06:30", "2027-01-10T08:00", "Armavia", "QX7"),
        Segment("EVN", "IST", "2027-01-10T11:00", "2027-01-10T13:15", "Pegasus", "PG1"),
        Segment("IST", "BER", "2027-01-10T16:00", "2027-01-10T18:30", "Pegasus", "PG2"),
    )
    assert suggested_windows(segments) == [
        SuggestedWindow(BEFORE, "GRV", at("2027-01-10T03:30"), at("2027-01-10T06:30")),
        SuggestedWindow(TRANSIT, "EVN", at("2027-01-10T08:00"), at("2027-01-10T11:00")),
        SuggestedWindow(TRANSIT, "IST", at("2027-01-10T13:15"), at("2027-01-10T16:15")),
        SuggestedWindow(ARRIVAL, "BER", at("2027-01-10T18:30"), at("2027-01-11T00:30")),
    ]


def test_it_suggests_nothing_for_a_segment_without_times():
    segments = (Segment("GRV", "BER"),)
    assert suggested_windows(segments) == []
    assert suggested_windows(()) == []


def test_it_seals_details_and_reports_as_json_and_back():
    details = CheckInDetails(ARRIVAL, "Berlin «BER»", "Europe/Berlin", "Later")
    assert details_from_json(details_to_json(details)) == details
    report = CheckInReport(True, "Heard shouting")
    assert report_from_json(report_to_json(report)) == report
    # An ordinary report and a danger one are as long as each other.
    assert len(report_to_json(CheckInReport(False))) == len(report_to_json(CheckInReport(True)))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        '{"v": 2}',
        '{"v": 1, "point": "moon", "place": "", "zone": "", "cancel_reason": ""}',
    ],
)
def test_it_refuses_details_it_did_not_make(text):
    with pytest.raises(ValueError, match="check-in"):
        details_from_json(text)


@pytest.mark.parametrize("text", ["", "{}", '{"v": 1, "danger": 2, "note": ""}'])
def test_it_refuses_a_report_it_did_not_make(text):
    with pytest.raises(ValueError, match="report"):
        report_from_json(text)

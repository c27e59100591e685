"""What an expected check-in seals, as JSON, and back: its ``details`` (where in the journey,
the place, the time zone its window was given in, a cancellation's reason) and its ``report``
(an ordinary check-in or a danger signal, and staff's note after a call). Nothing here touches
the database."""

from __future__ import annotations

import json
from dataclasses import dataclass

from safehaven.travel.choices import CheckInPoint

VERSION = 1


@dataclass(frozen=True)
class CheckInDetails:
    point: str  # a CheckInPoint
    place: str  # as the caseworker typed it: an airport, a city, a border crossing, or ""
    zone: str  # the IANA time zone the window was given in ("Europe/Berlin")
    cancel_reason: str = ""


@dataclass(frozen=True)
class CheckInReport:
    """How a check-in came in. ``danger``: the danger phrase, or staff heard a danger signal
    on the call. A report from the status page has no note, so an ordinary and a danger one
    seal to the same length."""

    danger: bool
    note: str = ""


def details_to_json(details: CheckInDetails) -> str:
    return json.dumps(
        {
            "v": VERSION,
            "point": details.point,
            "place": details.place,
            "zone": details.zone,
            "cancel_reason": details.cancel_reason,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def details_from_json(text: str) -> CheckInDetails:
    """The details of ``text`` (made by :func:`details_to_json`); ValueError if it is not."""
    try:
        data = json.loads(text)
        if data.get("v") != VERSION:
            raise ValueError("unknown check-in version")
        details = CheckInDetails(
            point=str(data["point"]),
            place=str(data["place"]),
            zone=str(data["zone"]),
            cancel_reason=str(data["cancel_reason"]),
        )
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise ValueError("not a check-in") from error
    if details.point not in CheckInPoint.values:
        raise ValueError("not a check-in point")
    return details


def report_to_json(report: CheckInReport) -> str:
    # 0 or 1, never false or true: an ordinary and a danger report are as long as each other.
    return json.dumps(
        {"v": VERSION, "danger": int(report.danger), "note": report.note},
        sort_keys=True,
        separators=(",", ":"),
    )


def report_from_json(text: str) -> CheckInReport:
    """The report of ``text`` (made by :func:`report_to_json`); ValueError if it is not."""
    try:
        data = json.loads(text)
        if data.get("v") != VERSION or data["danger"] not in (0, 1):
            raise ValueError("unknown report")
        return CheckInReport(danger=bool(data["danger"]), note=str(data["note"]))
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise ValueError("not a report") from error

"""The time windows of expected check-ins: a caseworker gives each as wall-clock times at a
time zone they pick (the ticket's local times); it is kept in UTC, to the hour (it opens at the
hour before, is due at the hour after), since the alarm runs in UTC and a clear time to the
minute would tell more than the alarm needs. Suggestions come from a booking's segments.
Nothing here touches the database."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.coarse_time import hour_of
from safehaven.travel.bookings.sealing import Segment
from safehaven.travel.choices import CheckInPoint

HOUR = datetime.timedelta(hours=1)
MAX_WINDOW = datetime.timedelta(hours=24)
FURTHEST_AHEAD = datetime.timedelta(days=366)
MAX_CHECK_INS_PER_BOOKING = 20

# The suggestions: before departure the hours before the first departure; at each transit
# place from the arrival there; on arrival from the final arrival, longer (a border, a queue).
BEFORE_DEPARTURE = datetime.timedelta(hours=3)
AT_TRANSIT = datetime.timedelta(hours=3)
ON_ARRIVAL = datetime.timedelta(hours=6)


@dataclass(frozen=True, repr=False)
class WindowAsked:
    """A window as the caseworker gives it: wall-clock times (naive) at ``zone``."""

    point: str  # a CheckInPoint
    place: str
    opens: datetime.datetime
    due_by: datetime.datetime
    zone: str

    def __repr__(self) -> str:
        return f"WindowAsked({self.point})"


@dataclass(frozen=True, repr=False)
class Window:
    """A window as kept: aware UTC times on the hour."""

    point: str
    place: str
    zone: str
    opens_at: datetime.datetime
    due_by: datetime.datetime

    def __repr__(self) -> str:
        return f"Window({self.point})"


@cache
def known_time_zones() -> frozenset[str]:
    """The IANA names this server's time-zone database holds (Debian: the tzdata package)."""
    return frozenset(zoneinfo.available_timezones())


def time_zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The time zone called ``name``, or CaseActionRefused."""
    name = name.strip()
    if name not in known_time_zones():
        raise CaseActionRefused(
            _("Give a time zone this server knows, such as Europe/Berlin or Asia/Yerevan.")
        )
    return zoneinfo.ZoneInfo(name)


def round_up_to_the_hour(moment: datetime.datetime) -> datetime.datetime:
    start = hour_of(moment)
    return start if start == moment else start + HOUR


def window_of(asked: WindowAsked, *, now: datetime.datetime, number: int) -> Window:
    """``asked`` in UTC, to the hour; CaseActionRefused (naming check-in ``number``) for an
    unknown point or zone, a window due before it opens, longer than a day, over already or
    opening more than a year ahead."""

    def refuse(message: str) -> CaseActionRefused:
        return CaseActionRefused(
            _("Check-in %(number)s: %(problem)s") % {"number": number, "problem": message}
        )

    if asked.point not in CheckInPoint.values:
        raise refuse(_("choose where in the journey it is expected."))
    try:
        zone = time_zone_named(asked.zone)
    except CaseActionRefused as refusal:
        raise refuse(str(refusal)) from None
    opens = asked.opens.replace(tzinfo=zone)
    due_by = asked.due_by.replace(tzinfo=zone)
    if due_by <= opens:
        raise refuse(_("it must be due after its window opens."))
    if due_by - opens > MAX_WINDOW:
        raise refuse(
            _("a window is at most %(hours)d hours long.")
            % {"hours": MAX_WINDOW // datetime.timedelta(hours=1)}
        )
    window = Window(
        point=asked.point,
        place=asked.place.strip(),
        zone=zone.key,
        opens_at=hour_of(opens),
        due_by=round_up_to_the_hour(due_by.astimezone(datetime.UTC)),
    )
    if window.due_by <= now:
        raise refuse(_("this window is over already."))
    if window.opens_at > now + FURTHEST_AHEAD:
        raise refuse(_("a window must open within a year."))
    return window


def local_time(moment: datetime.datetime, zone: str) -> datetime.datetime | None:
    """``moment`` as a wall-clock time (naive) at ``zone``; None for a zone this server no
    longer knows."""
    if zone not in known_time_zones():
        return None
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)


@dataclass(frozen=True, repr=False)
class SuggestedWindow:
    point: str
    place: str
    opens: datetime.datetime  # wall clock, as the segments give it
    due_by: datetime.datetime

    def __repr__(self) -> str:
        return f"SuggestedWindow({self.point})"


def _wall_clock(text: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return None


def suggested_windows(segments: tuple[Segment, ...]) -> list[SuggestedWindow]:
    """Windows from a booking's segments (their local times): before the first departure, at
    each place the journey changes, after the final arrival. A segment without a readable time
    suggests nothing for it."""
    suggestions: list[SuggestedWindow] = []
    if not segments:
        return suggestions
    first, last = segments[0], segments[-1]
    departs = _wall_clock(first.departs)
    if departs is not None:
        suggestions.append(
            SuggestedWindow(
                CheckInPoint.BEFORE_DEPARTURE, first.from_place, departs - BEFORE_DEPARTURE, departs
            )
        )
    for segment in segments[:-1]:
        arrives = _wall_clock(segment.arrives)
        if arrives is not None:
            suggestions.append(
                SuggestedWindow(
                    CheckInPoint.TRANSIT, segment.to_place, arrives, arrives + AT_TRANSIT
                )
            )
    arrives = _wall_clock(last.arrives)
    if arrives is not None:
        suggestions.append(
            SuggestedWindow(CheckInPoint.ARRIVAL, last.to_place, arrives, arrives + ON_ARRIVAL)
        )
    return suggestions

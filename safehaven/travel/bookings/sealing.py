"""What a booking seals (``Booking.details``), as JSON, and back: its saved route, travellers,
segments, the ticked checklist and a cancellation's reason. Nothing here touches the database."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

VERSION = 1


@dataclass(frozen=True)
class Segment:
    """One part of the journey: places as the route or the caseworker names them, times as
    the ticket gives them (local, ``YYYY-MM-DDTHH:MM``), carrier and booking reference."""

    from_place: str
    to_place: str
    departs: str = ""
    arrives: str = ""
    carrier: str = ""
    reference: str = ""

    @property
    def booked(self) -> bool:
        return all((self.departs, self.arrives, self.carrier, self.reference))


@dataclass(frozen=True)
class Tick:
    person: int  # a CasePerson's id
    item: str  # a ChecklistItem
    by: int  # the user who ticked it
    at: str  # the hour, ISO


@dataclass(frozen=True)
class BookingContent:
    saved_route: int | None  # the SavedRoute it was booked from; None when entered by hand
    travellers: tuple[int, ...]  # CasePerson ids
    segments: tuple[Segment, ...] = ()
    ticks: tuple[Tick, ...] = ()
    cancel_reason: str = ""

    def ticked(self, person: int, item: str) -> bool:
        return any(t.person == person and t.item == item for t in self.ticks)

    def with_segments(self, segments: tuple[Segment, ...]) -> BookingContent:
        return replace(self, segments=segments)


def booking_to_json(content: BookingContent) -> str:
    return json.dumps(
        {
            "v": VERSION,
            "saved_route": content.saved_route,
            "travellers": list(content.travellers),
            "segments": [asdict(segment) for segment in content.segments],
            "ticks": [asdict(tick) for tick in content.ticks],
            "cancel_reason": content.cancel_reason,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def booking_from_json(text: str) -> BookingContent:
    """The booking of ``text`` (made by :func:`booking_to_json`); ValueError if it is not."""
    try:
        data = json.loads(text)
        if data.get("v") != VERSION:
            raise ValueError("unknown booking version")
        route = data["saved_route"]
        return BookingContent(
            saved_route=None if route is None else int(route),
            travellers=tuple(int(person) for person in data["travellers"]),
            segments=tuple(Segment(**{k: str(v) for k, v in s.items()}) for s in data["segments"]),
            ticks=tuple(
                Tick(int(t["person"]), str(t["item"]), int(t["by"]), str(t["at"]))
                for t in data["ticks"]
            ),
            cancel_reason=str(data["cancel_reason"]),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError("not a booking") from error

"""What a ticket file seals in ``TicketFile.details``, as JSON, and back: its safe file name,
content type, the traveller it is for and a removal's reason. Nothing here touches the
database."""

from __future__ import annotations

import json
from dataclasses import dataclass

VERSION = 1


@dataclass(frozen=True)
class TicketDetails:
    name: str  # a safe base name (``files.safe_base_name``), shown escaped only
    content_type: str  # one of ``files.TICKET_TYPES``
    traveller: int | None  # a CasePerson of the booking's travellers; None: the whole booking
    removed_reason: str = ""


def details_to_json(details: TicketDetails) -> str:
    return json.dumps(
        {
            "v": VERSION,
            "name": details.name,
            "content_type": details.content_type,
            "traveller": details.traveller,
            "removed_reason": details.removed_reason,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def details_from_json(text: str) -> TicketDetails:
    """The details of ``text`` (made by :func:`details_to_json`); ValueError if it is not."""
    try:
        data = json.loads(text)
        if data.get("v") != VERSION:
            raise ValueError("unknown ticket file version")
        traveller = data["traveller"]
        return TicketDetails(
            name=str(data["name"]),
            content_type=str(data["content_type"]),
            traveller=None if traveller is None else int(traveller),
            removed_reason=str(data["removed_reason"]),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError("not a ticket file's details") from error

"""What a naming seals (``AdvocacyNaming.details``), as JSON, and back: the person as the
government must know them. Nothing here touches the database."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

VERSION = 1


@dataclass(frozen=True, repr=False)
class NamingDetails:
    name: str  # as on their documents
    born_on: str = ""  # ISO date, "" if not given
    nationality: str = ""  # ISO 3166-1 alpha-2, "" if not given
    document: str = ""  # a passport's or travel document's number, "" if none

    def __repr__(self) -> str:
        return "NamingDetails(<sealed>)"


def naming_to_json(details: NamingDetails) -> str:
    return json.dumps({"v": VERSION, **asdict(details)}, sort_keys=True, separators=(",", ":"))


def naming_from_json(text: str) -> NamingDetails:
    """The details of ``text`` (made by :func:`naming_to_json`); ValueError if it is not."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise ValueError("unknown naming version")
        return NamingDetails(
            name=str(data["name"]),
            born_on=str(data.get("born_on", "")),
            nationality=str(data.get("nationality", "")),
            document=str(data.get("document", "")),
        )
    except (KeyError, TypeError) as error:
        raise ValueError("not a naming") from error

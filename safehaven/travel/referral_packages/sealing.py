"""What a referral consent seals (``ReferralConsent.details``), as JSON, and back: the
recipient's name and contact, how the person agreed, a note and, for a government, which one
(its country). Nothing here touches the database."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

# Version 2 added ``government_country``. A version 1 consent opens with none: it still lets a
# package be made, but names no government, so no government request may name the person
# (advocacy.namings).
VERSION = 2
READABLE = (1, VERSION)


@dataclass(frozen=True)
class ConsentDetails:
    recipient_name: str  # "UNHCR Ankara", "Ministry of …", "Sponsor group …"
    recipient_contact: str  # how the package reaches them (an e-mail, an office)
    how_given: str  # "in writing", "by phone on …": how the person agreed
    note: str = ""
    # ISO 3166-1 alpha-2 of the government agreed to; "" for any other recipient (and for a
    # consent recorded before the country was asked).
    government_country: str = ""


def consent_to_json(details: ConsentDetails) -> str:
    return json.dumps({"v": VERSION, **asdict(details)}, sort_keys=True, separators=(",", ":"))


def consent_from_json(text: str) -> ConsentDetails:
    """The details of ``text`` (made by :func:`consent_to_json`); ValueError if it is not."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("v") not in READABLE:
            raise ValueError("unknown consent version")
        return ConsentDetails(
            recipient_name=str(data["recipient_name"]),
            recipient_contact=str(data["recipient_contact"]),
            how_given=str(data["how_given"]),
            note=str(data.get("note", "")),
            government_country=str(data["government_country"]) if data["v"] > 1 else "",
        )
    except (KeyError, TypeError) as error:
        raise ValueError("not a consent") from error

"""What a disbursement seals as ``payee`` (JSON) and back. Nothing here touches the database."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

VERSION = 1
FIELD_LIMIT = 500


@dataclass(frozen=True)
class PayeeDetails:
    """Who was paid and where: a person's or a partner's name, an account (IBAN, card or
    wallet number) or a phone number for a money-transfer service, the service's name, and a
    note (e.g. the partner who passed it on). Any may be empty."""

    name: str = ""
    account: str = ""
    service: str = ""
    note: str = ""


def payee_to_json(payee: PayeeDetails) -> str:
    for field in fields(payee):
        if len(getattr(payee, field.name)) > FIELD_LIMIT:
            raise ValueError(f"payee {field.name} is longer than {FIELD_LIMIT} characters")
    return json.dumps(
        {"v": VERSION, **asdict(payee)}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def payee_from_json(text: str) -> PayeeDetails:
    """The payee of ``text`` (made by :func:`payee_to_json`); ValueError if it is not."""
    try:
        data = json.loads(text)
        if data.get("v") != VERSION:
            raise ValueError("unknown payee version")
        return PayeeDetails(**{field.name: str(data[field.name]) for field in fields(PayeeDetails)})
    except (TypeError, KeyError, AttributeError, json.JSONDecodeError):
        raise ValueError("not a payee") from None

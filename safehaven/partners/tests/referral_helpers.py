"""Shared helpers for the referral tests: valid referral data, a referral made through the
form and the action, batch files, and what a stored referral is wrapped to."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from safehaven.accounts.models import Organisation, User
from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.keys.models import RecordKeyWrap
from safehaven.partners.referrals.actions import do_refer_person
from safehaven.partners.referrals.forms import ReferralDraft, ReferralForm

HEADER = (
    "known_as",
    "situation",
    "country",
    "region",
    "languages",
    "contact_method",
    "contact",
    "may_leave_message",
    "risk_indicators",
    "companions",
    "consent",
)


def referral_data(**overrides: object) -> dict[str, Any]:
    """A referral a partner could send, every value a string as in a file or the API."""
    data: dict[str, Any] = {
        "known_as": "Anna",
        "situation": "Detained twice; her family threatens her.",
        "country": "RU",
        "region": "",
        "languages": "ru, ce",
        "contact_method": "signal",
        "contact": "+7 912 345-67-89",
        "may_leave_message": "no",
        "risk_indicators": "detained,threats_family",
        "companions": "1",
        "consent": "yes",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def referral_draft(**overrides: object) -> ReferralDraft:
    form = ReferralForm(referral_data(**overrides))
    assert form.is_valid(), form.errors
    return form.draft()


def refer(
    world: Any,
    partner: str = "partner_a",
    *,
    channel: str = RequestChannel.PORTAL,
    **overrides: object,
) -> HelpRequest:
    """A referral of partner ``partner``, made by its seeded member."""
    organisation: Organisation = getattr(world, partner)
    actor: User = world.users[partner]
    return do_refer_person(
        referral_draft(**overrides), organisation=organisation, channel=channel, actor=actor
    )


def csv_text(rows: Iterable[dict[str, Any]], header: Iterable[str] = HEADER) -> str:
    out = io.StringIO()
    columns = list(header)
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in columns})
    return out.getvalue()


def wrap_kinds(record_id: Any) -> list[tuple[str, int | None]]:
    """(kind, team id) of each wrap of a record, sorted."""
    wraps = RecordKeyWrap.objects.filter(record_key__record_id=record_id)
    return sorted(
        (wrap.kind, wrap.team_key.team_id if wrap.team_key is not None else None)
        for wrap in wraps.select_related("team_key")
    )

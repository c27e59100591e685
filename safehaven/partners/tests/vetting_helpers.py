"""Helpers for the vetting and suspension tests: what a partner holds before it is suspended,
and an attacker's view of the database (a copy of every row, and one member's password).

``member_private_key`` unlocks the member's key pair exactly as login does
(``keys/backends.py``: Argon2id of the password over ``protected_private_key``). The
``opens_*`` functions try every wrap in the database with whatever keys the attacker holds,
without going through the application's checks (which would refuse a suspended user first)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.test import Client
from django.urls import reverse

from safehaven.accounts.models import Invite, Organisation, Role, User
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.crypto import SealError, unprotect_with_password, unwrap_key
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.referral_codes.actions import do_create_referral_code
from safehaven.keys.keyring import record_info_for_user, team_key_info_for_user
from safehaven.keys.models import RecordKey, RecordKeyWrap, RecordWrapKind, TeamKeyWrap, UserKeyPair
from safehaven.keys.wrapping import open_team_envelope
from safehaven.partners.api.tokens import do_create_api_token
from safehaven.partners.models import ApiToken


def member_private_key(user: User, password: str = TEST_PASSWORD) -> bytes:
    """The member's private key from a copy of the database and their password."""
    pair = UserKeyPair.objects.get(user=user)
    return unprotect_with_password(bytes(pair.protected_private_key), password)


def team_keys_opened_by(user: User, private_key: bytes) -> dict[int, bytes]:
    """Every team private key (by team key id) that any team key wrap in the database yields
    to ``private_key`` under ``user``'s binding, whatever the wrap's row says."""
    opened = {}
    for wrap in TeamKeyWrap.objects.all():
        try:
            opened[wrap.team_key_id] = unwrap_key(
                private_key, bytes(wrap.wrapped), team_key_info_for_user(wrap.team_key_id, user.pk)
            )
        except SealError:
            continue
    return opened


def opens_record(
    record_id: uuid.UUID, user: User, private_key: bytes, team_keys: dict[int, bytes]
) -> bool:
    """Whether any wrap of the record opens with the user's private key or with one of the
    team private keys the attacker kept (``team_keys``, by team key id)."""
    for wrap in RecordKeyWrap.objects.filter(record_key__record_id=record_id):
        if wrap.kind == RecordWrapKind.TEAM and wrap.team_key_id is not None:
            try:
                open_team_envelope(
                    bytes(wrap.wrapped),
                    record_id=record_id,
                    team_key_id=wrap.team_key_id,
                    private_for=team_keys.get,
                )
            except SealError:
                pass
            else:
                return True
        try:
            unwrap_key(private_key, bytes(wrap.wrapped), record_info_for_user(record_id, user.pk))
        except SealError:
            continue
        return True
    return False


def records_opened(
    record_ids: Iterable[uuid.UUID], user: User, private_key: bytes, team_keys: dict[int, bytes]
) -> list[uuid.UUID]:
    return [
        record_id
        for record_id in record_ids
        if opens_record(record_id, user, private_key, team_keys)
    ]


def record_ids_after(last_pk: int) -> list[uuid.UUID]:
    return list(
        RecordKey.objects.filter(pk__gt=last_pk).order_by("pk").values_list("record_id", flat=True)
    )


def last_record_key_pk() -> int:
    last = RecordKey.objects.order_by("-pk").first()
    return last.pk if last is not None else 0


def equip_partner(world: Any, name: str, *, code: str) -> tuple[ApiToken, str]:
    """An API token and a referral code for partner ``name`` ("partner_a"/"partner_b"), and a
    pending invitation to it; returns the token and the code."""
    organisation: Organisation = getattr(world, name)
    token, _secret = do_create_api_token(
        organisation=organisation, label="Field laptop", valid_days=30, actor=world.users["admin"]
    )
    referral_code = do_create_referral_code(world.teams[name], actor=None, code=code)
    Invite.objects.create(
        email=f"new-{name}@partner.test",
        organisation=organisation,
        role=Role.PARTNER,
        token_hash=f"{name}-invite-token-hash",
        invited_by=world.users["admin"],
        expires_at=token.expires_at,
    )
    return token, referral_code


def events_of(event_type: EventType) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("sequence"))


def vetting_url(name: str, organisation: Organisation | int) -> str:
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return reverse(name, kwargs={"organisation_id": organisation_id})


def is_logged_out(client: Client) -> bool:
    """Whether the browser's next request is sent to log in (its session is gone)."""
    response = client.get(reverse("accounts-show-home"))
    return response.status_code == 302 and "/accounts/login/" in response["Location"]

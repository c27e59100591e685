"""Who holds which key: unwrapping team private keys and record DEKs for a user or for escrow.

A *holder* is a private key someone has unlocked (a user's, at login, or the escrow key, by
two administrators). It can open the team keys wrapped to it and, through them or directly,
record keys. Nothing here writes to the database.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from safehaven.accounts.models import User
from safehaven.core.crypto import SealError, public_key_from_private, unwrap_key, wrap_key
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import (
    EscrowKey,
    RecordKey,
    RecordKeyWrap,
    RecordWrapKind,
    TeamKey,
    TeamKeyWrap,
    UserKeyPair,
)
from safehaven.keys.public_key_tags import checked_public_key
from safehaven.keys.wrap_tags import tag_team_key_wrap
from safehaven.keys.wrapping import binding, open_team_envelope


def team_key_info_for_user(team_key_id: int, user_id: int) -> bytes:
    return binding("team-key", team_key_id, "user", user_id)


def team_key_info_for_escrow(team_key_id: int, escrow_id: int) -> bytes:
    return binding("team-key", team_key_id, "escrow", escrow_id)


def record_info_for_user(record_id: uuid.UUID, user_id: int) -> bytes:
    return binding("record-user", record_id, user_id)


def record_info_for_escrow(record_id: uuid.UUID, escrow_id: int) -> bytes:
    return binding("record-escrow", record_id, escrow_id)


def wrap_team_key_to_user(team_key: TeamKey, team_private: bytes, user: User) -> TeamKeyWrap:
    """An unsaved, tagged wrap of ``team_private`` to ``user``; suspended if their keys are.
    Refuses a public key without its tag (PublicKeyTampered), like every wrap to a stored
    public key."""
    pair = UserKeyPair.objects.get(user=user)
    wrap = TeamKeyWrap(
        team_key=team_key,
        user=user,
        wrapped=wrap_key(
            checked_public_key(pair), team_private, team_key_info_for_user(team_key.pk, user.pk)
        ),
        suspended=pair.suspended_at is not None,
    )
    return tag_team_key_wrap(wrap)


def wrap_team_key_to_escrow(
    team_key: TeamKey, team_private: bytes, escrow: EscrowKey
) -> TeamKeyWrap:
    info = team_key_info_for_escrow(team_key.pk, escrow.pk)
    wrap = TeamKeyWrap(
        team_key=team_key,
        escrow=escrow,
        wrapped=wrap_key(checked_public_key(escrow), team_private, info),
    )
    return tag_team_key_wrap(wrap)


def unwrap_or_none(
    private_key: bytes, wrap: TeamKeyWrap | RecordKeyWrap | None, info: bytes
) -> bytes | None:
    """The key inside ``wrap``, or None when there is no wrap or it does not open with
    ``private_key`` (a reader tries several paths; a failed one is not an error)."""
    if wrap is None:
        return None
    try:
        return unwrap_key(private_key, bytes(wrap.wrapped), info)
    except SealError:
        return None


class Holder(Protocol):
    def team_private(self, team_key_id: int) -> bytes | None: ...

    def direct_dek(self, record_key: RecordKey) -> bytes | None: ...

    def team_wraps(self, record_key: RecordKey) -> list[RecordKeyWrap]: ...


class UserHolder:
    """A user's unlocked private key. Refuses to exist for a suspended or inactive user, or
    for a private key that does not belong to the user."""

    def __init__(self, user: User, private_key: bytes) -> None:
        pair = UserKeyPair.objects.filter(user=user).first()
        if pair is None or pair.suspended_at is not None or not user.is_active:
            raise RecordUnavailable("This record cannot be opened with your key.")
        try:
            matches = public_key_from_private(private_key) == bytes(pair.public_key)
        except (ValueError, TypeError):
            matches = False
        if not matches:
            raise RecordUnavailable("This record cannot be opened with your key.")
        self.user = user
        self._private = private_key
        self._team_cache: dict[int, bytes | None] = {}

    def __repr__(self) -> str:
        return f"<UserHolder user #{self.user.pk} (key hidden)>"

    def team_private(self, team_key_id: int) -> bytes | None:
        if team_key_id not in self._team_cache:
            wrap = TeamKeyWrap.objects.filter(
                team_key_id=team_key_id, user=self.user, suspended=False
            ).first()
            info = team_key_info_for_user(team_key_id, self.user.pk)
            self._team_cache[team_key_id] = unwrap_or_none(self._private, wrap, info)
        return self._team_cache[team_key_id]

    def direct_dek(self, record_key: RecordKey) -> bytes | None:
        wrap = RecordKeyWrap.objects.filter(
            record_key=record_key, kind=RecordWrapKind.USER, user=self.user, suspended=False
        ).first()
        info = record_info_for_user(record_key.record_id, self.user.pk)
        return unwrap_or_none(self._private, wrap, info)

    def team_wraps(self, record_key: RecordKey) -> list[RecordKeyWrap]:
        # Only teams the user holds a key of: the rest would fail anyway, one HPKE each.
        return list(
            RecordKeyWrap.objects.filter(
                record_key=record_key,
                kind=RecordWrapKind.TEAM,
                suspended=False,
                team__keys__wraps__user=self.user,
                team__keys__wraps__suspended=False,
            ).distinct()
        )


class EscrowHolder:
    """The escrow private key, opened by two administrators."""

    def __init__(self, escrow: EscrowKey, escrow_private: bytes) -> None:
        self.escrow = escrow
        self._private = escrow_private
        self._team_cache: dict[int, bytes | None] = {}

    def __repr__(self) -> str:
        return f"<EscrowHolder escrow #{self.escrow.pk} (key hidden)>"

    def private_key(self) -> bytes:
        return self._private

    def team_private(self, team_key_id: int) -> bytes | None:
        if team_key_id not in self._team_cache:
            wrap = TeamKeyWrap.objects.filter(team_key_id=team_key_id, escrow=self.escrow).first()
            info = team_key_info_for_escrow(team_key_id, self.escrow.pk)
            self._team_cache[team_key_id] = unwrap_or_none(self._private, wrap, info)
        return self._team_cache[team_key_id]

    def direct_dek(self, record_key: RecordKey) -> bytes | None:
        wrap = RecordKeyWrap.objects.filter(
            record_key=record_key, kind=RecordWrapKind.ESCROW, escrow=self.escrow
        ).first()
        info = record_info_for_escrow(record_key.record_id, self.escrow.pk)
        return unwrap_or_none(self._private, wrap, info)

    def team_wraps(self, record_key: RecordKey) -> list[RecordKeyWrap]:
        return list(RecordKeyWrap.objects.filter(record_key=record_key, kind=RecordWrapKind.TEAM))


def open_dek(record_key: RecordKey, holder: Holder) -> bytes:
    """The record's DEK through a direct wrap or any team wrap the holder can peel."""
    dek = holder.direct_dek(record_key)
    if dek is not None:
        return dek
    for wrap in holder.team_wraps(record_key):
        if wrap.team_key_id is None:
            continue
        try:
            return open_team_envelope(
                bytes(wrap.wrapped),
                record_id=record_key.record_id,
                team_key_id=wrap.team_key_id,
                private_for=holder.team_private,
            )
        except SealError:
            continue
    raise RecordUnavailable("This record cannot be opened with your key.")

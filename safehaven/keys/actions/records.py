"""Record key actions: grant, revoke, shred, and opening a record through escrow."""

from __future__ import annotations

import uuid

from django.db import transaction

from safehaven.accounts.models import Team, User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.keys.escrow import open_escrow
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable
from safehaven.keys.keyring import UserHolder, open_dek
from safehaven.keys.models import (
    RecordKey,
    RecordKeyWrap,
    RecordWrapKind,
    ShreddedRecord,
    ShredReason,
)
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record_with_holder, wrap_to_reader
from safehaven.keys.shred import append_to_shred_list, checkpoint_after_commit, destroy_record_keys


def _one_target(user: User | None, team: Team | None) -> User | Team:
    if user is not None and team is not None:
        raise ValueError("name exactly one of a user or a team")
    if user is not None:
        return user
    if team is not None:
        return team
    raise ValueError("name exactly one of a user or a team")


def _target_detail(target: User | Team) -> str:
    return f"team #{target.pk}" if isinstance(target, Team) else f"user #{target.pk}"


def do_grant_record(
    record_id: uuid.UUID,
    *,
    to_user: User | None = None,
    to_team: Team | None = None,
    granter: User,
    granter_private_key: bytes,
    actor: User,
) -> None:
    """Wrap a record's DEK to another user or team. Only someone who can open the record can
    grant it: the DEK is unwrapped with the granter's key, never taken from anywhere else."""
    target = _one_target(to_user, to_team)
    record_key = RecordKey.objects.filter(record_id=record_id).first()
    if record_key is None:
        raise KeyActionRefused("This record has no key (never made, or shredded).")
    try:
        dek = open_dek(record_key, UserHolder(granter, granter_private_key))
    except RecordUnavailable:
        raise KeyActionRefused("You cannot open this record, so you cannot share it.") from None
    with transaction.atomic():
        existing = RecordKeyWrap.objects.filter(record_key=record_key)
        if isinstance(target, Team):
            existing = existing.filter(kind=RecordWrapKind.TEAM, team=target)
        else:
            existing = existing.filter(kind=RecordWrapKind.USER, user=target)
        if existing.exists():
            raise KeyActionRefused("This record is already shared with them.")
        wrap_to_reader(record_key, dek, target).save()
        record_event(
            EventType.RECORD_GRANTED,
            actor=actor,
            target_type="record",
            target_ref=str(record_id),
            detail=f"to {_target_detail(target)}",
        )


def do_revoke_record(
    record_id: uuid.UUID,
    *,
    from_user: User | None = None,
    from_team: Team | None = None,
    actor: User,
) -> None:
    """Delete a user's or team's wrap of a record. It cannot take back what they already read
    (or a DEK they kept): it stops access from now on."""
    target = _one_target(from_user, from_team)
    with transaction.atomic():
        wraps = RecordKeyWrap.objects.filter(record_key__record_id=record_id)
        if isinstance(target, Team):
            wraps = wraps.filter(kind=RecordWrapKind.TEAM, team=target)
        else:
            wraps = wraps.filter(kind=RecordWrapKind.USER, user=target)
        deleted, _detail = wraps.delete()
        if not deleted:
            raise KeyActionRefused("This record is not shared with them.")
        record_event(
            EventType.RECORD_REVOKED,
            actor=actor,
            target_type="record",
            target_ref=str(record_id),
            detail=f"from {_target_detail(target)}",
        )
    checkpoint_after_commit()


def do_shred_record(record_id: uuid.UUID, *, actor: User | None, reason: ShredReason | str) -> None:
    """Crypto-shred a record: every wrap and its key go, its sealed fields are blanked, and the
    id is listed so that a restore from an older backup can shred it again."""
    reason = ShredReason(reason)
    with transaction.atomic():
        if ShreddedRecord.objects.filter(record_id=record_id).exists():
            raise KeyActionRefused("This record was already shredded.")
        wraps, blanked = destroy_record_keys(record_id)
        ShreddedRecord.objects.create(record_id=record_id, reason=reason)
        record_event(
            EventType.RECORD_SHREDDED,
            actor=actor,
            target_type="record",
            target_ref=str(record_id),
            detail=f"{reason.value}; {wraps} wraps, {blanked} rows blanked",
        )
        transaction.on_commit(lambda: append_to_shred_list(record_id))
        checkpoint_after_commit()


def do_reapply_shred(record_id: uuid.UUID, *, actor: User | None) -> bool:
    """Shred again a record that a restored backup brought back; False if nothing was left."""
    with transaction.atomic():
        wraps, blanked = destroy_record_keys(record_id)
        listed = ShreddedRecord.objects.filter(record_id=record_id).exists()
        if not listed:
            ShreddedRecord.objects.create(record_id=record_id, reason=ShredReason.REAPPLIED)
        if not (wraps or blanked or not listed):
            return False
        record_event(
            EventType.RECORD_SHREDDED,
            actor=actor,
            target_type="record",
            target_ref=str(record_id),
            detail=f"reapplied after a restore; {wraps} wraps, {blanked} rows blanked",
        )
        checkpoint_after_commit()
    return True


def open_with_escrow(
    record_id: uuid.UUID,
    admin_a_private: bytes,
    admin_b_private: bytes,
    *,
    actor: User | None = None,
) -> OpenedRecord:
    """Open any record with the escrow key, which needs two administrators' unlocked keys
    (e.g. both at one screen, each typing their password). Always audited."""
    holder, admin_a, admin_b = open_escrow(admin_a_private, admin_b_private)
    opened = open_record_with_holder(record_id, holder)
    with transaction.atomic():
        record_event(
            EventType.ESCROW_USED,
            actor=actor or admin_a,
            target_type="record",
            target_ref=str(record_id),
            detail=f"record opened by admins #{admin_a.pk} and #{admin_b.pk}",
        )
    return opened

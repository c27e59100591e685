"""Escrow actions: create, add a holder, print and restore the recovery sheet.

The management commands ``init_keys``, ``print_recovery_sheet`` and ``restore_escrow`` call
these.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from safehaven.accounts.models import Organisation, OrganisationKind, User
from safehaven.core.audit import record_event
from safehaven.core.crypto import new_key_pair, public_key_from_private
from safehaven.core.event_types import EventType
from safehaven.keys.escrow import (
    create_shares,
    eligible_holders,
    format_sheet,
    holder_ids,
    is_admin,
    open_escrow,
    parse_sheet,
)
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import EscrowKey, EscrowShare, UserKeyPair
from safehaven.keys.public_key_tags import tag_matches
from safehaven.keys.records import current_escrow

MIN_HOLDERS = 2


def relocating_organisation() -> Organisation:
    organisations = list(Organisation.objects.filter(kind=OrganisationKind.RELOCATING)[:2])
    if len(organisations) != 1:
        raise KeyActionRefused(
            "Name the organisation: there must be exactly one relocating organisation."
        )
    return organisations[0]


def do_create_escrow(organisation: Organisation, *, actor: User | None) -> EscrowKey:
    """Create the escrow key pair, split between every pair of the organisation's
    administrators. The private key exists only in this call (print the sheet next)."""
    with transaction.atomic():
        if EscrowKey.objects.exists():
            raise KeyActionRefused("The escrow key already exists.")
        holders = eligible_holders(organisation.pk)
        if len(holders) < MIN_HOLDERS:
            raise KeyActionRefused(
                "At least two active administrators with key pairs are needed to hold escrow."
            )
        pair = new_key_pair()
        escrow = EscrowKey.objects.create(organisation=organisation, public_key=pair.public)
        create_shares(escrow, pair.private, holders)
        record_event(
            EventType.ESCROW_CREATED,
            actor=actor,
            organisation=organisation,
            target=escrow,
            detail=f"{len(holders)} holders",
        )
    return escrow


def do_add_escrow_holder(
    new_admin: User, *, admin_a_private: bytes, admin_b_private: bytes, actor: User | None
) -> int:
    """Two current holders open escrow and split it with a new administrator too."""
    holder, admin_a, admin_b = open_escrow(admin_a_private, admin_b_private)
    escrow = holder.escrow
    if not is_admin(new_admin, escrow):
        raise KeyActionRefused("Only an active administrator can hold escrow.")
    if not UserKeyPair.objects.filter(user=new_admin, suspended_at__isnull=True).exists():
        raise KeyActionRefused("The new holder needs a key pair in use.")
    current = User.objects.filter(pk__in=holder_ids(escrow) | {new_admin.pk})
    with transaction.atomic():
        created = create_shares(escrow, holder.private_key(), current)
        record_event(
            EventType.ESCROW_USED,
            actor=actor or admin_a,
            organisation=escrow.organisation,
            target=new_admin,
            detail=f"holder added by admins #{admin_a.pk} and #{admin_b.pk}",
        )
    return created


def escrow_holder_count_without(user: User) -> int | None:
    """How many *usable* escrow holders would remain without ``user``; None if they hold none.

    A suspended or deactivated administrator, or one whose keys a duress login suspended,
    cannot help open escrow, so they do not count towards the two that must remain.
    """
    escrow = current_escrow()
    if escrow is None:
        return None
    holders = holder_ids(escrow)
    if user.pk not in holders:
        return None
    usable = {holder.pk for holder in eligible_holders(escrow)}
    return len((holders & usable) - {user.pk})


def release_escrow_holder(user: User) -> None:
    """Drop ``user``'s escrow shares when they stop being an administrator.

    Call it inside the action that removes or demotes the administrator (that action writes the
    audit event). Refuses when fewer than two holders would remain.
    """
    remaining = escrow_holder_count_without(user)
    if remaining is None:
        return
    if remaining < MIN_HOLDERS:
        raise KeyActionRefused(
            "At least two administrators must hold the escrow key. Add another holder "
            "(two current holders together) before removing this one."
        )
    EscrowShare.objects.filter(admin_a=user).delete()
    EscrowShare.objects.filter(admin_b=user).delete()


def do_print_recovery_sheet(
    *, admin_a_private: bytes, admin_b_private: bytes, reprint: bool = False, actor: User | None
) -> str:
    """The escrow private key as a sheet for offline storage, opened by two administrators.

    Printed once; a second print needs ``reprint=True`` (the same two-administrator opening)
    and is audited like the first.
    """
    escrow = current_escrow()
    if escrow is None:
        raise KeyActionRefused("There is no escrow key: run `manage.py init_keys` first.")
    if escrow.sheet_printed_at is not None and not reprint:
        raise KeyActionRefused(
            "The recovery sheet was already printed. Reprinting needs --reprint and two "
            "administrators, and is recorded."
        )
    holder, admin_a, admin_b = open_escrow(admin_a_private, admin_b_private)
    with transaction.atomic():
        # Enough to count prints one at a time, and it leaves alone the foreign-key checks of
        # new requests wrapped to escrow, which may hold the audit chain that this waits for
        # next (keys.teams.hold_team_keys): FOR UPDATE would deadlock with them.
        escrow = EscrowKey.objects.select_for_update(no_key=True).get(pk=escrow.pk)
        escrow.sheet_printed_at = timezone.now()
        escrow.sheet_print_count += 1
        escrow.save(update_fields=["sheet_printed_at", "sheet_print_count"])
        record_event(
            EventType.ESCROW_SHEET_PRINTED,
            actor=actor or admin_a,
            organisation=escrow.organisation,
            target=escrow,
            detail=f"print {escrow.sheet_print_count} by admins #{admin_a.pk} and #{admin_b.pk}",
        )
    return format_sheet(escrow.organisation.name, holder.private_key())


def do_restore_escrow(
    sheet_text: str, *, organisation: Organisation | None = None, actor: User | None
) -> EscrowKey:
    """Rebuild escrow from the recovery sheet: split it again between every pair of the
    current administrators (public keys only, so none of them needs to be present)."""
    private = parse_sheet(sheet_text)
    public = public_key_from_private(private)
    repaired = False
    with transaction.atomic():
        escrow = current_escrow()
        if escrow is not None and not tag_matches(escrow):
            # The stored public key is not the one the server stored (keys/public_key_tags.py);
            # the sheet's is, since it comes from the private key itself.
            escrow.public_key = public
            escrow.tag_public_key()
            escrow.save(update_fields=["public_key", "public_key_tag"])
            repaired = True
        if escrow is not None and bytes(escrow.public_key) != public:
            raise KeyActionRefused("This sheet belongs to another escrow key.")
        if escrow is None:
            escrow = EscrowKey.objects.create(
                organisation=organisation or relocating_organisation(), public_key=public
            )
        holders = eligible_holders(escrow)
        if len(holders) < MIN_HOLDERS:
            raise KeyActionRefused(
                "At least two active administrators with key pairs are needed to hold escrow."
            )
        EscrowShare.objects.filter(escrow=escrow).delete()
        create_shares(escrow, private, holders)
        record_event(
            EventType.ESCROW_RESTORED,
            actor=actor,
            organisation=escrow.organisation,
            target=escrow,
            detail=f"{len(holders)} holders" + (", public key repaired" if repaired else ""),
        )
    return escrow

"""The escrow key: split so that two administrators together open it, and a recovery sheet.

For every pair of holders (a, b) the escrow private key is encrypted under a random key K,
and K = s_a XOR s_b where s_a is wrapped to a and s_b to b. One administrator, or someone who
stole one administrator's password, holds a uniformly random share and learns nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import os
import re
from collections.abc import Iterable

from safehaven.accounts.models import Membership, Role, User
from safehaven.core.crypto import (
    KEY_SIZE,
    SealError,
    decrypt_with_key,
    encrypt_with_key,
    public_key_from_private,
    unwrap_key,
    wrap_key,
)
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.keyring import EscrowHolder
from safehaven.keys.models import EscrowKey, EscrowShare, UserKeyPair
from safehaven.keys.public_key_tags import checked_public_key
from safehaven.keys.wrapping import binding

SHEET_HEADER = "SAFEHAVEN ESCROW RECOVERY SHEET v1"
_SHEET_CHECKSUM_DOMAIN = b"safehaven escrow recovery sheet v1"
_SHEET_CHECKSUM_SIZE = 4
_BASE32_CHARS = re.compile(r"[A-Z2-7]+")
_KEY_MARKER = re.compile(r"^\s*key:", re.IGNORECASE | re.MULTILINE)
_END_MARKER = re.compile(r"^\s*restore\s+with", re.IGNORECASE | re.MULTILINE)


def _share_info(share: EscrowShare | tuple[int, int, int], side: str) -> bytes:
    escrow_id, a_id, b_id = (
        (share.escrow_id, share.admin_a_id, share.admin_b_id)
        if isinstance(share, EscrowShare)
        else share
    )
    return binding("escrow-share", escrow_id, a_id, b_id, side)


def _private_aad(escrow_id: int, a_id: int, b_id: int) -> bytes:
    return binding("escrow-private", escrow_id, a_id, b_id)


def _xor(left: bytes, right: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(left, right, strict=True))


def is_admin(user: User, escrow: EscrowKey | None = None) -> bool:
    """An active administrator (of the escrow's organisation, when one is given)."""
    admin_roles = Membership.objects.filter(user=user, role=Role.ADMIN)
    if escrow is not None:
        admin_roles = admin_roles.filter(organisation_id=escrow.organisation_id)
    return user.is_active and admin_roles.exists()


def eligible_holders(escrow_or_organisation_id: EscrowKey | int) -> list[User]:
    """Active administrators of the organisation whose keys exist and are not suspended."""
    organisation_id = (
        escrow_or_organisation_id.organisation_id
        if isinstance(escrow_or_organisation_id, EscrowKey)
        else escrow_or_organisation_id
    )
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.ADMIN,
            memberships__organisation_id=organisation_id,
            key_pair__isnull=False,
            key_pair__suspended_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def holder_ids(escrow: EscrowKey) -> set[int]:
    ids: set[int] = set()
    for a_id, b_id in EscrowShare.objects.filter(escrow=escrow).values_list("admin_a", "admin_b"):
        ids.update((a_id, b_id))
    return ids


def create_shares(escrow: EscrowKey, escrow_private: bytes, holders: Iterable[User]) -> int:
    """Make the share row of every pair of ``holders`` that has none yet; return how many."""
    users = sorted({user.pk: user for user in holders}.values(), key=lambda user: user.pk)
    pairs = {pair.user_id: pair for pair in UserKeyPair.objects.filter(user__in=users)}
    # Every key is checked before any share is made, so a swapped one leaves nothing half done.
    publics = {user_id: checked_public_key(pair) for user_id, pair in pairs.items()}
    existing = set(EscrowShare.objects.filter(escrow=escrow).values_list("admin_a", "admin_b"))
    created = []
    for a, b in itertools.combinations(users, 2):
        if (a.pk, b.pk) in existing:
            continue
        if a.pk not in publics or b.pk not in publics:
            raise KeyActionRefused("Every escrow holder needs a key pair first.")
        key = os.urandom(KEY_SIZE)
        share_a = os.urandom(KEY_SIZE)
        share_b = _xor(key, share_a)
        ids = (escrow.pk, a.pk, b.pk)
        created.append(
            EscrowShare(
                escrow=escrow,
                admin_a=a,
                admin_b=b,
                share_a=wrap_key(publics[a.pk], share_a, _share_info(ids, "a")),
                share_b=wrap_key(publics[b.pk], share_b, _share_info(ids, "b")),
                sealed_private=encrypt_with_key(key, escrow_private, _private_aad(*ids)),
            )
        )
    EscrowShare.objects.bulk_create(created)
    return len(created)


def _admin_for_private(private_key: bytes) -> tuple[User, UserKeyPair]:
    try:
        public = public_key_from_private(private_key)
    except (ValueError, TypeError):
        raise KeyActionRefused("That is not an administrator's private key.") from None
    pair = UserKeyPair.objects.select_related("user").filter(public_key=public).first()
    if pair is None:
        raise KeyActionRefused("That is not an administrator's private key.")
    return pair.user, pair


def open_escrow(admin_a_private: bytes, admin_b_private: bytes) -> tuple[EscrowHolder, User, User]:
    """Open the escrow key with two different administrators' unlocked private keys."""
    escrow = EscrowKey.objects.order_by("pk").first()
    if escrow is None:
        raise KeyActionRefused("There is no escrow key: run `manage.py init_keys` first.")
    first, first_pair = _admin_for_private(admin_a_private)
    second, second_pair = _admin_for_private(admin_b_private)
    if first.pk == second.pk:
        raise KeyActionRefused("Two different administrators are needed to open escrow.")
    for user, pair in ((first, first_pair), (second, second_pair)):
        if pair.suspended_at is not None or not is_admin(user, escrow):
            raise KeyActionRefused("Both people must be active administrators.")
    privates = {first.pk: admin_a_private, second.pk: admin_b_private}
    a_id, b_id = sorted(privates)
    share = EscrowShare.objects.filter(escrow=escrow, admin_a_id=a_id, admin_b_id=b_id).first()
    if share is None:
        raise KeyActionRefused(
            "These two administrators do not hold escrow together yet: two current holders "
            "must add them first."
        )
    try:
        share_a = unwrap_key(privates[a_id], bytes(share.share_a), _share_info(share, "a"))
        share_b = unwrap_key(privates[b_id], bytes(share.share_b), _share_info(share, "b"))
        key = _xor(share_a, share_b)
        escrow_private = decrypt_with_key(
            key, bytes(share.sealed_private), _private_aad(escrow.pk, a_id, b_id)
        )
    except SealError:
        raise KeyActionRefused("The escrow share of these administrators does not open.") from None
    if public_key_from_private(escrow_private) != bytes(escrow.public_key):
        raise KeyActionRefused("The escrow share of these administrators does not open.")
    users = {first.pk: first, second.pk: second}
    return EscrowHolder(escrow, escrow_private), users[a_id], users[b_id]


# --- Recovery sheet ------------------------------------------------------------------------


def _sheet_checksum(private_key: bytes) -> bytes:
    return hashlib.sha256(_SHEET_CHECKSUM_DOMAIN + private_key).digest()[:_SHEET_CHECKSUM_SIZE]


def fingerprint(public_key: bytes) -> str:
    digest = hashlib.sha256(b"safehaven escrow fingerprint\x00" + public_key).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def format_sheet(organisation_name: str, escrow_private: bytes) -> str:
    """The escrow private key as base32 groups with a checksum, for paper in a safe."""
    payload = escrow_private + _sheet_checksum(escrow_private)
    text = base64.b32encode(payload).decode("ascii").rstrip("=")
    groups = [text[i : i + 4] for i in range(0, len(text), 4)]
    lines = [" ".join(groups[i : i + 5]) for i in range(0, len(groups), 5)]
    public = public_key_from_private(escrow_private)
    return "\n".join(
        [
            SHEET_HEADER,
            f"Organisation: {organisation_name}",
            f"Escrow key fingerprint: {fingerprint(public)}",
            "Key:",
            *lines,
            "Restore with: manage.py restore_escrow (type the key lines when asked).",
        ]
    )


def parse_sheet(text: str) -> bytes:
    """The escrow private key from the key lines of a sheet (spaces and case are ignored);
    the checksum catches typing mistakes."""
    key_text = text
    if _KEY_MARKER.search(text):
        key_text = _KEY_MARKER.split(text, maxsplit=1)[1]
        key_text = _END_MARKER.split(key_text, maxsplit=1)[0]
    letters = "".join(key_text.split()).replace("-", "").upper()
    if not letters or not _BASE32_CHARS.fullmatch(letters):
        raise KeyActionRefused("The key lines may contain only letters A-Z and digits 2-7.")
    padded = letters + "=" * (-len(letters) % 8)
    try:
        payload = base64.b32decode(padded)
    except ValueError:
        raise KeyActionRefused("The key lines are incomplete: check every group.") from None
    if len(payload) != KEY_SIZE + _SHEET_CHECKSUM_SIZE:
        raise KeyActionRefused("The key lines are incomplete: check every group.")
    private, checksum = payload[:KEY_SIZE], payload[KEY_SIZE:]
    if not hmac.compare_digest(checksum, _sheet_checksum(private)):
        raise KeyActionRefused("The checksum does not match: a group was mistyped.")
    return private

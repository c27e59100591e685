"""Team keys: making a version, wrapping it to members and escrow, layering old record wraps.

Who receives a version, and why: docs/keys.md, "Teams and rotation with nobody's key present"
(the first version, every member who may hold keys; each later one, only the holders of the
version before it).

The actions in :mod:`safehaven.keys.actions` (``teams``, ``rewraps``) call these inside their
transactions.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Exists, Max, OuterRef, QuerySet

from safehaven.accounts.models import Membership, Team, User
from safehaven.core.audit import hold_audit_chain
from safehaven.core.crypto import new_key_pair
from safehaven.core.models import AuditEvent
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.keyring import wrap_team_key_to_escrow, wrap_team_key_to_user
from safehaven.keys.models import (
    EscrowKey,
    RecordKeyWrap,
    RecordWrapKind,
    TeamKey,
    TeamKeyWrap,
    UserKeyPair,
)
from safehaven.keys.public_key_tags import PublicKeyTampered, checked_public_key, refuse_tampered
from safehaven.keys.team_key_versions import (
    ROLLED_BACK,
    newest_seen_of,
    record_version_after_commit,
)
from safehaven.keys.wrap_tags import verified_holder_ids
from safehaven.keys.wrapping import add_team_layer


def _users_with_usable_keys() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        suspended_at__isnull=True,
        key_pair__isnull=False,
        key_pair__suspended_at__isnull=True,
    )


def users_who_may_hold_keys() -> QuerySet[User]:
    """Active, not suspended, with a key pair that no duress login has suspended, and a
    password of their own: after an administrator reset the key pair is an interim one, which
    the administrator who knows its password could open (as ``assignable_staff`` does)."""
    return _users_with_usable_keys().filter(must_change_password=False)


def team_members_with_keys(team: Team, *, exclude: User | None = None) -> list[User]:
    """Members of ``team`` who may hold keys (others get wraps once they may)."""
    users = users_who_may_hold_keys().filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), team=team))
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users.order_by("pk"))


def holders_of_team_key(team_key: TeamKey, *, exclude: User | None = None) -> list[User]:
    """Members of the key's team who may hold keys and hold a wrap of this version that is not
    suspended and that the server made (its tag verifies; a forged one raises an alarm): the
    only people a rotation hands the next version to."""
    holder_ids = verified_holder_ids(team_key, include_suspended=False)
    users = users_who_may_hold_keys().filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), team_id=team_key.team_id)),
        pk__in=holder_ids,
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users.order_by("pk"))


def require_may_receive_team_key(user: User) -> UserKeyPair:
    """The user's key pair, or a refusal if they may not receive a team key. Reads the user
    again: the object the caller holds may predate a suspension. One message for every
    suspension, so that it never tells a teammate that someone's keys were suspended by
    duress; a password reset, which teammates may know of anyway, gets its own."""
    pair = require_key_pair(user)
    must_change_password = (
        _users_with_usable_keys()
        .filter(pk=user.pk)
        .values_list("must_change_password", flat=True)
        .first()
    )
    if must_change_password is None:
        raise KeyActionRefused(
            f"User #{user.pk} cannot receive a team key: their account or their keys are "
            "suspended, or the account is inactive."
        )
    if must_change_password:
        raise KeyActionRefused(
            f"User #{user.pk} cannot receive a team key yet: an administrator reset their "
            "password, and until they log in and choose a new one, their keys are interim ones "
            "the administrator could open. Give them the key once they have chosen it."
        )
    return pair


def hold_team_keys() -> None:
    """Keep every other transaction from changing which team keys are active until the
    caller's transaction ends. Call it before reading them for something that must not end up
    wrapped to a retired one (a new help request: ``intake/submission/recipients.py``);
    :func:`make_team_key_version` calls it before changing them.

    SQLite needs no statement (``BEGIN IMMEDIATE`` transactions run one at a time); on
    PostgreSQL it takes the audit chain head's row lock, which every change of the keys takes
    too. A transaction that locks a row new requests refer to and then records an audit event
    must lock it ``select_for_update(no_key=True)``, never ``FOR UPDATE``. Why this lock and not
    one on the key rows: docs/intake.md, "Keys that change while a request is stored".
    """
    using = router.db_for_write(AuditEvent)
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("hold_team_keys() must run inside transaction.atomic().")
    if connection.vendor != "sqlite":
        hold_audit_chain(using)


def make_team_key_version(
    team: Team, *, exclude: User | None, escrow: EscrowKey | None, first_holders: bool = True
) -> tuple[TeamKey, int]:
    """Create the next active version of ``team``'s key, wrapped to escrow and to the holders
    of the version it replaces (but ``exclude``), or, with no active version, to every member
    who may hold keys; with ``first_holders=False``, to escrow alone then (a retired team's
    renewal: two administrators give it from escrow, one cannot).

    The recipients are read after :func:`hold_team_keys`, so a pass-on that committed first is
    counted. The private key exists only in this call. Returns the key and how many members
    got it. Refused, with an alarm, when the team's newest version is below the newest this
    server saw (a rollback, ``team_key_versions``); the new version's mark is kept on commit.
    """
    hold_team_keys()
    previous = TeamKey.objects.filter(team=team, active=True).first()
    if previous is None:
        members = team_members_with_keys(team, exclude=exclude) if first_holders else []
    else:
        members = holders_of_team_key(previous, exclude=exclude)
    latest = TeamKey.objects.filter(team=team).aggregate(latest=Max("version"))["latest"] or 0
    if latest < newest_seen_of(team.pk):
        # A version this server made or saw is gone: the team was rolled back to one that
        # people removed since may hold (keys/team_key_versions.py).
        refuse_tampered(previous or TeamKey(team=team, version=latest), reason=ROLLED_BACK)
    TeamKey.objects.filter(team=team, active=True).update(active=False)
    pair = new_key_pair()
    team_key = TeamKey.objects.create(
        team=team, version=latest + 1, public_key=pair.public, active=True
    )
    record_version_after_commit(team.pk, team_key.version)
    wraps = []
    for member in members:
        try:
            wraps.append(wrap_team_key_to_user(team_key, pair.private, member))
        except PublicKeyTampered:
            # The alarm is raised; a forged member key must not keep a removal from rotating
            # the team's key (that would keep the person being removed in). The member gets
            # the key again from a holder once their keys are reset.
            continue
    wrapped_to = len(wraps)
    if escrow is not None:
        wraps.append(wrap_team_key_to_escrow(team_key, pair.private, escrow))
    TeamKeyWrap.objects.bulk_create(wraps)
    return team_key, wrapped_to


def require_key_pair(user: User) -> UserKeyPair:
    pair = UserKeyPair.objects.filter(user=user).first()
    if pair is None:
        raise KeyActionRefused(f"User #{user.pk} has no key pair yet.")
    return pair


def layer_team_wraps_batch(team: Team, *, batch_size: int) -> tuple[int, TeamKey | None]:
    """Wrap up to ``batch_size`` of the team's record wraps that sit under an older key version
    once more under the active one. Needs public keys only. Returns (count, active key)."""
    active = TeamKey.objects.filter(team=team, active=True).first()
    if active is None:
        return 0, None
    stale = list(
        RecordKeyWrap.objects.select_for_update()
        .select_related("record_key")
        .filter(kind=RecordWrapKind.TEAM, team=team)
        .exclude(team_key=active)
        .order_by("pk")[:batch_size]
    )
    public = checked_public_key(active)
    for wrap in stale:
        if wrap.team_key_id is None:
            continue
        wrap.wrapped = add_team_layer(
            bytes(wrap.wrapped),
            record_id=wrap.record_key.record_id,
            inner_team_key_id=wrap.team_key_id,
            outer_team_key_id=active.pk,
            outer_public=public,
        )
        wrap.team_key = active
    RecordKeyWrap.objects.bulk_update(stale, ["wrapped", "team_key"])
    return len(stale), active


def members_awaiting_team_key(team: Team) -> list[User]:
    """Members who may hold keys but have no wrap of the team's active key yet (e.g. just
    invited, or reinstated after a suspension): a holder should pass it on with
    ``do_add_team_member_key``. Suspended and inactive people are never listed, nor people who
    must still choose a password of their own after an administrator reset."""
    active = TeamKey.objects.filter(team=team, active=True).first()
    if active is None:
        return []
    # A wrap the server did not make holds nothing (and raises an alarm): its member is listed,
    # so that a holder who knows them can pass the key on, or ask why they are listed.
    holder_ids = verified_holder_ids(active, include_suspended=True)
    return [user for user in team_members_with_keys(team) if user.pk not in holder_ids]

"""Team key actions: create, pass on to a member (from a holder, or from escrow for a team's
first holder), rotate on removal. The re-wrap after a rotation is in :mod:`.rewraps`, which the
task runs: this module enqueues the task, the task imports only that one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from safehaven.accounts.models import Membership, Team, User
from safehaven.core.audit import record_event
from safehaven.core.crypto import new_key_pair
from safehaven.core.event_types import EventType
from safehaven.keys import tasks
from safehaven.keys.escrow import open_escrow
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable
from safehaven.keys.keyring import Holder, UserHolder, wrap_team_key_to_user
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind, TeamKey, TeamKeyWrap
from safehaven.keys.public_key_tags import raise_row_tamper_alarm
from safehaven.keys.records import current_escrow
from safehaven.keys.team_key_versions import record_version_after_commit
from safehaven.keys.teams import (
    hold_team_keys,
    make_team_key_version,
    require_may_receive_team_key,
    users_who_may_hold_keys,
)
from safehaven.keys.wrap_tags import WRAP_NO_TAG, wrap_tag_matches


def _require_escrow() -> None:
    if current_escrow() is None:
        raise KeyActionRefused("There is no escrow key yet: run `manage.py init_keys` first.")


def do_create_team_key(team: Team, *, actor: User | None) -> TeamKey:
    """Create the team's first key, wrapped to escrow and to every member who may hold keys
    (active, not suspended, key pair not suspended)."""
    _require_escrow()
    with transaction.atomic():
        if TeamKey.objects.filter(team=team).exists():
            raise KeyActionRefused("This team already has a key; rotate it instead.")
        team_key, wrapped_to = make_team_key_version(team, exclude=None, escrow=current_escrow())
        record_event(
            EventType.TEAM_KEY_CREATED,
            actor=actor,
            organisation=team.organisation,
            target=team,
            detail=f"v{team_key.version}, {wrapped_to} members",
        )
    return team_key


def do_add_team_member_key(
    team: Team, user: User, granter_private_key: bytes, *, actor: User
) -> int:
    """Wrap every version of the team key the granter (``actor``) holds to a new member.

    Old versions matter: records granted before a rotation are layered under newer ones and
    open only with all of them. Returns how many versions were wrapped.

    Refused for a recipient who may not hold keys, and for a granter who may not use their
    key in the words of a stale session (a duress session must not learn that it is one);
    checked after :func:`hold_team_keys`, so a removal or suspension committed first is seen.
    """
    with transaction.atomic():
        hold_team_keys()
        _require_fit_member(team, user)
        granter = _granter_holder(actor, granter_private_key)
        wraps = _wraps_of_held_versions(
            team, user, granter, refusal="You do not hold this team's key, so cannot pass it on."
        )
        TeamKeyWrap.objects.bulk_create(wraps)
        record_event(
            EventType.MEMBERSHIP_ADDED,
            actor=actor,
            organisation=team.organisation,
            target=user,
            detail=f"team key of team #{team.pk} wrapped ({len(wraps)} versions)",
        )
    return len(wraps)


def do_give_team_key_from_escrow(
    team: Team,
    user: User,
    *,
    admin_a_private: bytes,
    admin_b_private: bytes,
    actor: User | None,
) -> int:
    """Two administrators open escrow to give a member every version of the team key.

    How a team gets its first holder: a team made after ``init_keys`` has a key wrapped to
    escrow only, and a rotation reaches only holders, so no teammate can pass it on. Needs
    both administrators, like every use of escrow, and is audited as one. Returns how many
    versions were wrapped.
    """
    holder, admin_a, admin_b = open_escrow(admin_a_private, admin_b_private)
    with transaction.atomic():
        hold_team_keys()
        _require_fit_member(team, user)
        wraps = _wraps_of_held_versions(
            team, user, holder, refusal="Escrow does not hold this team's key."
        )
        TeamKeyWrap.objects.bulk_create(wraps)
        record_event(
            EventType.ESCROW_USED,
            actor=actor or admin_a,
            organisation=team.organisation,
            target=user,
            detail=(
                f"team key of team #{team.pk} wrapped ({len(wraps)} versions) "
                f"by admins #{admin_a.pk} and #{admin_b.pk}"
            ),
        )
    return len(wraps)


def _require_fit_member(team: Team, user: User) -> None:
    if not Membership.objects.filter(user=user, team=team).exists():
        raise KeyActionRefused("Add the person to the team before giving them its key.")
    require_may_receive_team_key(user)


def _wraps_of_held_versions(
    team: Team, user: User, holder: Holder, *, refusal: str
) -> list[TeamKeyWrap]:
    """Unsaved wraps to ``user`` of every version of the team key that ``holder`` opens and
    ``user`` lacks; ``refusal`` if the holder does not open the active one."""
    versions = list(TeamKey.objects.filter(team=team).order_by("version"))
    if not versions:
        raise KeyActionRefused("This team has no key yet.")
    held = set()
    for existing in TeamKeyWrap.objects.filter(team_key__team=team, user=user).order_by("pk"):
        if wrap_tag_matches(existing):
            held.add(existing.team_key_id)
        else:
            # A wrap the server did not make (a database write) must not keep the member from
            # getting the real one: it goes, with the alarm, and a genuine wrap replaces it.
            raise_row_tamper_alarm(existing, kind="team-key", what="wrap", reason=WRAP_NO_TAG)
            existing.delete()
    wraps = []
    for team_key in versions:
        if team_key.pk in held:
            continue
        private = holder.team_private(team_key.pk)
        if private is None:
            if team_key.active:
                raise KeyActionRefused(refusal)
            continue
        wraps.append(wrap_team_key_to_user(team_key, private, user))
    return wraps


def _granter_holder(actor: User, private_key: bytes) -> UserHolder:
    # The database, not the caller's object, says whether the granter may still use keys.
    if not users_who_may_hold_keys().filter(pk=actor.pk).exists():
        raise KeyActionRefused("Your key is not available: log in again.")
    try:
        return UserHolder(actor, private_key)
    except RecordUnavailable:
        raise KeyActionRefused("Your key is not available: log in again.") from None


def do_rotate_team_key(team: Team, removed_user: User | None, *, actor: User | None) -> TeamKey:
    """A member left (or was suspended): a new team key version for escrow and for the members
    who held the active one, and the team's record wraps are layered under it in the
    background (see docs/keys.md, "Teams and rotation").

    Only holders get the new version: someone who joined the team but was never passed its
    key, or whose wrap a duress login suspended, still gets it only from a holder. Needs
    nobody's private key: the new key is made here and wrapped to public keys only.
    """
    _require_escrow()
    with transaction.atomic():
        # Before the removed user's wraps are deleted: a pass-on holds the same lock first, so
        # the two never wait for each other in opposite orders (PostgreSQL).
        hold_team_keys()
        if not TeamKey.objects.filter(team=team, active=True).exists():
            raise KeyActionRefused("This team has no key to rotate.")
        if removed_user is not None:
            TeamKeyWrap.objects.filter(team_key__team=team, user=removed_user).delete()
        team_key, wrapped_to = make_team_key_version(
            team, exclude=removed_user, escrow=current_escrow()
        )
        removed = f"removed user #{removed_user.pk}" if removed_user is not None else "no removal"
        record_event(
            EventType.TEAM_KEY_ROTATED,
            actor=actor,
            organisation=team.organisation,
            target=team,
            detail=f"v{team_key.version}, {wrapped_to} members, {removed}",
        )
        # Ids only: the task needs no key material, just the team's new public key.
        tasks.rewrap_team_records.enqueue(team_id=team.pk)
    return team_key


@dataclass(frozen=True)
class RetiredTeamKey:
    """What retiring a team's key removed: the wraps of its versions to members, and the
    records' wraps to the team."""

    member_wraps: int
    record_wraps: int


def retire_team_key(team: Team) -> RetiredTeamKey:
    """Cut a team off from its records for good (a partner organisation's suspension): no
    version of its key stays active, so no new record is wrapped to it
    (``intake/submission/recipients.py`` reads active keys only); every member's wrap of every
    version goes, and so does every record's wrap to the team. Escrow keeps its wraps of the
    old versions, which now open nothing. Records keep their other wraps (triage, escrow).

    The last version is followed by an inactive one whose private key nobody ever holds (not
    even escrow): the active flag is not covered by the key's tag, so a database writer could
    mark the retired version active again, but intake then leaves it out as an older version
    (``team_key_versions.why_not_current``), and marking the newer one active wraps requests
    to a key nobody opens.

    Writes no audit event of its own: the caller's action records one for the whole move.
    A copy of a record its members opened before cannot be taken back (docs/partners.md).
    The team gets a key again only as a new version (:func:`renew_team_key`).
    """
    with transaction.atomic():
        # Before the active key changes: a request being stored either committed first (and
        # its wrap to the team is deleted below) or reads the keys again and leaves it out.
        hold_team_keys()
        latest = TeamKey.objects.filter(team=team).aggregate(latest=Max("version"))["latest"]
        TeamKey.objects.filter(team=team, active=True).update(active=False)
        if latest is not None:
            # The private key is dropped here, unwrapped: this version opens nothing, ever.
            closing = TeamKey.objects.create(
                team=team, version=latest + 1, public_key=new_key_pair().public, active=False
            )
            record_version_after_commit(team.pk, closing.version)
        _total, deleted = TeamKeyWrap.objects.filter(
            team_key__team=team, user__isnull=False
        ).delete()
        _total, deleted_records = RecordKeyWrap.objects.filter(
            kind=RecordWrapKind.TEAM, team=team
        ).delete()
    return RetiredTeamKey(
        member_wraps=deleted.get(TeamKeyWrap._meta.label, 0),
        record_wraps=deleted_records.get(RecordKeyWrap._meta.label, 0),
    )


def renew_team_key(team: Team) -> TeamKey:
    """A new active version for a team whose key was retired (a reinstated partner), wrapped
    to escrow only: not to the members who may hold keys now (one who belongs elsewhere too
    was never suspended, one may be reinstated first), or a single administrator's
    reinstatement would hand them the key. Two administrators give it from escrow
    (``do_give_team_key_from_escrow``). It opens none of the records the team lost. No audit
    event of its own: the caller's action records one.
    """
    _require_escrow()
    with transaction.atomic():
        hold_team_keys()
        if TeamKey.objects.filter(team=team, active=True).exists():
            raise KeyActionRefused("This team's key is active; rotate it instead.")
        team_key, _wrapped_to = make_team_key_version(
            team, exclude=None, escrow=current_escrow(), first_holders=False
        )
    return team_key

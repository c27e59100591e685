"""Whom a new help request is wrapped to: the active key of each triage team of the relocating
organisation, the referring partner team's active key (the team of a known code that came with
it, or the partner's own team for a referral it made itself: ``partners.referrals``) and escrow.

Each app server keeps the set it read last (:func:`current_keys`); the storing transaction reads
it again (:func:`keys_unchanged`) after ``keys.teams.hold_team_keys``, and a changed set means
wrapping again (``actions.do_create_help_request``): a stale copy costs a retry, never a request
wrapped to an old key. Tags are checked once per read, not per request. The queries are raw SQL
because they run on every request and the ORM's compilation costs more than they do
(``bench/intake.py``).

Which keys are left out with an alarm (a tampered, rolled-back or older active team key) and
which refuse the request (a tampered escrow key), and why: SECURITY.md, "Keys" and "Outside
review of the key layer and the status page".
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Protocol

from django.db import connection
from django.db.models import Model

from safehaven.accounts.models import Organisation, OrganisationKind, Team, TeamKind
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import EscrowKey, TeamKey
from safehaven.keys.public_key_tags import (
    PublicKeyTampered,
    raise_tamper_alarm,
    tag_matches,
)
from safehaven.keys.team_key_versions import note_version, why_not_current
from safehaven.keys.teams import hold_team_keys

logger = logging.getLogger(__name__)

# (team key id, team id, version, team kind, organisation id, organisation kind, public key,
# tag, the team's newest version) of each active team key, by team id, then (escrow key id,
# organisation id, public key, tag) or nothing: compared whole, so a key that changed under the
# same id (a test database rolled back and reused, or a key swapped in the database) is seen too.
type TeamKeyRow = tuple[int, int, int, str, int, str, bytes, bytes, int]
type EscrowRow = tuple[int, int, bytes, bytes]
type KeyRows = tuple[tuple[TeamKeyRow, ...], EscrowRow | None]


@dataclass(frozen=True, eq=False)
class KeySet:
    """The active team keys and the escrow key, as read together; only keys whose tags
    match (``escrow_tampered``: there is an escrow key, but its tag does not)."""

    rows: KeyRows
    team_keys: tuple[TeamKey, ...]
    triage_team_ids: frozenset[int]
    escrow: EscrowKey | None
    escrow_tampered: bool = False


class ReferringTeam(Protocol):
    """The partner team a new request is wrapped to besides triage and escrow: a referral
    code's team, or a partner's own team (``PartnerTeam``, an API token)."""

    @property
    def team_id(self) -> int: ...

    @property
    def organisation_id(self) -> int: ...


@dataclass(frozen=True)
class PartnerTeam:
    team_id: int
    organisation_id: int


@dataclass(frozen=True, eq=False)
class Recipients:
    """The keys one request is wrapped to besides its codename, and the set they came from."""

    team_keys: tuple[TeamKey, ...]
    escrow: EscrowKey
    key_set: KeySet


_lock = threading.Lock()
_last: KeySet | None = None


def _read_rows() -> KeyRows:
    quote = connection.ops.quote_name
    team_keys, teams = quote(TeamKey._meta.db_table), quote(Team._meta.db_table)
    organisations = quote(Organisation._meta.db_table)
    escrow_keys = quote(EscrowKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT k.id, k.team_id, k.version, t.kind, t.organisation_id, o.kind, "  # noqa: S608
            "k.public_key, k.public_key_tag, "
            f"(SELECT MAX(n.version) FROM {team_keys} n WHERE n.team_id = k.team_id) "
            f"FROM {team_keys} k JOIN {teams} t ON t.id = k.team_id "
            f"JOIN {organisations} o ON o.id = t.organisation_id "
            # TRUE in the text, not a parameter: a parameter compared with the column of a
            # partial index's condition makes SQLite plan the statement again on every run.
            "WHERE k.active = TRUE ORDER BY k.team_id",
        )
        active = tuple(
            (
                int(key_id),
                int(team_id),
                int(version),
                str(kind),
                int(organisation_id),
                str(org_kind),
                bytes(key),
                bytes(tag),
                int(newest),
            )
            for (
                key_id,
                team_id,
                version,
                kind,
                organisation_id,
                org_kind,
                key,
                tag,
                newest,
            ) in cursor.fetchall()
        )
        cursor.execute(
            "SELECT id, organisation_id, public_key, public_key_tag "  # noqa: S608
            f"FROM {escrow_keys} ORDER BY id",
        )
        first = cursor.fetchone()
    escrow = (
        (int(first[0]), int(first[1]), bytes(first[2]), bytes(first[3]))
        if first is not None
        else None
    )
    return active, escrow


def _loaded[M: Model](model: type[M], alias: str, **values: object) -> M:
    """An instance as if loaded from the database with only these fields (``from_db`` takes
    the values in the model's field order)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(alias, names, [values[name] for name in names])


def _key_set(rows: KeyRows) -> KeySet:
    """The keys of ``rows`` whose tags match; an alarm for each that does not."""
    active, escrow_row = rows
    alias = connection.alias
    team_keys: list[TeamKey] = []
    triage: set[int] = set()
    for row in active:
        key_id, team_id, version, kind, organisation_id, organisation_kind = row[:6]
        public_key, tag, newest = row[6:]
        team_key = _loaded(
            TeamKey,
            alias,
            id=key_id,
            team_id=team_id,
            version=version,
            public_key=public_key,
            public_key_tag=tag,
            active=True,
        )
        # The tag covers the team's kind and organisation as this read found them.
        team_key.team = _loaded(Team, alias, id=team_id, kind=kind, organisation_id=organisation_id)
        if not tag_matches(team_key):
            raise_tamper_alarm(team_key)
            continue
        problem = why_not_current(team_id, version, newest)
        if problem is not None:
            raise_tamper_alarm(team_key, reason=problem)
            continue
        note_version(team_id, version)
        team_keys.append(team_key)
        if kind == TeamKind.TRIAGE and organisation_kind == OrganisationKind.RELOCATING:
            triage.add(team_id)
    escrow: EscrowKey | None = None
    escrow_tampered = False
    if escrow_row is not None:
        escrow_id, organisation_id, public_key, tag = escrow_row
        escrow = _loaded(
            EscrowKey,
            alias,
            id=escrow_id,
            organisation_id=organisation_id,
            public_key=public_key,
            public_key_tag=tag,
        )
        if not tag_matches(escrow):
            raise_tamper_alarm(escrow)
            escrow, escrow_tampered = None, True
    return KeySet(
        rows=rows,
        team_keys=tuple(team_keys),
        triage_team_ids=frozenset(triage),
        escrow=escrow,
        escrow_tampered=escrow_tampered,
    )


def current_keys() -> KeySet:
    """The key set this app server read last, or a fresh read when it has none yet."""
    with _lock:
        known = _last
    return known if known is not None else read_keys()


def read_keys() -> KeySet:
    """The key set as the database holds it now; it replaces this app server's copy, unless
    its escrow key failed its check (then the next request reads, and checks, again)."""
    global _last
    fresh = _key_set(_read_rows())
    with _lock:
        _last = None if fresh.escrow_tampered else fresh
    return fresh


def keys_unchanged(key_set: KeySet) -> bool:
    """Read the keys again in the transaction that stores a request and tell whether they are
    still ``key_set``; when not, this app server's copy is dropped, so that the new keys are
    read and checked again outside the transaction (an alarm must outlive its rollback).

    No change of the active team keys can commit between this read and the end of the
    transaction (on PostgreSQL one statement more comes first: ``hold_team_keys``), so the
    re-wrap that follows a rotation finds the request."""
    hold_team_keys()
    rows = _read_rows()
    if rows == key_set.rows:
        return True
    forget_keys()
    return False


def forget_keys() -> None:
    """Drop this app server's copy (tests that swap databases under a running process)."""
    global _last
    with _lock:
        _last = None


def has_team_key(team_id: int) -> bool:
    """Whether the team has an active key; a copy without one is read again first."""
    if any(key.team_id == team_id for key in current_keys().team_keys):
        return True
    return any(key.team_id == team_id for key in read_keys().team_keys)


def recipients(referral: ReferringTeam | None) -> Recipients:
    """The recipients of a new request from this app server's copy of the keys; a copy that
    cannot serve (no escrow or no key for the referring team, as it last saw) is read again
    before the request is refused (no escrow) or stored without the team (a partner's own
    referral is refused instead: ``partners.referrals.actions``)."""
    key_set = current_keys()
    no_escrow = key_set.escrow is None and not key_set.escrow_tampered
    if no_escrow or (referral is not None and not _keys_of(referral, key_set)):
        key_set = read_keys()
    return _recipients_in(referral, key_set)


def _keys_of(referral: ReferringTeam, key_set: KeySet) -> list[TeamKey]:
    return [key for key in key_set.team_keys if key.team_id == referral.team_id]


def _recipients_in(referral: ReferringTeam | None, key_set: KeySet) -> Recipients:
    escrow = key_set.escrow
    if key_set.escrow_tampered:
        raise PublicKeyTampered("The escrow public key failed its check: nothing was wrapped.")
    if escrow is None:
        raise KeyActionRefused("There is no escrow key yet: run `manage.py init_keys` first.")
    triage = [key for key in key_set.team_keys if key.team_id in key_set.triage_team_ids]
    if not triage:
        # Still stored (escrow and the codename open it), but nobody in triage can read it.
        logger.error("no triage team has a key: a help request is readable through escrow only")
    referred = _keys_of(referral, key_set) if referral is not None else []
    if referral is not None and not referred:
        # ``find_referral_code`` passes no such code on; should one come all the same, the
        # request is still stored for triage rather than refused (a refusal that never clears).
        logger.error(
            "team #%s (organisation #%s) has no key: a referred help request is not wrapped to it",
            referral.team_id,
            referral.organisation_id,
        )
    return Recipients(team_keys=(*triage, *referred), escrow=escrow, key_set=key_set)

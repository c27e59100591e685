"""Whom a new help request is wrapped to: the active key of each triage team, the referring
partner team's active key (when a known code came with it) and escrow.

These keys change rarely (a rotation, a new team key) and every request needs them, so each
app server keeps the set it read last (:func:`current_keys`). The transaction that stores a
request reads the set again (:func:`keys_unchanged`), after making sure that no change of the
keys can commit before it does (``keys.teams.hold_team_keys``); if the set differs, the request
is wrapped again to the new set (``actions.do_create_help_request``), so a stale copy can cost a
retry but never a request wrapped to an old key. The queries are raw SQL because they run on
every request and the ORM's compilation costs more than they do (``bench/intake.py``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from django.db import connection

from safehaven.accounts.models import Team, TeamKind
from safehaven.intake.models import ReferralCode
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import EscrowKey, TeamKey
from safehaven.keys.teams import hold_team_keys

logger = logging.getLogger(__name__)

# (team key id, team id, version, team kind, public key) of each active team key, by team id,
# then (escrow key id, organisation id, public key) or nothing: compared whole, so a key that
# changed under the same id (a test database rolled back and reused) is seen too.
type KeyRows = tuple[tuple[tuple[int, int, int, str, bytes], ...], tuple[int, int, bytes] | None]


@dataclass(frozen=True, eq=False)
class KeySet:
    """The active team keys and the escrow key, as read together."""

    rows: KeyRows
    team_keys: tuple[TeamKey, ...]
    triage_team_ids: frozenset[int]
    escrow: EscrowKey | None


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
    escrow_keys = quote(EscrowKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k.id, k.team_id, k.version, t.kind, k.public_key FROM {team_keys} k "  # noqa: S608
            # TRUE in the text, not a parameter: a parameter compared with the column of a
            # partial index's condition makes SQLite plan the statement again on every run.
            f"JOIN {teams} t ON t.id = k.team_id WHERE k.active = TRUE ORDER BY k.team_id",
        )
        active = tuple(
            (int(key_id), int(team_id), int(version), str(kind), bytes(public_key))
            for key_id, team_id, version, kind, public_key in cursor.fetchall()
        )
        cursor.execute(
            f"SELECT id, organisation_id, public_key FROM {escrow_keys} ORDER BY id",  # noqa: S608
        )
        first = cursor.fetchone()
    escrow = (int(first[0]), int(first[1]), bytes(first[2])) if first is not None else None
    return active, escrow


def _key_set(rows: KeyRows) -> KeySet:
    active, escrow_row = rows
    alias = connection.alias
    team_keys = tuple(
        TeamKey.from_db(
            alias,
            ["id", "team_id", "version", "public_key", "active"],
            [key_id, team_id, version, public_key, True],
        )
        for key_id, team_id, version, _kind, public_key in active
    )
    escrow = (
        EscrowKey.from_db(alias, ["id", "organisation_id", "public_key"], list(escrow_row))
        if escrow_row is not None
        else None
    )
    triage = frozenset(team_id for _id, team_id, _v, kind, _pk in active if kind == TeamKind.TRIAGE)
    return KeySet(rows=rows, team_keys=team_keys, triage_team_ids=triage, escrow=escrow)


def current_keys() -> KeySet:
    """The key set this app server read last, or a fresh read when it has none yet."""
    with _lock:
        known = _last
    return known if known is not None else read_keys()


def read_keys(rows: KeyRows | None = None) -> KeySet:
    """The key set as the database holds it now (or as ``rows``, just read); it replaces this
    app server's copy."""
    global _last
    fresh = _key_set(_read_rows() if rows is None else rows)
    with _lock:
        _last = fresh
    return fresh


def keys_unchanged(key_set: KeySet) -> bool:
    """Read the keys again in the transaction that stores a request and tell whether they are
    still ``key_set``; when not, the new set replaces this app server's copy.

    No change of the active team keys can commit between this read and the end of the
    transaction (on PostgreSQL one statement more comes first: ``hold_team_keys``), so the
    re-wrap that follows a rotation finds the request."""
    hold_team_keys()
    rows = _read_rows()
    if rows == key_set.rows:
        return True
    read_keys(rows)
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


def recipients(referral: ReferralCode | None) -> Recipients:
    """The recipients of a new request from this app server's copy of the keys; a copy that
    cannot serve (no escrow or no key for the referring team, as it last saw) is read again
    before the request is refused (no escrow) or stored without the team."""
    key_set = current_keys()
    if key_set.escrow is None or (referral is not None and not _keys_of(referral, key_set)):
        key_set = read_keys()
    return _recipients_in(referral, key_set)


def _keys_of(referral: ReferralCode, key_set: KeySet) -> list[TeamKey]:
    return [key for key in key_set.team_keys if key.team_id == referral.team_id]


def _recipients_in(referral: ReferralCode | None, key_set: KeySet) -> Recipients:
    escrow = key_set.escrow
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

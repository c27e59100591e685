"""The test suite's seeded world, made once per database and written back into each test.

``seed_world`` makes ten users with key pairs, the escrow and four team keys, each step an
action with its audit event: about 90 ms of queries, in most of the suite's tests, minutes of
every run on each database. So the first test that asks for the world seeds it for real in a
savepoint, the rows that seeding wrote (new and changed, read raw from every table) are kept,
and every test gets those rows written back, one INSERT per table: the same ids, key pairs,
TOTP secrets and audit chain a real seed gives, since nothing a seed makes depends on the test.

A recording is replayed only into a database in the state it was recorded from (the tables
seeding writes to hold exactly what they held then) and under the same settings that shape
keys and hashes; anything else (a fixture that made a user first, a transactional test's flush
that emptied the country tables, a test that changed the Argon2 parameters) gets a real seed,
recorded in its turn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

from safehaven.accounts.models import Organisation, Team, User
from safehaven.accounts.seed import SeededWorld

Row = tuple[Any, ...]
# The settings whose values end up in what seeding writes (key wrapping, password hashes,
# TOTP secrets' encryption, the audit chain's hashes).
SHAPING_SETTINGS = ("SECRET_KEY", "PASSWORD_HASHERS", "KEY_ARGON2_PARAMS", "PUBLIC_KEY_TAG_KEY")


@dataclass(frozen=True)
class Table:
    model: type[Model]
    name: str
    columns: tuple[str, ...]
    pk_index: int


@dataclass
class Recording:
    """What one real seed wrote, and the state of the tables it wrote to before it."""

    settings_shape: str
    before: dict[str, dict[Any, Row]]
    after: dict[str, dict[Any, Row]]  # only the rows seeding added or changed
    tables: dict[str, Table]
    organisation: int
    partner_a: int
    partner_b: int
    teams: dict[str, int]
    users: dict[str, int]
    totp_secrets: dict[str, str]
    key_notes: list[str]


_recordings: dict[str, list[Recording]] = {}  # by database vendor and name
# A recording reads every table twice: a database that keeps changing state under the world
# (tests whose fixtures make staff first) gets real seeds once this many are kept.
MAX_RECORDINGS = 3


def seeded_world(seed: Callable[[], SeededWorld]) -> SeededWorld:
    """The world ``seed`` makes, written back from a recording when one fits the database."""
    key = f"{connection.vendor}:{connection.settings_dict['NAME']}"
    shape = _settings_shape()
    # Every world now has the same TOTP secrets, so a code another test spent must not be
    # remembered as spent (allauth keeps them in the cache table, which a transactional test's
    # flush leaves as it is).
    cache.clear()
    for recording in _recordings.get(key, []):
        if recording.settings_shape == shape and _unchanged_since(recording):
            _replay(recording)
            return _world_of(recording)
    if len(_recordings.get(key, [])) >= MAX_RECORDINGS:
        return seed()
    recording = _record(seed, _tables(), shape)
    _recordings.setdefault(key, []).append(recording)
    _replay(recording)
    return _world_of(recording)


def _settings_shape() -> str:
    return repr([getattr(settings, name, None) for name in SHAPING_SETTINGS])


def _tables() -> dict[str, Table]:
    # Test-only models (keys/tests/sealed_models.py) have tables only where a conftest made them.
    existing = set(connection.introspection.table_names())
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in existing:
            continue
        columns = tuple(str(field.column) for field in meta.concrete_fields)
        tables[meta.db_table] = Table(model, meta.db_table, columns, columns.index(meta.pk.column))
    return tables


def _rows(table: Table) -> dict[Any, Row]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(quote, table.columns))} FROM {quote(table.name)}"  # noqa: S608
        )
        return {row[table.pk_index]: _comparable(row) for row in cursor.fetchall()}


def _comparable(row: Row) -> Row:
    # PostgreSQL hands bytea back as memoryview, which compares by identity of its buffer.
    return tuple(bytes(value) if isinstance(value, memoryview) else value for value in row)


def _record(seed: Callable[[], SeededWorld], tables: dict[str, Table], shape: str) -> Recording:
    before_all = {name: _rows(table) for name, table in tables.items()}
    with transaction.atomic():
        world = seed()
        after_all = {name: _rows(table) for name, table in tables.items()}
        transaction.set_rollback(True)
    written = {name for name in tables if after_all[name] != before_all[name]}
    if any(set(before_all[name]) - set(after_all[name]) for name in written):
        raise AssertionError("seeding deleted rows: it cannot be replayed, fix world_replay.py")
    return Recording(
        settings_shape=shape,
        before={name: before_all[name] for name in written},
        after={
            name: {
                pk: row for pk, row in after_all[name].items() if before_all[name].get(pk) != row
            }
            for name in written
        },
        tables={name: tables[name] for name in written},
        organisation=world.organisation.pk,
        partner_a=world.partner_a.pk,
        partner_b=world.partner_b.pk,
        teams={name: team.pk for name, team in world.teams.items()},
        users={name: user.pk for name, user in world.users.items()},
        totp_secrets=dict(world.totp_secrets),
        key_notes=list(world.key_notes),
    )


def _unchanged_since(recording: Recording) -> bool:
    return all(_rows(table) == recording.before[name] for name, table in recording.tables.items())


def _replay(recording: Recording) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for name, rows in recording.after.items():
            table = recording.tables[name]
            changed = [pk for pk in rows if pk in recording.before[name]]
            if changed:
                cursor.execute(
                    f"DELETE FROM {quote(name)} WHERE {quote(table.columns[table.pk_index])} "  # noqa: S608
                    f"IN ({', '.join(['%s'] * len(changed))})",
                    changed,
                )
            cursor.executemany(
                f"INSERT INTO {quote(name)} ({', '.join(map(quote, table.columns))}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(table.columns))})",
                list(rows.values()),
            )
        # The rows came with their ids: a sequence behind them would hand one out again.
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [table.model for table in recording.tables.values()]
        ):
            cursor.execute(statement)


def _world_of(recording: Recording) -> SeededWorld:
    organisations = Organisation.objects.in_bulk(
        [recording.organisation, recording.partner_a, recording.partner_b]
    )
    teams = Team.objects.in_bulk(recording.teams.values())
    users = User.objects.in_bulk(recording.users.values())
    return SeededWorld(
        organisation=organisations[recording.organisation],
        partner_a=organisations[recording.partner_a],
        partner_b=organisations[recording.partner_b],
        teams={name: teams[pk] for name, pk in recording.teams.items()},
        users={name: users[pk] for name, pk in recording.users.items()},
        totp_secrets=dict(recording.totp_secrets),
        key_notes=list(recording.key_notes),
    )

"""Inserting new rows with a statement made once per model, for the few paths that run on
every request and hold the database's write lock while they do (a help request, an audit
event: ``bench/intake.py``).

The ORM compiles each INSERT anew (columns, quoting, placeholders, returning clause); for the
rows of one help request that cost more than running them, and on SQLite it happened while the
request held the write lock that every other writer waits for. :func:`insert_rows` keeps the
statement text per model and only prepares the values, with each field's own ``pre_save`` and
``get_db_prep_save`` exactly as the ORM does, so ``auto_now_add``, sealed fields' checks and
database-specific adaptation (UUIDs, JSON, bytes) still apply.

What it leaves out, and why that is safe here: model ``save()`` overrides and the
``pre_save``/``post_save`` signals (no model written through it has either; a test holds it),
and fields that need a database-specific placeholder (refused with TypeError).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connections, models
from django.db.models.fields.related import ForeignKey

type _Statement = tuple[str, tuple[Any, ...], Any]


@cache
def _statement(model: type[models.Model], alias: str, with_pk: bool, rows: int) -> _Statement:
    """(SQL text, the fields whose values it takes, the primary key it returns or None)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    generated = pk is not None and pk.db_returning and not with_pk
    fields = tuple(
        field
        for field in model._meta.concrete_fields
        if not (generated and field is pk) and not field.generated
    )
    for field in fields:
        if hasattr(field, "get_placeholder"):
            raise TypeError(f"{model.__name__}.{field.name} needs its own placeholder")
    columns = ", ".join(quote(str(field.column)) for field in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    sql += ", ".join([one_row] * rows)
    # One row: its made id is returned. Several (wraps, hints): nothing refers to them by id
    # afterwards, and the order rows come back in is not promised everywhere.
    returned = pk if generated and rows == 1 else None
    if returned is not None:
        sql += f" RETURNING {quote(str(returned.column))}"
    return sql, fields, returned


@dataclasses.dataclass(eq=False, repr=False)
class PreparedRows:
    """New rows of one model with their INSERT and values made, not written yet.

    Made before the transaction that writes them (:func:`prepare_rows`), so that only the
    statement itself runs while the database's write lock is held (:func:`insert_prepared`).
    A foreign key to an object that is itself waiting to be inserted (a record key's wraps, a
    request's hints) takes that object's id when the rows are written.
    """

    objs: tuple[models.Model, ...]
    using: str
    sql: str
    params: list[Any]
    returned: Any
    # (index in params, the row's object, its foreign key, the object that key refers to)
    # for the ids not known yet.
    waiting_for_ids: list[tuple[int, models.Model, ForeignKey[Any, Any], models.Model]] = (
        dataclasses.field(default_factory=list)
    )
    written: bool = False


def prepare_rows(objs: Sequence[models.Model], *, using: str = "default") -> PreparedRows:
    """The INSERT of ``objs`` (new, all of one model) and its values, ready to run."""
    if not objs:
        raise ValueError("prepare_rows needs at least one object")
    model = type(objs[0])
    if any(type(obj) is not model or not obj._state.adding for obj in objs):
        raise ValueError("prepare_rows takes new objects of one model")
    with_pk = objs[0].pk is not None
    if any((obj.pk is not None) != with_pk for obj in objs):
        raise ValueError("prepare_rows takes objects that all have a primary key, or none")
    sql, fields, returned = _statement(model, using, with_pk, len(objs))
    connection = connections[using]
    prepared = PreparedRows(tuple(objs), using, sql, [], returned)
    params = prepared.params
    for obj in objs:
        for model_field in fields:
            if isinstance(model_field, ForeignKey) and model_field.is_cached(obj):
                related = model_field.get_cached_value(obj)
                if related is not None and getattr(obj, model_field.attname) is None:
                    # What Model.save does first: take the id of the object assigned, which
                    # may be inserted only just before these rows.
                    prepared.waiting_for_ids.append((len(params), obj, model_field, related))
                    params.append(None)
                    continue
            params.append(model_field.get_db_prep_save(model_field.pre_save(obj, True), connection))
    return prepared


def insert_prepared(prepared: PreparedRows) -> None:
    """Write prepared rows in one statement, in the caller's transaction (once)."""
    if prepared.written:
        raise ValueError("these rows were written already")
    connection = connections[prepared.using]
    params = prepared.params
    for index, _obj, foreign_key, related in prepared.waiting_for_ids:
        if related.pk is None:
            raise ValueError(f"{foreign_key.name} refers to an unsaved object")
        params[index] = foreign_key.get_db_prep_save(related.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(prepared.sql, params)
        row = cursor.fetchone() if prepared.returned is not None else None
    prepared.written = True
    objs = prepared.objs
    for _index, obj, foreign_key, related in prepared.waiting_for_ids:
        setattr(obj, foreign_key.attname, related.pk)
    if prepared.returned is not None:
        if row is None:
            raise RuntimeError(f"the database returned no id for a new {type(objs[0]).__name__}")
        setattr(objs[0], prepared.returned.attname, prepared.returned.to_python(row[0]))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = prepared.using


def prepare_inserts(*groups: Sequence[models.Model]) -> tuple[PreparedRows, ...]:
    """:func:`prepare_rows` for each group that has rows, in order (a group whose rows refer
    to another's objects comes after it)."""
    return tuple(prepare_rows(group) for group in groups if group)


def run_inserts(prepared: Sequence[PreparedRows]) -> None:
    """:func:`insert_prepared` for each, in order, in the caller's transaction."""
    for rows in prepared:
        insert_prepared(rows)


def insert_rows(objs: Sequence[models.Model], *, using: str = "default") -> None:
    """Insert ``objs`` (new, all of one model) in one statement, in the caller's transaction.
    A primary key the database makes is set on the object when there is one object; with
    several, like ``bulk_create`` on databases that return nothing, they keep ``pk`` None."""
    if objs:
        insert_prepared(prepare_rows(objs, using=using))

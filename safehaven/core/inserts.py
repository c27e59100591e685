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


def _copy_related_ids(obj: models.Model) -> None:
    """What ``Model.save`` does first: a foreign key assigned an object that was unsaved then
    takes that object's id now."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, ForeignKey) and field.is_cached(obj):
            related = field.get_cached_value(obj)
            if related is not None and getattr(obj, field.attname) is None:
                if related.pk is None:
                    raise ValueError(f"{field.name} refers to an unsaved object")
                setattr(obj, field.attname, related.pk)


def insert_rows(objs: Sequence[models.Model], *, using: str = "default") -> None:
    """Insert ``objs`` (new, all of one model) in one statement, in the caller's transaction.
    A primary key the database makes is set on the object when there is one object; with
    several, like ``bulk_create`` on databases that return nothing, they keep ``pk`` None."""
    if not objs:
        return
    model = type(objs[0])
    if any(type(obj) is not model or not obj._state.adding for obj in objs):
        raise ValueError("insert_rows takes new objects of one model")
    with_pk = objs[0].pk is not None
    if any((obj.pk is not None) != with_pk for obj in objs):
        raise ValueError("insert_rows takes objects that all have a primary key, or none")
    sql, fields, returned = _statement(model, using, with_pk, len(objs))
    connection = connections[using]
    params: list[Any] = []
    for obj in objs:
        _copy_related_ids(obj)
        params.extend(
            field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returned is not None:
            row = cursor.fetchone()
            if row is None:
                raise RuntimeError(f"the database returned no id for a new {model.__name__}")
            setattr(obj, returned.attname, returned.to_python(row[0]))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using

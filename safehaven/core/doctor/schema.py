"""Pending migrations, and the cache table that ``createcachetable`` makes."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safehaven.core.doctor.registry import Options, Result, fail, ok, register


@register(
    "migrations",
    order=40,
    explanation="every migration is applied (fail otherwise: run manage.py migrate) and the "
    "database cache table exists (manage.py createcachetable)",
)
def check_migrations(options: Options) -> list[Result]:
    return [pending_migrations(), cache_table()]


def pending_migrations() -> Result:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        return fail(f"{len(plan)} migrations are not applied ({shown}): run manage.py migrate")
    return ok("every migration is applied")


def cache_table() -> Result:
    tables = set(connection.introspection.table_names())
    missing = [
        str(cache["LOCATION"])
        for cache in settings.CACHES.values()
        if str(cache["BACKEND"]).endswith("DatabaseCache") and cache["LOCATION"] not in tables
    ]
    if missing:
        return fail(f"cache table {', '.join(missing)} is missing: run manage.py createcachetable")
    return ok("the cache table exists")

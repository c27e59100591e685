"""A database that fails on one table, for the tests of what a page or command does then."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection


@contextmanager
def failing_on(table: str, message: str = "disk I/O error") -> Iterator[None]:
    """Every statement that names ``table`` raises OperationalError(``message``) meanwhile."""

    def fail(execute, sql, params, many, context):
        if table in sql:
            raise OperationalError(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield

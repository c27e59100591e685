"""Row ids typed into a request (a query string, a hidden field, a ticked box).

``str.isdigit()`` alone is not enough before ``int()``: "²" is a digit to it but not to
``int()``, and a 5,000-digit number passes it but not Python's conversion limit, nor any
database's integer column (SQLite's driver raises OverflowError beyond 64 bits). Each was a
server error a fuzzer found.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# 18 digits fit every database's 64-bit integer column.
ID_DIGITS = 18


def is_plain_id(value: str, *, max_digits: int = ID_DIGITS) -> bool:
    """ASCII digits only, and few enough for an integer column."""
    return value.isascii() and value.isdigit() and len(value) <= max_digits


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses a value that is not a plain id as an
    invalid choice before any query is made."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not is_plain_id(str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # not in django-stubs

"""Reading a crisis batch file: CSV, UTF-8, a header row of ``ReferralForm`` field names, one
referral per row, each row checked by the form. Nothing is stored here.

Every problem is reported with the file's line number (the header is line 1; a row whose
quoted text spans lines is named by its first line; 0 is the file as a whole) and never
repeats what a row holds: messages are shown on a page and may be copied into a ticket.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safehaven.countries.risk import public_form_regions
from safehaven.partners.referrals.forms import ReferralDraft, ReferralForm

MAX_ROWS = 5000
# 5,000 rows of a few lines each fit well within this; a file beyond it is not a batch.
MAX_BYTES = 8 * 1024 * 1024
# The longest value a field takes (``situation``) is 5,000 characters: 4 bytes each at most.
MAX_FIELD_BYTES = 32 * 1024
FILE = 0
HEADER_LINE = 1
# A column name that may be repeated in a message: a field name's shape, nothing a person wrote.
_SAFE_NAME = re.compile(r"[a-z_]{1,40}")


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


class BatchRefused(Exception):
    """The file, or at least one row of it, is not right: nothing was stored."""

    message = _("Nothing from this file was saved. Please correct it and send it again.")

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _refuse(message: object, line: int = FILE) -> BatchRefused:
    return BatchRefused([RowProblem(line, str(message))])


def file_text(content: str | bytes) -> str:
    """The text of a file: bytes must be UTF-8 (a byte-order mark is dropped)."""
    size = len(content) if isinstance(content, bytes) else len(content.encode("utf-8", "replace"))
    if size > MAX_BYTES:
        raise _refuse(
            format_lazy(
                _("The file is larger than {size} MB: please split it into smaller files."),
                size=MAX_BYTES // (1024 * 1024),
            )
        )
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            raise _refuse(
                _(
                    "The file is not UTF-8 text. Save it as “CSV UTF-8” (or export it from your "
                    "spreadsheet with UTF-8 encoding) and send it again."
                )
            ) from None
    return content.removeprefix("\ufeff")


def _header(names: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in names]
    known = set(ReferralForm.base_fields)
    required = [name for name, field in ReferralForm.base_fields.items() if field.required]
    unknown = [(number, name) for number, name in enumerate(columns, 1) if name not in known]
    if unknown and not set(columns) & known:
        raise _refuse(
            format_lazy(
                _("The first line must be the header, naming the columns: {columns}."),
                columns=", ".join(known_in_order()),
            ),
            HEADER_LINE,
        )
    problems = [RowProblem(HEADER_LINE, _unknown_column(number, name)) for number, name in unknown]
    problems += [
        RowProblem(
            HEADER_LINE,
            str(format_lazy(_("The column “{name}” appears more than once."), name=name)),
        )
        for name in sorted({name for name in columns if name in known and columns.count(name) > 1})
    ]
    problems += [
        RowProblem(HEADER_LINE, str(format_lazy(_("The column “{name}” is missing."), name=name)))
        for name in required
        if name not in columns
    ]
    if problems:
        raise BatchRefused(problems)
    return columns


def known_in_order() -> list[str]:
    return list(ReferralForm.base_fields)


def _unknown_column(number: int, name: str) -> str:
    if _SAFE_NAME.fullmatch(name):
        message = _("Column {number} (“{name}”) is not a column we know. The columns are: {known}.")
    else:
        message = _("Column {number} is not a column we know. The columns are: {known}.")
    return str(format_lazy(message, number=number, name=name, known=", ".join(known_in_order())))


def _rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (first line, values) of each non-empty row."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    line = 1
    try:
        for values in reader:
            first, line = line, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            if header is None:
                header = values
                continue
            if len(rows) >= MAX_ROWS:
                raise _refuse(
                    format_lazy(
                        _("The file has more than {count} rows: please split it."),
                        count=f"{MAX_ROWS:,}",
                    )
                )
            if any(len(value) > MAX_FIELD_BYTES // 4 for value in values):
                raise _refuse(_("A value on this line is far too long."), first)
            rows.append((first, values))
    except csv.Error:
        raise _refuse(
            _(
                "This line cannot be read as CSV: check for a quote that is not closed, or a "
                "character that is not text."
            ),
            line,
        ) from None
    if header is None:
        raise _refuse(_("The file is empty: it needs a header line and one row per person."))
    if not rows:
        raise _refuse(_("The file has a header but no rows."))
    return header, rows


def _problems_of(line: int, form: ReferralForm) -> list[RowProblem]:
    problems = []
    for field, errors in form.errors.items():
        for error in errors:
            if field == "__all__":
                problems.append(RowProblem(line, str(error)))
            else:
                problems.append(
                    RowProblem(
                        line, str(format_lazy(_("{field}: {error}"), field=field, error=error))
                    )
                )
    return problems


def read_batch(content: str | bytes) -> list[ReferralDraft]:
    """The checked referrals of a batch file, in its order; BatchRefused with every problem
    when the file or any row is not right."""
    header, rows = _rows(file_text(content))
    columns = _header(header)
    regions = public_form_regions()
    drafts: list[ReferralDraft] = []
    problems: list[RowProblem] = []
    for line, values in rows:
        if len(values) != len(columns):
            problems.append(RowProblem(line, _count_mismatch(len(values), len(columns))))
            continue
        form = ReferralForm(dict(zip(columns, values, strict=True)), regions=regions)
        if form.is_valid():
            drafts.append(form.draft())
        else:
            problems += _problems_of(line, form)
    if problems:
        raise BatchRefused(problems)
    return drafts


def _count_mismatch(found: int, expected: int) -> str:
    return gettext(
        "This row has %(found)d values, but the header has %(expected)d columns. Check for a "
        "comma in a value that is not inside quotes."
    ) % {"found": found, "expected": expected}

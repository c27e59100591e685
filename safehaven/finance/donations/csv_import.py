"""Reading a donations CSV (docs/finance.md, "Importing donations"): the columns, each row
checked on its own, every problem named with its line, and nothing kept unless every row is
right. Reads bytes and returns rows; saving them is ``import_actions.do_import_donations``.

The columns (a header row first; names in any order and any case; ``received_on`` and
``amount`` required):

- ``received_on``: the day the gift came in, ``YYYY-MM-DD``, not after today;
- ``amount``: what was given, a point for decimals and no grouping (``1250.50``), with no
  more decimals than its currency has;
- ``currency``: the ISO 4217 code it was given in; empty for the fund's own;
- ``rate`` and ``rate_on``: for a gift in another currency only, the rate entered (units of
  the fund's currency per unit given) and its day;
- ``donor_name``: empty for an anonymous gift.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.donations.actions import DONOR_NAME_LIMIT, Conversion, _amounts
from safehaven.finance.models import Fund
from safehaven.finance.money import MoneyError

COLUMNS = ("received_on", "amount", "currency", "rate", "rate_on", "donor_name")
REQUIRED_COLUMNS = ("received_on", "amount")
MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
SAMPLE = (
    "received_on,amount,currency,rate,rate_on,donor_name\n"
    "2027-03-01,250.00,,,,Ana Example\n"
    "2027-03-02,40,,,,\n"
    "2027-03-04,100.00,GBP,1.27,2027-03-04,\n"
)


@dataclass(frozen=True)
class ImportedDonation:
    """One row that passed every check: a gift in the fund's currency (``amount``) or in
    another (``conversion``)."""

    line: int
    received_on: datetime.date
    amount: str | None
    conversion: Conversion | None
    donor_name: str


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with the file (``line`` None) or with the row that starts on ``line``."""

    line: int | None
    reason: str

    def __str__(self) -> str:
        if self.line is None:
            return self.reason
        return _("Line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


class ImportRefused(CaseActionRefused):
    """The file was refused; ``problems`` names each bad row (nothing was saved)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            ngettext(
                "Nothing was imported: the file has %(count)s problem.",
                "Nothing was imported: the file has %(count)s problems.",
                count,
            )
            % {"count": count}
        )


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRefused([RowProblem(None, too_large_message())])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            [
                RowProblem(
                    None, _("The file is not UTF-8 text: save it as “CSV UTF-8” and try again.")
                )
            ]
        ) from None
    if not text.strip():
        raise ImportRefused([RowProblem(None, _("The file is empty."))])
    return text


def too_large_message() -> str:
    return _("The file is larger than 1 MB: split it into smaller files.")


def _header(names: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in names]
    problems = []
    unknown = [name for name in columns if name not in COLUMNS]
    if unknown:
        problems.append(
            _("Unknown column(s) %(names)s: the columns are %(columns)s.")
            % {"names": ", ".join(unknown), "columns": ", ".join(COLUMNS)}
        )
    twice = sorted({name for name in columns if columns.count(name) > 1})
    if twice:
        problems.append(_("Column(s) %(names)s given twice.") % {"names": ", ".join(twice)})
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.append(
            _("The header row lacks the column(s) %(names)s.") % {"names": ", ".join(missing)}
        )
    if problems:
        raise ImportRefused([RowProblem(1, reason) for reason in problems])
    return columns


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, its fields), blank lines skipped; a quoted field may span
    lines, so a record's line is counted from the end of the one before."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    ended = 0
    try:
        for fields in reader:
            start, ended = ended + 1, reader.line_num
            if fields and any(field.strip() for field in fields):
                yield start, fields
    except csv.Error as error:
        raise ImportRefused(
            [RowProblem(ended + 1, _("This line is not valid CSV (%(error)s).") % {"error": error})]
        ) from None


def _day(value: str, column: str, today: datetime.date) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            _("%(column)s “%(value)s” is not a day written YYYY-MM-DD.")
            % {"column": column, "value": value}
        ) from None
    if day > today:
        raise ValueError(_("%(column)s %(day)s is after today.") % {"column": column, "day": day})
    return day


def _row(fund: Fund, line: int, values: dict[str, str], today: datetime.date) -> ImportedDonation:
    """The row as a donation, or ValueError / MoneyError / CaseActionRefused saying why not."""
    for column in REQUIRED_COLUMNS:
        if not values.get(column, "").strip():
            raise ValueError(_("%(column)s is empty.") % {"column": column})
    received_on = _day(values["received_on"], "received_on", today)
    amount = values["amount"].strip()
    code = values.get("currency", "").strip().upper()
    rate = values.get("rate", "").strip()
    rate_on_text = values.get("rate_on", "").strip()
    donor_name = values.get("donor_name", "").strip()
    if len(donor_name) > DONOR_NAME_LIMIT:
        raise ValueError(_("A donor's name is at most 200 characters."))
    conversion = None
    if code in ("", fund.currency):
        if rate or rate_on_text:
            raise ValueError(
                _(
                    "The gift is in the fund's own currency (%(code)s): leave rate and rate_on "
                    "empty."
                )
                % {"code": fund.currency}
            )
        _amounts(fund, amount, None)
        return ImportedDonation(line, received_on, amount, None, donor_name)
    if not rate or not rate_on_text:
        raise ValueError(
            _("A gift in %(code)s needs the rate to %(fund_code)s and its day (rate, rate_on).")
            % {"code": code, "fund_code": fund.currency}
        )
    conversion = Conversion(amount, code, rate, _day(rate_on_text, "rate_on", today))
    _amounts(fund, None, conversion)
    return ImportedDonation(line, received_on, None, conversion, donor_name)


def read_donations(fund: Fund, data: bytes, *, today: datetime.date) -> list[ImportedDonation]:
    """Every row of the CSV ``data`` as a donation to ``fund``, or ImportRefused naming each
    problem with its line (all rows are checked before refusing, up to ``MAX_ROWS``)."""
    records = _records(_text(data))
    first = next(records, None)
    if first is None:
        raise ImportRefused([RowProblem(None, _("The file is empty."))])
    columns = _header(first[1])
    rows: list[ImportedDonation] = []
    problems: list[RowProblem] = []
    for count, (line, fields) in enumerate(records, start=1):
        if count > MAX_ROWS:
            raise ImportRefused(
                [
                    RowProblem(
                        None,
                        _("The file has more than %(limit)s donations: split it.")
                        % {"limit": MAX_ROWS},
                    )
                ]
            )
        if len(fields) != len(columns):
            problems.append(
                RowProblem(
                    line,
                    _("%(found)s fields, but the header has %(wanted)s.")
                    % {"found": len(fields), "wanted": len(columns)},
                )
            )
            continue
        try:
            rows.append(_row(fund, line, dict(zip(columns, fields, strict=True)), today))
        except (ValueError, MoneyError, CaseActionRefused) as error:
            problems.append(RowProblem(line, str(error)))
    if problems:
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused([RowProblem(None, _("The file has a header but no donations."))])
    return rows

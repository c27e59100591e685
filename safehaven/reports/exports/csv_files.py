"""The figures files: the four measures of the funnel for each year asked for, by one breakdown
(country of origin, country of arrival, pathway, referring partner or crisis), as CSV or as
HXL-tagged CSV. Only counts leave: nothing sealed is opened to make them, and no row is a
person.

Every year is its own table with its own totals row, each measure's column suppressed against
its total (``reports.suppression.suppress_counts``; no row total is printed): a hidden count is
an empty cell. A breakdown value whose
every count is under ``SMALL_CELL`` is folded into an "Other" row, so that the file does not
even say that someone came from there. Years are never summed into one cell: two files for
overlapping ranges would otherwise give a hidden year by subtraction.

A year not yet finished is counted only up to the end of its last finished quarter, as on the
public page (``public_impact.cut_off``; today in the organisation's reporting zone): cut at the
end of each month, two files a month apart would give that month's arrivals by subtraction of
their exact cells. Two files made within one quarter are the same; such a year's totals row
and the file's name say where it stops. A finished year is counted whole (with suppression).

A cell that a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe: a partner's or a
crisis's name is typed by staff.

HXL hashtags (HXL 1.1, https://hxlstandard.org/standard/1-1final/dictionary/): ``#date+year``;
``#country`` with ``+code`` (ISO 3166-1 alpha-3) or ``+name`` and ``+origin`` or ``+dest``;
``#org+partner``; ``#crisis``; the extension ``#x_pathway`` (HXL has no pathway hashtag);
``#affected`` for requests, ``#targeted`` for people verified (accepted for help), ``#reached``
for people supported and relocated (``+ind``: counts of individuals).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation
from safehaven.countries.models import Country, Crisis
from safehaven.intake.submission.place_names import country_choices
from safehaven.reports.choices import Measure
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import counts_by
from safehaven.reports.public_impact.cut_off import quarter_end_before, reporting_today
from safehaven.reports.suppression import SMALL_CELL, published_total, suppress_counts
from safehaven.travel.choices import PathwayKind

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MEASURES = (Measure.REQUESTS, Measure.VERIFIED, Measure.SUPPORTED, Measure.RELOCATED)
MEASURE_TAGS = {
    Measure.REQUESTS: "#affected+requests",
    Measure.VERIFIED: "#targeted+ind+verified",
    Measure.SUPPORTED: "#reached+ind+supported",
    Measure.RELOCATED: "#reached+ind+relocated",
}
YEAR_TAG = "#date+year"
# The key of the row that gathers the breakdown values whose every count is small.
OTHER = "other"


class FileFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    HXL = "hxl", _("CSV with HXL hashtags (Humanitarian Exchange Language)")


@dataclass(frozen=True)
class Breakdown:
    key: str  # the form's value, and the dimension of ``counts_by``
    label: Promise
    code_heading: Promise
    name_heading: Promise
    code_tag: str
    name_tag: str


BREAKDOWNS = {
    breakdown.key: breakdown
    for breakdown in (
        Breakdown(
            "country",
            _("Country of origin"),
            _("Country code"),
            _("Country of origin"),
            "#country+code+origin",
            "#country+name+origin",
        ),
        Breakdown(
            "destination",
            _("Country of arrival"),
            _("Country code"),
            _("Country of arrival"),
            "#country+code+dest",
            "#country+name+dest",
        ),
        Breakdown(
            "pathway",
            _("Pathway"),
            _("Pathway code"),
            _("Pathway"),
            "#x_pathway+code",
            "#x_pathway+name",
        ),
        Breakdown(
            "partner",
            _("Referring partner"),
            _("Partner number"),
            _("Referring partner"),
            "#org+code+partner",
            "#org+name+partner",
        ),
        Breakdown(
            "crisis",
            _("Crisis"),
            _("Crisis number"),
            _("Crisis"),
            "#crisis+code",
            "#crisis+name",
        ),
    )
}


@dataclass(frozen=True)
class FigureRow:
    code: str
    name: str
    cells: Sequence[int | None]


@dataclass(frozen=True)
class YearTable:
    year: int
    rows: list[FigureRow]
    totals: list[int | None]
    # The last day counted when the year was not finished; None: the whole year is counted.
    until: datetime.date | None = None


def cell_text(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def figures_until(today: datetime.date) -> datetime.date:
    """The last day the files count: the end of the last finished quarter."""
    return quarter_end_before(today)


def cut_short(year: int, until: datetime.date) -> datetime.date | None:
    """``until`` when it falls before the end of ``year`` (the year is not finished)."""
    return until if until < datetime.date(year, 12, 31) else None


def _names(breakdown: Breakdown, keys: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Each key's code (as the file shows it) and name, from curated lists and the names
    administrators gave partners and crises."""
    keys = [key for key in keys if key]
    if breakdown.key in ("country", "destination"):
        names = dict(country_choices())
        countries = {c.iso2: c for c in Country.objects.filter(iso2__in=keys)}
        return {
            key: (
                countries[key].iso3 if key in countries else key,
                names.get(key) or (countries[key].name if key in countries else key),
            )
            for key in keys
        }
    if breakdown.key == "pathway":
        kinds = dict(PathwayKind.choices)
        return {key: (key, str(kinds.get(key, key))) for key in keys}
    ids = [int(key) for key in keys if key.isdigit()]
    model = Organisation if breakdown.key == "partner" else Crisis
    found = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {key: (key, found.get(int(key), key) if key.isdigit() else key) for key in keys}


def _no_value_name(breakdown: Breakdown) -> str:
    if breakdown.key == "partner":
        return gettext("No referring partner")
    if breakdown.key == "crisis":
        return gettext("No crisis")
    return gettext("Not recorded")


def suppress_columns(grid: list[list[int]]) -> list[list[int | None]]:
    """Each measure's column suppressed against its total (the totals row). The measures are
    stages of a funnel counted in the year each happened, not parts of a whole: no row total
    is printed, so a row is no line a reader could solve. (``suppress_grid``, which assumes row
    totals too, would blank nearly every country that relocated nobody that year.)"""
    columns = [
        suppress_counts({str(i): row[j] for i, row in enumerate(grid)})
        for j in range(len(MEASURES))
    ]
    return [[column[str(i)] for column in columns] for i in range(len(grid))]


def year_table(
    organisations: Sequence[Organisation], breakdown: Breakdown, year: int, until: datetime.date
) -> YearTable:
    """One year's suppressed table (no organisation: no row, and nothing is counted)."""
    if not organisations:
        return YearTable(year, [], [None] * len(MEASURES), cut_short(year, until))
    counts = [
        counts_by(
            organisations, measure, breakdown.key, range(year, year + 1), FigureFilters(), until
        )
        for measure in MEASURES
    ]
    keys = sorted({key for by_key in counts for key in by_key})
    kept = [key for key in keys if any(by_key.get(key, 0) >= SMALL_CELL for by_key in counts)]
    folded = [key for key in keys if key not in kept]
    names = _names(breakdown, kept)
    labelled = [(names[key] if key else ("", _no_value_name(breakdown)), key) for key in kept]
    labelled.sort(key=lambda item: (item[1] == "", item[0][1].casefold(), item[1]))
    grid = [[by_key.get(key, 0) for by_key in counts] for _label, key in labelled]
    heads = [label for label, _key in labelled]
    if folded:
        grid.append([sum(by_key.get(key, 0) for key in folded) for by_key in counts])
        heads.append((OTHER, gettext("Other (small numbers)")))
    hidden = suppress_columns(grid)
    rows = [FigureRow(code, name, cells) for (code, name), cells in zip(heads, hidden, strict=True)]
    totals = [published_total(by_key.values()) for by_key in counts]
    if len(rows) == 1:  # one row: its totals are its cells, hidden as they are
        totals = list(rows[0].cells)
    return YearTable(year, rows, totals, cut_short(year, until))


def year_tables(
    organisations: Sequence[Organisation],
    breakdown: Breakdown,
    years: range,
    today: datetime.date,
) -> list[YearTable]:
    until = figures_until(today)
    return [year_table(organisations, breakdown, year, until) for year in years]


def file_stops_on(tables: Iterable[YearTable]) -> datetime.date | None:
    """The day the file's unfinished year stops (for its name); None when every year is whole."""
    return next((table.until for table in tables if table.until is not None), None)


def total_label(table: YearTable) -> str:
    if table.until is None:
        return gettext("Total")
    return gettext("Total up to %(day)s") % {"day": table.until.isoformat()}


def headings(breakdown: Breakdown) -> list[str]:
    return [
        gettext("Year"),
        str(breakdown.code_heading),
        str(breakdown.name_heading),
        *(str(Measure(measure).label) for measure in MEASURES),
    ]


def hashtags(breakdown: Breakdown) -> list[str]:
    return [
        YEAR_TAG,
        breakdown.code_tag,
        breakdown.name_tag,
        *(MEASURE_TAGS[measure] for measure in MEASURES),
    ]


def render_csv(tables: Iterable[YearTable], breakdown: Breakdown, file_format: str) -> bytes:
    """The file (UTF-8 with a byte-order mark, which spreadsheets need to read it as UTF-8):
    headings, the hashtag row for HXL, then each year's rows and its totals row."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell_text(heading) for heading in headings(breakdown)])
    if file_format == FileFormat.HXL:
        writer.writerow(hashtags(breakdown))
    for table in tables:
        for row in table.rows:
            writer.writerow(
                [table.year, cell_text(row.code), cell_text(row.name), *map(cell_text, row.cells)]
            )
        writer.writerow(
            [table.year, "", cell_text(total_label(table)), *map(cell_text, table.totals)]
        )
    return buffer.getvalue().encode("utf-8-sig")


def build_yearly_csv(
    organisations: Iterable[Organisation], year: int, today: datetime.date | None = None
) -> bytes:
    """The yearly CSV by country of origin (for the benchmark and scripts): the same file the
    export page gives, without the audit event the page writes."""
    breakdown = BREAKDOWNS["country"]
    organisations = list(organisations)
    today = today or reporting_today(organisations)
    tables = year_tables(organisations, breakdown, range(year, year + 1), today)
    return render_csv(tables, breakdown, FileFormat.CSV)

"""The yearly CSV as the benchmark builds it (``build_yearly_csv``), and an attempt to recover
a hidden count from a real file's published cells and totals row, which fails."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehaven.reports.exports.csv_files import build_yearly_csv, suppress_columns
from safehaven.reports.figures.queries import relocating_organisations
from safehaven.reports.suppression import SMALL_CELL
from safehaven.reports.tests.figures_helpers import add_requests, relocated
from safehaven.reports.tests.suppression_helpers import COLUMN_TOTALS_ONLY, recovered_cells

MONTH = datetime.date(2018, 6, 1)
# Requests and people relocated in 2018 by country: some under 5, some not.
REQUESTS = {"RU": 40, "IR": 9, "UG": 3, "AF": 12, "SY": 6}
RELOCATED = {"RU": 7, "IR": 2, "UG": 0, "AF": 5, "SY": 1}


@pytest.mark.django_db
def test_a_hidden_count_cannot_be_recovered_from_the_yearly_file(world):
    for country, count in REQUESTS.items():
        add_requests(count, received=MONTH, country=country)
    for country, people in RELOCATED.items():
        for _n in range(people):
            relocated(world.organisation, MONTH, country=country)
    content = build_yearly_csv(relocating_organisations(), 2018)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Year", "Country code", "Country of origin"]
    body, total = rows[1:-1], rows[-1]
    assert total[2:4] == ["Total", "70"]
    true = {"RUS": "RU", "IRN": "IR", "AFG": "AF", "SYR": "SY", "other": "UG"}
    grid, shown = [], []
    for row in body:
        country = true[row[1]]
        values = [REQUESTS[country], 0, 0, RELOCATED[country]]
        grid.append(values)
        shown.append([None if cell == "" else int(cell) for cell in row[3:]])
        for value, cell in zip(values, shown[-1], strict=True):
            assert cell in (None, value)
            if value < SMALL_CELL:
                assert cell is None
    assert "UGA" not in {row[1] for row in body}  # only small counts: folded into "other"
    assert any(cell is not None for row in shown for cell in row)  # not all hidden
    assert [
        found for found in recovered_cells(grid, shown, COLUMN_TOTALS_ONLY) if 0 < found[2] < 5
    ] == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=4, max_size=4),
        min_size=2,
        max_size=5,
    )
)
def test_no_hidden_small_count_of_a_file_table_can_be_recovered(grid):
    """The files' tables (one column per measure, a totals row, no row totals): an attacker
    with every published cell and total recovers no hidden count of 1 to 4."""
    shown = suppress_columns(grid)
    for row, row_shown in zip(grid, shown, strict=True):
        for value, cell in zip(row, row_shown, strict=True):
            assert cell == (None if value < SMALL_CELL else cell)
            assert cell in (None, value)
    found = recovered_cells(grid, shown, COLUMN_TOTALS_ONLY)
    assert [cell for cell in found if 0 < cell[2] < SMALL_CELL] == []

"""Small-cell suppression of a table with row, column and grand totals (2-D): primary and
secondary suppression such that an attacker holding the published cells and totals cannot
recover any hidden count under 5 (``suppression_helpers`` tries, by network flows)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehaven.reports.suppression import SMALL_CELL, published_total, suppress_grid
from safehaven.reports.tests.suppression_helpers import (
    ALL_TOTALS,
    COLUMN_TOTALS_ONLY,
    recovered_cells,
    thin_lines,
)


def hidden_small(grid, shown, printed=ALL_TOTALS):
    return [
        (i, j, value)
        for i, j, value in recovered_cells(grid, shown, printed)
        if 0 < value < SMALL_CELL
    ]


def test_it_hides_a_small_cell_and_enough_around_it():
    grid = [[12, 3, 20], [7, 8, 9], [30, 40, 50]]
    shown = suppress_grid(grid)
    assert shown[0][1] is None
    assert shown[2] == [30, 40, 50]
    assert thin_lines(grid, shown) == []
    assert hidden_small(grid, shown) == []


def test_the_attacker_recovers_a_cell_from_primary_suppression_alone():
    """The check has teeth: hiding only the small cell would give it away from the totals."""
    grid = [[12, 3, 20], [7, 8, 9], [30, 40, 50]]
    naive = [[None if value < SMALL_CELL else value for value in row] for row in grid]
    assert hidden_small(grid, naive) == [(0, 1, 3)]
    # And hiding a rectangle of four cells, two of them 0, still pins the 3 down: nothing can
    # be taken from a 0 to move it either way.
    grid = [[3, 6, 40], [0, 0, 30], [20, 20, 20]]
    rectangle = [[None, None, 40], [None, None, 30], [20, 20, 20]]
    assert (0, 0, 3) in hidden_small(grid, rectangle)


def test_it_protects_cells_a_zero_would_pin():
    grid = [[3, 6, 40], [0, 0, 30], [20, 20, 20]]
    shown = suppress_grid(grid)
    assert hidden_small(grid, shown) == []
    assert thin_lines(grid, shown) == []


def test_it_hides_a_whole_all_zero_or_all_small_grid():
    assert suppress_grid([[0, 0], [0, 0]]) == [[None, None], [None, None]]
    assert suppress_grid([[1, 2], [3, 4]]) == [[None, None], [None, None]]
    assert suppress_grid([]) == []


def test_it_leaves_a_grid_without_small_cells_alone():
    grid = [[5, 6], [70, 8]]
    assert suppress_grid(grid) == grid


def test_it_treats_one_row_or_one_column_as_a_list():
    assert suppress_grid([[3, 6, 10, 50]]) == [[None, None, 10, 50]]
    assert suppress_grid([[3], [6], [10], [50]]) == [[None], [None], [10], [50]]
    assert suppress_grid([[9]]) == [[9]]
    assert suppress_grid([[2]]) == [[None]]


def test_it_refuses_a_ragged_or_negative_grid():
    with pytest.raises(ValueError, match="as many cells"):
        suppress_grid([[1, 2], [3]])
    with pytest.raises(ValueError, match="whole number"):
        suppress_grid([[1, -2], [3, 4]])


def test_a_total_under_five_is_hidden():
    grid = [[1, 2], [30, 40]]
    assert published_total(grid[0]) is None
    assert published_total([1, 30]) == 31


values = st.one_of(st.integers(0, 6), st.integers(0, 40), st.sampled_from([0, 0, 1, 4, 5]))


@st.composite
def grids(draw):
    rows = draw(st.integers(2, 4))
    columns = draw(st.integers(2, 4))
    return [[draw(values) for _j in range(columns)] for _i in range(rows)]


def every_cell_hidden(shown):
    return all(cell is None for row in shown for cell in row)


@settings(max_examples=300, deadline=None)
@given(grids())
def test_no_hidden_small_count_can_be_recovered_from_the_totals(grid):
    """With every row, column and grand total printed (hidden when under 5, which tells the
    reader so): no hidden count of 1 to 4 can be recovered, unless the table is too thin to
    show anything at all (every cell hidden), when only the grand total may be printed."""
    shown = suppress_grid(grid)
    for row, row_shown in zip(grid, shown, strict=True):
        for value, cell in zip(row, row_shown, strict=True):
            assert cell in (None, value)
            if value < SMALL_CELL:
                assert cell is None
    assert thin_lines(grid, shown) == []
    if not every_cell_hidden(shown):
        assert hidden_small(grid, shown) == []


@settings(max_examples=150, deadline=None)
@given(grids())
def test_no_hidden_small_count_can_be_recovered_from_column_totals(grid):
    """The exports' tables print a totals row only (their measures are not summed across):
    then nothing small is ever recovered, even from a table with every cell hidden."""
    shown = suppress_grid(grid)
    assert hidden_small(grid, shown, COLUMN_TOTALS_ONLY) == []

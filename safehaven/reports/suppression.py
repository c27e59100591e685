"""Small-cell suppression for every figure that leaves the staff pages (exports, the public
page): a count under ``SMALL_CELL`` is never published, and more cells are hidden (secondary
suppression) until no hidden count can be worked out from what is published.

Zeros are hidden too. Showing 0 while hiding 1 to 4 would make every blank mean "at least one
person" (someone from that country asked), and with the total a reader could then pin cells
down: five blanks in a column whose hidden part sums to 5 are each exactly 1. Hiding 0..4 alike,
a blank says nothing about whether anyone is in it.

The rules, for every line (the 1-D counts, or a row or column of a grid) with a published
total that still shows a cell: it hides none, or at least two cells summing to at least
``SMALL_CELL`` of which one holds ``SMALL_CELL`` or more (otherwise a reader who replays these
rules would know every blank is under 5: 5, blank, blank with a total of 13 can only be 5, 4,
4); it hides more by its smallest shown cells, all those tied at that value at once (hiding one
of two equal cells would tell which by the order they are taken in). In a grid, a hidden cell
holding people that every row and column total together would pin down (no cycle of hidden
cells can move it) makes one more cell hidden.

What the tests (``tests/test_suppression_*.py``) check, by an attacker who solves the published
numbers (network flows) and knows that a hidden total is under 5: in a list, no hidden count
can be recovered, even by replaying the rules on every possible list (of up to four counts); in
a grid printed with its column totals only (the exports), no hidden count of 1 to 4 can be
recovered; with every row, column and grand total printed, neither, unless the table is so
thin that every cell is hidden (then print no total but the grand total). A hidden 0 may
sometimes be derived, e.g. in a line whose total is 0: it then says what a published 0 would,
that nobody is there.

Cells hidden only as secondary suppression hold 5 or more, and could be published on their
own: that one of them can sometimes be worked out discloses no small count.

A grid is treated as if its row totals, column totals and grand total were all published, so a
caller that prints fewer totals is protected at least as well. A grid of one row or one column
is a list: publish only its one total (the totals across it would be its cells).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence

SMALL_CELL = 5

Cell = tuple[int, int]


def published_total(values: Iterable[int | None]) -> int | None:
    """The total of ``values`` (the true counts, not the suppressed ones), or None when it is
    under ``SMALL_CELL`` and so is hidden itself."""
    total = sum(value or 0 for value in values)
    return total if total >= SMALL_CELL else None


def _is_small(value: int) -> bool:
    return value < SMALL_CELL


def _check_count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a count must be a whole number of 0 or more, not {value!r}")
    return value


def suppress_counts(
    counts: Mapping[str, int], *, total_published: bool = True
) -> dict[str, int | None]:
    """``counts`` with every count under ``SMALL_CELL`` hidden (None) and, when their total is
    published, the smallest shown counts too (all those tied at the smallest value at once)
    until the hidden ones number at least two, sum to at least ``SMALL_CELL`` and include one
    of ``SMALL_CELL`` or more (unless nothing is left shown). Order is kept."""
    values = {key: _check_count(value) for key, value in counts.items()}
    hidden = {key for key, value in values.items() if _is_small(value)}
    if total_published:
        while True:
            shown = [key for key in values if key not in hidden]
            if not _needs_more(values[key] for key in hidden) or not shown:
                break
            smallest = min(values[key] for key in shown)
            hidden.update(key for key in shown if values[key] == smallest)
    return {key: (None if key in hidden else value) for key, value in values.items()}


def _needs_more(hidden_values: Iterable[int]) -> bool:
    """Whether a line that still shows a cell must hide more: it hides one cell, or cells
    summing under ``SMALL_CELL`` (both would be bounded, or known, from the total), or only
    small cells (a reader who replays these rules would know each is under ``SMALL_CELL``,
    and could pin them: 5, blank, blank with a total of 13 could only be 5, 4, 4)."""
    values = list(hidden_values)
    if not values:
        return False
    return len(values) < 2 or sum(values) < SMALL_CELL or max(values) < SMALL_CELL


def suppress_grid(cells: Sequence[Sequence[int]]) -> list[list[int | None]]:
    """``cells`` (rows of counts) with every count under ``SMALL_CELL`` hidden (None), and more
    hidden until, with all row, column and grand totals known, each line that hides a cell
    hides at least two summing to at least ``SMALL_CELL``, and no hidden cell holding people
    has a value the totals pin down."""
    grid = [[_check_count(value) for value in row] for row in cells]
    if not grid:
        return []
    width = len(grid[0])
    if any(len(row) != width for row in grid):
        raise ValueError("every row of the grid must have as many cells")
    hidden = {
        (i, j) for i, row in enumerate(grid) for j, value in enumerate(row) if _is_small(value)
    }
    # A grid of one row (or one column) is a list: its other totals would be its cells, so
    # only its one total counts, and no cycle of hidden cells exists to check.
    is_list = len(grid) == 1 or width == 1
    while True:
        extra = _line_rule(grid, hidden)
        if not extra and not is_list:
            extra = _derivable_rule(grid, hidden)
        if not extra:
            break
        hidden.update(extra)
    return [
        [None if (i, j) in hidden else value for j, value in enumerate(row)]
        for i, row in enumerate(grid)
    ]


def _lines(grid: list[list[int]]) -> list[list[Cell]]:
    rows = [[(i, j) for j in range(len(grid[0]))] for i in range(len(grid))]
    columns = [[(i, j) for i in range(len(grid))] for j in range(len(grid[0]))]
    return rows + columns


def _smallest(grid: list[list[int]], cells: Iterable[Cell]) -> Cell | None:
    return min(cells, key=lambda cell: (grid[cell[0]][cell[1]], cell), default=None)


def _line_rule(grid: list[list[int]], hidden: set[Cell]) -> list[Cell]:
    """The next cells to hide in a line that hides too little (``_needs_more``) while it still
    shows some: its smallest shown cells, all those tied at that value (a line with a total
    under ``SMALL_CELL`` has every cell hidden already)."""
    for line in _lines(grid):
        shown = [cell for cell in line if cell not in hidden]
        if not shown or not _needs_more(grid[i][j] for i, j in line if (i, j) in hidden):
            continue
        smallest = min(grid[i][j] for i, j in shown)
        return [(i, j) for i, j in shown if grid[i][j] == smallest]
    return []


def _derivable_rule(grid: list[list[int]], hidden: set[Cell]) -> list[Cell]:
    """The next cell to hide because a hidden cell holding people could be worked out: the
    smallest shown cell in its row or column, or anywhere when those are all hidden."""
    for cell in sorted(hidden):
        if grid[cell[0]][cell[1]] == 0 or _can_change(grid, hidden, cell):
            continue
        i, j = cell
        near = [(i, k) for k in range(len(grid[0]))] + [(k, j) for k in range(len(grid))]
        extra = _smallest(grid, (c for c in near if c not in hidden))
        if extra is None:
            everywhere = (
                (a, b)
                for a in range(len(grid))
                for b in range(len(grid[0]))
                if (a, b) not in hidden
            )
            extra = _smallest(grid, everywhere)
        if extra is not None:
            return [extra]
    return []


def _can_change(grid: list[list[int]], hidden: set[Cell], cell: Cell) -> bool:
    """Whether another filling of the hidden cells, keeping every row and column total and no
    count below 0, gives ``cell`` a different value.

    Such a filling differs from the true one by a circulation: +1 and -1 alternating around a
    cycle of hidden cells (row, column, row, ...). So ``cell`` can go up by one when a path
    leads from its column back to its row, taking from cells that hold at least one person on
    the way back to a row and adding to any cell on the way to a column; and down by one
    (when it holds anyone) with the roles swapped. A shortest path never uses a cell twice."""
    return _cycle_through(grid, hidden, cell, taking_on_way_back=True) or (
        grid[cell[0]][cell[1]] > 0 and _cycle_through(grid, hidden, cell, taking_on_way_back=False)
    )


def _cycle_through(
    grid: list[list[int]], hidden: set[Cell], cell: Cell, *, taking_on_way_back: bool
) -> bool:
    start_row, start_column = cell
    others = hidden - {cell}
    by_column: dict[int, list[int]] = {}
    by_row: dict[int, list[int]] = {}
    for i, j in others:
        by_column.setdefault(j, []).append(i)
        by_row.setdefault(i, []).append(j)
    seen_columns = {start_column}
    seen_rows: set[int] = set()
    queue = deque([start_column])
    while queue:
        column = queue.popleft()
        for row in by_column.get(column, []):
            # Column to row: this cell gets the opposite change of ``cell``.
            if taking_on_way_back and grid[row][column] == 0:
                continue
            if row == start_row:
                return True
            if row in seen_rows:
                continue
            seen_rows.add(row)
            for next_column in by_row.get(row, []):
                # Row to column: the same change as ``cell``.
                if not taking_on_way_back and grid[row][next_column] == 0:
                    continue
                if next_column not in seen_columns:
                    seen_columns.add(next_column)
                    queue.append(next_column)
    return False

"""The attacker of the suppression tests: from what a suppressed table publishes (its shown
cells, and its totals as ``published_total`` gives them) and the rules (a hidden total is under
5), try to work out a hidden cell. A cell is recovered when every way of filling the blanks
that agrees with all published numbers gives it the same value.

Independent of ``reports.suppression``'s own reasoning (cycles of hidden cells): a grid's
fillings are flows in a network (source -> rows -> hidden cells -> columns -> sink), and a
value is possible for a cell exactly when the network with that value fixed can carry its
whole demand. The possible values of a cell form an interval (the fillings are the integer
points of a transportation polytope), so checking one more and one less is enough.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from safehaven.reports.suppression import SMALL_CELL, published_total

Grid = Sequence[Sequence[int]]
Shown = Sequence[Sequence[int | None]]
BIG = 10**9


def _max_flow(capacity: dict[str, dict[str, int]], source: str, sink: str) -> int:
    flow = 0
    while True:
        parents: dict[str, str] = {source: source}
        queue = deque([source])
        while queue and sink not in parents:
            node = queue.popleft()
            for nxt, room in capacity.get(node, {}).items():
                if room > 0 and nxt not in parents:
                    parents[nxt] = node
                    queue.append(nxt)
        if sink not in parents:
            return flow
        push, node = BIG, sink
        while node != source:
            push = min(push, capacity[parents[node]][node])
            node = parents[node]
        node = sink
        while node != source:
            before = parents[node]
            capacity[before][node] -= push
            capacity.setdefault(node, {})[before] = capacity.get(node, {}).get(before, 0) + push
            node = before
        flow += push


@dataclass(frozen=True)
class Published:
    """Which totals the table prints (each through ``published_total``): a hidden one tells
    the reader it is under 5; one not printed at all tells nothing."""

    row_totals: bool = True
    grand_total: bool = True


ALL_TOTALS = Published()
COLUMN_TOTALS_ONLY = Published(row_totals=False, grand_total=False)


def _fillable(
    grid: Grid,
    shown: Shown,
    fixed: dict[tuple[int, int], int],
    grand_hidden_sum: int,
    printed: Published,
) -> bool:
    """Whether the blanks but ``fixed`` can be filled (counts of 0 or more) so that every
    published total holds, every hidden total stays under 5, and the blanks sum to
    ``grand_hidden_sum``."""
    rows, columns = len(grid), len(grid[0])
    row_totals = [published_total(row) if printed.row_totals else None for row in grid]
    column_totals = [published_total(grid[i][j] for i in range(rows)) for j in range(columns)]

    def shown_sum(cells: list[tuple[int, int]]) -> int:
        return sum(shown[i][j] or 0 for i, j in cells)

    capacity: dict[str, dict[str, int]] = {}

    def edge(a: str, b: str, room: int) -> None:
        capacity.setdefault(a, {})[b] = capacity.get(a, {}).get(b, 0) + room

    remaining = grand_hidden_sum - sum(fixed.values())
    if remaining < 0:
        return False
    pool_rows = remaining
    for i in range(rows):
        line = [(i, j) for j in range(columns)]
        taken = shown_sum(line) + sum(v for c, v in fixed.items() if c[0] == i)
        row_total = row_totals[i]
        if row_total is not None:
            need = row_total - taken
            if need < 0:
                return False
            edge("source", f"r{i}", need)
            pool_rows -= need
        else:
            room = SMALL_CELL - 1 - taken if printed.row_totals else BIG
            if room < 0:
                return False
            edge("row pool", f"r{i}", room)
    if pool_rows < 0:
        return False
    edge("source", "row pool", pool_rows)
    pool_columns = remaining
    for j in range(columns):
        line = [(i, j) for i in range(rows)]
        taken = shown_sum(line) + sum(v for c, v in fixed.items() if c[1] == j)
        column_total = column_totals[j]
        if column_total is not None:
            need = column_total - taken
            if need < 0:
                return False
            edge(f"c{j}", "sink", need)
            pool_columns -= need
        else:
            room = SMALL_CELL - 1 - taken
            if room < 0:
                return False
            edge(f"c{j}", "column pool", room)
    if pool_columns < 0:
        return False
    edge("column pool", "sink", pool_columns)
    for i in range(rows):
        for j in range(columns):
            if shown[i][j] is None and (i, j) not in fixed:
                edge(f"r{i}", f"c{j}", BIG)
    return _max_flow(capacity, "source", "sink") == remaining


def _grand_hidden_sums(grid: Grid, shown: Shown, printed: Published) -> range:
    """What the blanks may sum to: exactly the rest of a published grand total, anything
    keeping a hidden grand total under 5, or (no grand total printed) anything up to the sum
    of every cell's line bounds (the flow itself checks each)."""
    shown_total = sum(value or 0 for row in shown for value in row)
    if not printed.grand_total:
        column_totals = [published_total(column) for column in zip(*grid, strict=True)]
        most = sum(SMALL_CELL - 1 if total is None else total for total in column_totals)
        return range(0, most + 1)
    grand = published_total(value for row in grid for value in row)
    if grand is not None:
        return range(grand - shown_total, grand - shown_total + 1)
    return range(0, SMALL_CELL - shown_total)


def possible(
    grid: Grid, shown: Shown, cell: tuple[int, int], value: int, printed: Published = ALL_TOTALS
) -> bool:
    if value < 0:
        return False
    return any(
        _fillable(grid, shown, {cell: value}, total, printed)
        for total in _grand_hidden_sums(grid, shown, printed)
    )


def recovered_cells(
    grid: Grid, shown: Shown, printed: Published = ALL_TOTALS
) -> list[tuple[int, int, int]]:
    """The hidden cells (row, column, value) whose value the published numbers pin down."""
    found = []
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if shown[i][j] is not None:
                continue
            assert possible(grid, shown, (i, j), value, printed), "the true filling must fit"
            if not possible(grid, shown, (i, j), value - 1, printed) and not possible(
                grid, shown, (i, j), value + 1, printed
            ):
                found.append((i, j, value))
    return found


def thin_lines(grid: Grid, shown: Shown) -> list[str]:
    """Lines with a published total that hide cells yet hide fewer than two, or a sum under 5,
    or only cells under 5, while they still show a cell (which could have been hidden)."""
    problems = []
    rows, columns = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(columns)] for i in range(rows)] + [
        [(i, j) for i in range(rows)] for j in range(columns)
    ]
    for number, line in enumerate(lines):
        values = [grid[i][j] for i, j in line]
        if published_total(values) is None or len(line) < 2:
            continue
        hidden = [grid[i][j] for i, j in line if shown[i][j] is None]
        still_shown = any(shown[i][j] is not None for i, j in line)
        too_little = len(hidden) < 2 or sum(hidden) < SMALL_CELL or max(hidden) < SMALL_CELL
        if hidden and still_shown and too_little:
            problems.append(f"line {number}: hides {hidden}")
    return problems

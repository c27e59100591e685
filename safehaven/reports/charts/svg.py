"""Charts drawn on the server as SVG: readable with JavaScript off, sized by their viewBox,
coloured by presentation attributes only (the CSP forbids inline styles), every label and value
written as text, and a text alternative (``<title>`` and ``<desc>``) named by
``aria-labelledby``. Each chart has a table view next to it (``reports/chart_table.html``).

Each chart's id (which its ``aria-labelledby`` names) is a digest of what the chart shows (and of
an optional ``key`` the caller gives to tell two identical charts apart): the same on every
render of the same figures, different for different charts on a page, and telling nothing else.
(A process-wide counter told a visitor of the public page how many charts the server had drawn
since it started: a measure of staff activity.)

A value of None is a suppressed cell (fewer than five people): it is drawn as a gap marked
"suppressed", never as a zero, so a reader cannot mistake it for nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Dark enough for white text-free bars to stand out on white (contrast above 4.5:1), and
# distinguishable for the common forms of colour blindness.
PALETTE = ("#1f4e79", "#8a4b08", "#1b6e3a", "#6b2c91")
TEXT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#555555"
AXIS_COLOUR = "#767676"
FONT = "sans-serif"

WIDTH = 640
ROW_HEIGHT = 28
LABEL_WIDTH = 200
VALUE_WIDTH = 110
MARGIN = 12
# Characters shown before a long label is cut (the table view keeps the whole label).
LABEL_CHARS = 28
AXIS_LABEL_CHARS = 10


class Bar(NamedTuple):
    """One labelled value of a chart; None means suppressed. A plain ``(label, value)`` tuple
    works wherever a Bar does."""

    label: str
    value: int | None


# A Bar or a plain (label, value) pair.
Point = Bar | tuple[str, int | None]


def bar_chart(bars: Iterable[Point], *, title: str, description: str, key: str = "") -> SafeString:
    """Horizontal bars, one row per label, longest bar the largest value."""
    rows = [Bar(str(label), value) for label, value in bars]
    height = _rows_height(rows)
    top = _largest(rows)
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * MARGIN
    parts: list[SafeString] = []
    for index, (label, value) in enumerate(rows):
        y = MARGIN + index * ROW_HEIGHT
        parts.append(_row_label(label, y))
        x = MARGIN + LABEL_WIDTH
        if value is None:
            parts.append(_suppressed_text(x + 4, y + ROW_HEIGHT / 2, anchor="start"))
            continue
        length = _scaled(value, top, bar_space)
        if length:
            parts.append(_rect(x, y + 4, length, ROW_HEIGHT - 8, PALETTE[0]))
        parts.append(_text(x + length + 6, y + ROW_HEIGHT / 2, _number(value), anchor="start"))
    return _svg(height, title, description, parts, empty=not rows, key=key)


def funnel_chart(
    stages: Iterable[Point], *, title: str, description: str, key: str = ""
) -> SafeString:
    """Centred bars narrowing stage after stage, each with its count and its share of the
    first stage."""
    rows = [Bar(str(label), value) for label, value in stages]
    height = _rows_height(rows)
    top = _largest(rows)
    first = rows[0].value if rows else None
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * MARGIN
    centre = MARGIN + LABEL_WIDTH + bar_space / 2
    parts: list[SafeString] = []
    for index, (label, value) in enumerate(rows):
        y = MARGIN + index * ROW_HEIGHT
        parts.append(_row_label(label, y))
        if value is None:
            parts.append(_suppressed_text(centre, y + ROW_HEIGHT / 2, anchor="middle"))
            continue
        length = _scaled(value, top, bar_space)
        colour = PALETTE[index % len(PALETTE)]
        if length:
            parts.append(_rect(centre - length / 2, y + 4, length, ROW_HEIGHT - 8, colour))
        figure = _number(value)
        if index and first:
            figure = f"{figure} ({round(100 * value / first)}%)"
        value_x = WIDTH - MARGIN - VALUE_WIDTH + 6
        parts.append(_text(value_x, y + ROW_HEIGHT / 2, figure, anchor="start"))
    return _svg(height, title, description, parts, empty=not rows, key=key)


def line_chart(
    points: Iterable[Point], *, title: str, description: str, key: str = ""
) -> SafeString:
    """Values joined left to right (e.g. one point a year); a suppressed point breaks the line
    and is marked "suppressed" where it would be."""
    rows = [Bar(str(label), value) for label, value in points]
    plot_top, plot_height = MARGIN + 16, 160
    height = plot_top + plot_height + 40
    top = _largest(rows)
    left, right = MARGIN + 40, WIDTH - MARGIN - 20
    step = (right - left) / (len(rows) - 1) if len(rows) > 1 else 0
    base = plot_top + plot_height
    parts: list[SafeString] = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            left,
            base,
            right,
            base,
            AXIS_COLOUR,
        )
    ]
    run: list[tuple[float, float]] = []
    for index, (label, value) in enumerate(rows):
        x = left + index * step if len(rows) > 1 else (left + right) / 2
        parts.append(_text(x, base + 18, _short(label, AXIS_LABEL_CHARS), anchor="middle"))
        if value is None:
            parts.append(_polyline(run))
            run = []
            parts.append(_suppressed_text(x, base - plot_height / 2, anchor="middle"))
            continue
        y = base - _scaled(value, top, plot_height)
        run.append((x, y))
        parts.append(
            format_html('<circle cx="{}" cy="{}" r="4" fill="{}"/>', _n(x), _n(y), PALETTE[0])
        )
        parts.append(_text(x, y - 10, _number(value), anchor="middle"))
    parts.append(_polyline(run))
    return _svg(height, title, description, parts, empty=not rows, key=key)


def _svg(
    height: float,
    title: str,
    description: str,
    parts: list[SafeString],
    *,
    empty: bool,
    key: str,
) -> SafeString:
    if empty:
        height = 2 * ROW_HEIGHT
        parts = [_text(WIDTH / 2, ROW_HEIGHT, _("No figures to show."), anchor="middle")]
    body = mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html
    chart_id = _chart_id(key, title, description, body)
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'font-family="{}" font-size="13" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        WIDTH,
        _n(height),
        FONT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )
    return format_html("{}{}</svg>", head, body)


def _chart_id(key: str, title: str, description: str, body: str) -> str:
    """An id from the chart's own text and drawing, with no state kept between renders. Two
    charts get the same id only if they are the same chart (title, description and figures);
    a page that shows one chart twice tells them apart by ``key``."""
    text = "\x1f".join((str(key), str(title), str(description), body))
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"chart-{digest[:12]}"


def _rows_height(rows: Sequence[Bar]) -> float:
    return 2 * MARGIN + len(rows) * ROW_HEIGHT


def _largest(rows: Sequence[Bar]) -> int:
    return max((value for _label, value in rows if value is not None and value > 0), default=0)


def _scaled(value: int, top: int, space: float) -> float:
    """The length of ``value`` when ``top`` fills ``space``; nothing when all are zero."""
    if top <= 0 or value <= 0:
        return 0.0
    return space * min(value, top) / top


def _row_label(label: str, y: float) -> SafeString:
    shown = _short(label, LABEL_CHARS)
    text = _text(MARGIN + LABEL_WIDTH - 8, y + ROW_HEIGHT / 2, shown, anchor="end")
    if shown == label:
        return text
    # The whole label stays readable as a tooltip and in the table view.
    return format_html("<g><title>{}</title>{}</g>", label, text)


def _suppressed_text(x: float, y: float, *, anchor: str) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" dominant-baseline="middle" text-anchor="{}" fill="{}" '
        'font-style="italic">{}</text>',
        _n(x),
        _n(y),
        anchor,
        MUTED_COLOUR,
        _("suppressed"),
    )


def _text(x: float, y: float, content: str, *, anchor: str) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" dominant-baseline="middle" text-anchor="{}" fill="{}">{}</text>',
        _n(x),
        _n(y),
        anchor,
        TEXT_COLOUR,
        content,
    )


def _rect(x: float, y: float, width: float, height: float, colour: str) -> SafeString:
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        _n(x),
        _n(y),
        _n(width),
        _n(height),
        colour,
    )


def _polyline(run: list[tuple[float, float]]) -> SafeString:
    if len(run) < 2:
        return SafeString("")
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
    return format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', points, PALETTE[0]
    )


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _number(value: int) -> str:
    return str(number_format(value, force_grouping=True))


def _n(value: float) -> str:
    """A coordinate written without locale or needless decimals."""
    return f"{value:.1f}".removesuffix(".0")

"""The server-drawn charts: well-formed SVG with a text alternative, escaped labels, no inline
style (the CSP forbids it), suppressed cells drawn as marked gaps, and no failure on empty,
zero or very long input."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from safehaven.reports.charts.svg import Bar, bar_chart, funnel_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"
DRAWERS = [bar_chart, line_chart, funnel_chart]


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed


def texts(svg: str) -> list[str]:
    return ["".join(node.itertext()) for node in parsed(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("draw", DRAWERS)
def test_it_names_its_title_and_description_for_screen_readers(draw) -> None:
    svg = draw([Bar("2017", 42)], title="People relocated", description="By year.")
    root = parsed(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert title.text == "People relocated"
    assert desc.text == "By year."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox", "").startswith("0 0 ")


def chart_id(svg: str) -> str:
    title = parsed(svg).find(f"{SVG}title")
    assert title is not None
    return str(title.get("id")).removesuffix("-title")


def test_it_gives_each_chart_its_own_ids() -> None:
    ids = {
        chart_id(bar_chart([Bar("a", 1)], title="A", description="a")),
        chart_id(bar_chart([Bar("a", 2)], title="A", description="a")),
        chart_id(bar_chart([Bar("a", 1)], title="B", description="a")),
        chart_id(bar_chart([Bar("a", 1)], title="A", description="b")),
        chart_id(line_chart([Bar("a", 1)], title="A", description="a")),
        chart_id(bar_chart([Bar("a", 1)], title="A", description="a", key="second")),
    }
    assert len(ids) == 6


def test_its_ids_keep_no_count_of_the_charts_drawn_before() -> None:
    """A process-wide counter put "chart-N" on the public page: how many charts the server had
    drawn since it started, a measure of staff activity, and different on every visit."""
    before = bar_chart([Bar("a", 1)], title="A", description="a")
    for number in range(50):  # the dashboard drawn by staff many times
        funnel_chart([Bar("x", number)], title="Funnel", description="d")
    after = bar_chart([Bar("a", 1)], title="A", description="a")
    assert after == before
    assert re.fullmatch(r"chart-[0-9a-f]{12}", chart_id(after))


@pytest.mark.parametrize("draw", DRAWERS)
def test_it_escapes_labels_titles_and_descriptions(draw) -> None:
    attack = '<script>alert(1)</script>" onload="x'
    svg = draw([Bar(attack, 3)], title=attack, description=attack)
    assert "<script" not in svg
    assert 'onload="x' not in svg
    root = parsed(svg)
    assert root.find(f"{SVG}title").text == attack  # type: ignore[union-attr]


@pytest.mark.parametrize("draw", DRAWERS)
def test_it_uses_no_inline_style(draw) -> None:
    svg = draw([Bar("a", 3), Bar("b", None), Bar("c", 0)], title="T", description="D")
    assert not re.search(r"\sstyle=", svg)
    assert "<style" not in svg
    assert "<script" not in svg


@pytest.mark.parametrize("draw", DRAWERS)
def test_it_draws_a_suppressed_value_as_a_marked_gap(draw) -> None:
    svg = draw([Bar("Shown", 12), Bar("Hidden", None)], title="T", description="D")
    assert "suppressed" in texts(svg)
    # The hidden cell's value is written nowhere, as a number or as a zero.
    assert "0" not in texts(svg)


def test_it_draws_no_bar_for_a_suppressed_value() -> None:
    shown = parsed(bar_chart([Bar("a", 12), Bar("b", 7)], title="T", description="D"))
    gapped = parsed(bar_chart([Bar("a", 12), Bar("b", None)], title="T", description="D"))
    assert len(shown.findall(f"{SVG}rect")) == 2
    assert len(gapped.findall(f"{SVG}rect")) == 1


def test_it_breaks_the_line_at_a_suppressed_point() -> None:
    points = [Bar("2014", 9), Bar("2015", 8), Bar("2016", None), Bar("2017", 7), Bar("2018", 6)]
    root = parsed(line_chart(points, title="T", description="D"))
    lines = root.findall(f"{SVG}polyline")
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]
    assert len(root.findall(f"{SVG}circle")) == 4


@pytest.mark.parametrize("draw", DRAWERS)
def test_it_says_so_when_there_is_nothing_to_draw(draw) -> None:
    svg = draw([], title="T", description="D")
    assert texts(svg) == ["No figures to show."]


@pytest.mark.parametrize("draw", DRAWERS)
def test_it_draws_zeros_without_dividing_by_them(draw) -> None:
    svg = draw([Bar("a", 0), Bar("b", 0)], title="T", description="D")
    assert texts(svg).count("0") == 2
    for rect in parsed(svg).iter(f"{SVG}rect"):
        assert float(rect.get("width", "0")) > 0  # no empty rectangles for zeros


def test_it_scales_bars_to_the_largest_value() -> None:
    root = parsed(bar_chart([Bar("a", 50), Bar("b", 100)], title="T", description="D"))
    widths = [float(rect.get("width", "0")) for rect in root.findall(f"{SVG}rect")]
    assert widths[1] == pytest.approx(2 * widths[0])


def test_it_shows_each_stage_of_the_funnel_as_a_share_of_the_first() -> None:
    stages = [Bar("Asked", 200), Bar("Verified", 50), Bar("Relocated", 0)]
    assert texts(funnel_chart(stages, title="T", description="D"))[1::2] == [
        "200",
        "50 (25%)",
        "0 (0%)",
    ]


def test_it_shows_no_share_when_the_first_stage_is_suppressed() -> None:
    stages = [Bar("Asked", None), Bar("Verified", 50)]
    assert "50" in texts(funnel_chart(stages, title="T", description="D"))


def test_it_cuts_a_long_label_and_keeps_it_whole_in_a_tooltip() -> None:
    label = "Canada: Private Sponsorship of Refugees or Blended Visa Office-Referred"
    svg = bar_chart([Bar(label, 8)], title="T", description="D")
    shown = texts(svg)[0]
    assert shown.endswith("…")
    assert len(shown) <= 28
    group = parsed(svg).find(f"{SVG}g")
    assert group is not None
    tooltip = group.find(f"{SVG}title")
    assert tooltip is not None
    assert tooltip.text == label


def test_it_takes_plain_pairs_as_bars() -> None:
    pairs = bar_chart([("a", 3), ("b", None)], title="T", description="D")
    bars = bar_chart([Bar("a", 3), Bar("b", None)], title="T", description="D")
    assert pairs == bars


def test_the_table_view_lists_every_row_and_marks_suppressed_ones() -> None:
    label = "Canada: Private Sponsorship of Refugees or Blended Visa Office-Referred"
    html = render_to_string(
        "reports/chart_table.html",
        {"title": "By pathway <b>", "rows": [(label, 12), ("Support in place", None)]},
    )
    assert "<caption>By pathway &lt;b&gt;</caption>" in html
    assert f'<th scope="row">{label}</th><td>12</td>' in html
    assert '<th scope="row">Support in place</th><td><em>suppressed</em></td>' in html


def test_the_table_view_says_so_when_empty() -> None:
    html = render_to_string("reports/chart_table.html", {"title": "T", "rows": []})
    assert "No figures to show." in html

"""The report's bar charts: SVG drawn by our own code, checked by parsing what it writes."""

import xml.etree.ElementTree as ET

import pytest

from app.entrypoints.cli.report_svg import Bar, ChartBox, count_ticks, horizontal_bars, vertical_bars

SVG = "{http://www.w3.org/2000/svg}"
BOX = ChartBox(width=600, height=400)


def bars_of(svg: str) -> list[ET.Element]:
    return [r for r in ET.fromstring(svg).iter(f"{SVG}rect") if r.get("class") == "bar"]


def texts_of(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (8, [0, 2, 4, 6, 8]),
        (11, [0, 5, 10, 15]),
        (100_000, [0, 20_000, 40_000, 60_000, 80_000, 100_000]),
        (73_412, [0, 20_000, 40_000, 60_000, 80_000]),
    ],
)
def test_count_axis_has_whole_round_ticks_covering_the_largest_bar(maximum, ticks):
    assert count_ticks(maximum) == ticks


def test_vertical_bar_heights_are_proportional_to_the_counts():
    bars = [Bar(label=name, value=value, color="#123456") for name, value in [("a", 10), ("b", 5), ("c", 0)]]
    svg = vertical_bars("Leads", bars, BOX, "Leads")
    heights = [float(r.get("height", "")) for r in bars_of(svg)]
    assert heights[0] > 0 and heights[1] == pytest.approx(heights[0] / 2, abs=0.11) and heights[2] == 0
    assert all(r.get("fill") == "#123456" for r in bars_of(svg))
    # Bars stand on the same baseline.
    bottoms = {round(float(r.get("y", "")) + float(r.get("height", "")), 1) for r in bars_of(svg)}
    assert len(bottoms) == 1


def test_horizontal_bars_put_the_first_item_on_top_with_the_longest_bar():
    bars = [Bar(label="python", value=9, color="#000"), Bar(label="sql", value=3, color="#000")]
    svg = horizontal_bars("Intereses", bars, ChartBox(width=600, height=400, left=170), "Leads")
    first, second = bars_of(svg)
    assert float(first.get("y", "")) < float(second.get("y", ""))
    assert float(first.get("width", "")) == pytest.approx(3 * float(second.get("width", "")), abs=0.11)


def test_every_bar_has_a_tooltip_and_labels_are_escaped_text():
    label = '<script>alert("x")</script> & co'
    svg = vertical_bars("Título & más", [Bar(label=label, value=1234, color="#000")], BOX, "Leads", value_labels=True)
    (bar,) = bars_of(svg)
    assert bar.find(f"{SVG}title").text == f"{label}: 1,234"  # type: ignore[union-attr]
    assert "<script>" not in svg
    assert "Título & más" in texts_of(svg) and "1,234" in texts_of(svg)


def test_hidden_category_labels_are_skipped_but_the_bars_stay():
    bars = [Bar(label=f"{day:02d}/11", value=1, color="#000", show_label=day % 5 == 0) for day in range(1, 31)]
    svg = vertical_bars("Nuevos", bars, BOX, "Leads")
    assert len(bars_of(svg)) == 30
    assert [t for t in texts_of(svg) if t.endswith("/11")] == [f"{d:02d}/11" for d in (5, 10, 15, 20, 25, 30)]

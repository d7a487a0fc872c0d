"""Bar charts as static SVG: a few kilobytes each, drawn by the browser with no script.

The HTML report used to embed a charting library (4.8 MB of JavaScript) for four bar charts.
These charts need only bars, a count axis with whole-number ticks, labels and a tooltip per
bar (an SVG <title>, shown when hovering), so they are written here directly. The size of the
markup depends on the number of bars, never on the number of leads behind them.
"""

from __future__ import annotations

import html
import math

from pydantic import BaseModel, ConfigDict

AXIS_COLOR = "#6b7280"
GRID_COLOR = "#e5e7eb"
TEXT_COLOR = "#111827"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
TARGET_TICKS = 5
_TITLE_SPACE = 46
_AXIS_TITLE_X = 16  # the rotated count-axis title, clear of tick labels up to "100,000"
_LABEL_CHARS = 24  # longer category labels are shortened (the tooltip keeps the full text)


class Bar(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    value: int
    color: str
    show_label: bool = True  # False: the category axis skips this label (dense axes)


class ChartBox(BaseModel):
    """The chart's size and the margins left for labels (pixels)."""

    model_config = ConfigDict(frozen=True)

    width: int
    height: int
    left: int = 70
    right: int = 28
    bottom: int = 60


def count_ticks(maximum: int) -> list[int]:
    """Whole-number ticks from 0 past `maximum`, steps of 1, 2 or 5 times a power of ten."""
    if maximum <= 0:
        return [0, 1]
    raw_step = max(1.0, maximum / TARGET_TICKS)
    power = 10 ** math.floor(math.log10(raw_step))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw_step)
    top = math.ceil(maximum / step) * step
    return list(range(0, top + 1, step))


def vertical_bars(
    title: str, bars: list[Bar], box: ChartBox, axis_title: str, *, category_title: str = "", value_labels: bool = False
) -> str:
    """Categories along the bottom, counts up the left."""
    ticks = count_ticks(max((b.value for b in bars), default=0))
    plot_w, plot_h = box.width - box.left - box.right, box.height - _TITLE_SPACE - box.bottom
    base_y = _TITLE_SPACE + plot_h
    parts = [_grid_horizontal(ticks, box, plot_h)]
    slot = plot_w / max(len(bars), 1)
    for index, bar in enumerate(bars):
        height = plot_h * bar.value / ticks[-1]
        x = box.left + index * slot + slot * 0.15
        parts.append(_rect(bar, x, base_y - height, slot * 0.7, height))
        centre = x + slot * 0.35
        if bar.show_label:
            parts.append(_text(centre, base_y + 16, _short(bar.label), anchor="middle"))
        if value_labels:
            parts.append(_text(centre, base_y - height - 5, f"{bar.value:,}", anchor="middle", weight="bold"))
    parts.append(_text(_AXIS_TITLE_X, _TITLE_SPACE + plot_h / 2, axis_title, anchor="middle", rotate=True))
    if category_title:
        parts.append(_text(box.left + plot_w / 2, box.height - 12, category_title, anchor="middle"))
    return _svg(title, box, parts)


def horizontal_bars(title: str, bars: list[Bar], box: ChartBox, axis_title: str) -> str:
    """Categories down the left (first on top), counts along the bottom."""
    ticks = count_ticks(max((b.value for b in bars), default=0))
    plot_w, plot_h = box.width - box.left - box.right, box.height - _TITLE_SPACE - box.bottom
    parts = [_grid_vertical(ticks, box, plot_w, plot_h)]
    slot = plot_h / max(len(bars), 1)
    for index, bar in enumerate(bars):
        width = plot_w * bar.value / ticks[-1]
        y = _TITLE_SPACE + index * slot + slot * 0.15
        parts.append(_rect(bar, box.left, y, width, slot * 0.7))
        parts.append(_text(box.left - 6, y + slot * 0.35 + 4, _short(bar.label), anchor="end"))
    parts.append(_text(box.left + plot_w / 2, box.height - 12, axis_title, anchor="middle"))
    return _svg(title, box, parts)


def _svg(title: str, box: ChartBox, parts: list[str]) -> str:
    heading = _text(12, 26, title, anchor="start", size=16)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{box.width}" height="{box.height}" '
        f'viewBox="0 0 {box.width} {box.height}" font-family="{FONT}" font-size="12" fill="{TEXT_COLOR}" '
        f'role="img" aria-label="{html.escape(title)}">{heading}{"".join(parts)}</svg>'
    )


def _grid_horizontal(ticks: list[int], box: ChartBox, plot_h: float) -> str:
    lines = []
    right = box.width - box.right
    for tick in ticks:
        y = _TITLE_SPACE + plot_h - plot_h * tick / ticks[-1]
        colour = AXIS_COLOR if tick == 0 else GRID_COLOR
        lines.append(f'<line x1="{box.left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{colour}"/>')
        lines.append(_text(box.left - 6, y + 4, f"{tick:,}", anchor="end"))
    return "".join(lines)


def _grid_vertical(ticks: list[int], box: ChartBox, plot_w: float, plot_h: float) -> str:
    lines = []
    bottom = _TITLE_SPACE + plot_h
    for tick in ticks:
        x = box.left + plot_w * tick / ticks[-1]
        colour = AXIS_COLOR if tick == 0 else GRID_COLOR
        lines.append(f'<line x1="{x:.1f}" y1="{_TITLE_SPACE}" x2="{x:.1f}" y2="{bottom}" stroke="{colour}"/>')
        lines.append(_text(x, bottom + 16, f"{tick:,}", anchor="middle"))
    return "".join(lines)


def _rect(bar: Bar, x: float, y: float, width: float, height: float) -> str:
    tooltip = html.escape(f"{bar.label}: {bar.value:,}")
    return (
        f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{bar.color}"><title>{tooltip}</title></rect>'
    )


def _text(
    x: float, y: float, content: str, *, anchor: str, size: int = 12, weight: str = "normal", rotate: bool = False
) -> str:
    transform = f' transform="rotate(-90 {x:.1f} {y:.1f})"' if rotate else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}"'
        f"{transform}>{html.escape(content)}</text>"
    )


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"

"""Server-side SVG charts, the same picture on the page and in the PDF.

Only presentation attributes and classes (no style attributes), so pages keep a strict CSP. Every chart
is followed by «Таблица»: the same figures as a table (for screen readers, phones and copying).
Ticks are round numbers; when every value is a whole number (counts of schools, cards, pupils) they are
whole numbers too, never 1,1 or 2,2. Per-school series (`connect=False`) are drawn as markers only: a
line between unrelated schools would suggest a trend that does not exist.

A value may be a string: a figure that may not be shown as a number (a public count below k, «<10»). It
is drawn as a gap (line) or as its text without a bar (bars), and the table shows the string.
"""

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from . import formatting

PALETTE = ("#1f5fa8", "#d9822b", "#2e8b57", "#b03a48", "#6a4c93", "#4a4a4a")
LEGEND_ROW = 18
CHAR_WIDTH = 7  # an estimate of one 11 px character, for laying out the legend
TITLE_CHAR_WIDTH = 8  # the same for the 13 px bold title
PHONE_WIDTH = 320  # a second, narrower drawing shown on phones, where the wide one would shrink its text


@dataclass
class Series:
    label: str
    values: Sequence[float | str | None]
    dashed: bool = False


def _plotted(value) -> bool:
    return value is not None and not isinstance(value, str)


def _fmt(value: float) -> str:
    return formatting.number(formatting.rounded(value, 1))


def axis_ticks(values: Sequence[float]) -> list[float]:
    """Round tick values from 0 (or below, for negatives) to just above the largest value: a step of
    1, 2 or 5 × 10ⁿ giving at most six intervals; whole steps (at least 1) when all values are whole."""
    low = min([0.0, *values])
    high = max([0.0, *values])
    whole = all(float(v).is_integer() for v in values)
    if high == low:
        high = low + (1 if whole else 1.0)
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw - 1e-12)
    if whole:
        step = max(step, 1)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    count = round((last - first) / step)
    return [round(first + k * step, 10) for k in range(count + 1)]


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 260,
    unit: str = "",
    axis: str = "",
    connect: bool = True,
    category: str = "Учебный год",
    table_open: bool = False,
) -> SafeString:
    """Several series over categories (usually years); gaps where a value is None. `axis` names the unit
    of the vertical axis («школ», «%», «баллов»); `connect=False` draws markers without lines."""
    options = dict(title=title, categories=categories, series=series, height=height, unit=unit, axis=axis)
    narrow = ""
    if width <= 640 and len(categories) <= 6:
        narrow = _line_svg(**options, width=PHONE_WIDTH, connect=connect, variant="chart-narrow")
    wide = _line_svg(**options, width=width, connect=connect, variant="chart-wide" if narrow else "")
    table = _table(
        title,
        [category, *[s.label for s in series]],
        [[str(c), *[_cell(s.values[i], unit) for s in series]] for i, c in enumerate(categories)],
        is_open=table_open,
    )
    return mark_safe(wide + narrow + table)


def _line_svg(*, title, categories, series, width, height, unit, axis, connect, variant) -> str:
    title_lines = _title_lines(title, width)
    legend_rows = _legend_layout([s.label for s in series], 48, width - 8)
    extra_rows = max(len({row for _, row in legend_rows}) - 1, 0)
    top = 12 + 16 * len(title_lines)
    left, right, bottom = 48, 40, 56 + LEGEND_ROW * extra_rows  # room for the legend rows
    height += LEGEND_ROW * extra_rows + top - 28
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if _plotted(v)]
    ticks = axis_ticks(values)
    low, high = ticks[0], ticks[-1]
    step = plot_w / max(len(categories) - 1, 1)

    def x(i):
        return left + (i * step if len(categories) > 1 else plot_w / 2)

    def y(v):
        return top + plot_h - (v - low) / (high - low) * plot_h

    parts = [_open(width, height, title, title_lines, variant), _axes(left, top, plot_w, ticks, y, axis)]
    for i, name in enumerate(categories):
        parts.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="chart-tick">'
            f"{escape(str(name))}</text>"
        )
    for n, s in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        segment: list[str] = []
        for i, v in enumerate(s.values):
            if not _plotted(v):
                parts.append(_polyline(segment, color, dash) if connect else "")
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(v):.1f}")
            parts.append(
                f"{_marker(x(i), y(v), n, color)}"
                f"<title>{escape(s.label)}: {escape(str(categories[i]))} — {_fmt(v)}{escape(unit)}</title>"
                f"</{_marker_tag(n)}>"
            )
        if connect:
            parts.append(_polyline(segment, color, dash))
    parts.append(_legend(series, legend_rows, top + plot_h + 38, connect))
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | str | None],
    width: int = 640,
    unit: str = "",
    axis: str = "",
    highlight: Sequence[bool] | None = None,
    category: str = "Категория",
    table_open: bool = False,
) -> SafeString:
    """Horizontal bars, one per label; None is drawn as «нет данных». `axis` names what the bars count
    («школ», «карт»), shown under the bars."""
    options = dict(title=title, labels=labels, values=values, unit=unit, axis=axis, highlight=highlight)
    narrow = _bar_svg(**options, width=PHONE_WIDTH, variant="chart-narrow") if width <= 640 else ""
    wide = _bar_svg(**options, width=width, variant="chart-wide" if narrow else "")
    table = _table(
        title,
        [category, axis or "Значение"],
        [[label, _cell(v, unit)] for label, v in zip(labels, values, strict=True)],
        is_open=table_open,
    )
    return mark_safe(wide + narrow + table)


def _bar_svg(*, title, labels, values, width, unit, axis, highlight, variant) -> str:
    title_lines = _title_lines(title, width)
    row_h, right, top = 22, 60, 12 + 16 * len(title_lines)
    left, label_chars = (200, 30) if width > PHONE_WIDTH else (150, 21)
    height = top + row_h * max(len(labels), 1) + (30 if axis else 12)
    known = [v for v in values if _plotted(v)]
    ticks = axis_ticks(known)
    low, high = ticks[0], ticks[-1]
    plot_w = width - left - right
    parts = [_open(width, height, title, title_lines, variant)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y0 = top + i * row_h
        short = label if len(label) <= label_chars else label[: label_chars - 1] + "…"
        parts.append(
            f'<text x="{left - 6}" y="{y0 + 15}" text-anchor="end" class="chart-label">{escape(short)}</text>'
        )
        if not _plotted(value):
            text = escape(value) if isinstance(value, str) else "нет данных"
            parts.append(f'<text x="{left + 4}" y="{y0 + 15}" class="chart-tick">{text}</text>')
            continue
        bar_w = max((value - low) / (high - low) * plot_w, 1)
        color = PALETTE[3] if highlight and highlight[i] else PALETTE[0]
        parts.append(
            f'<rect x="{left}" y="{y0 + 3}" width="{bar_w:.1f}" height="{row_h - 6}" fill="{color}">'
            f"<title>{escape(label)}: {_fmt(value)}{escape(unit)}</title></rect>"
        )
        parts.append(
            f'<text x="{left + bar_w + 4:.1f}" y="{y0 + 15}" class="chart-tick">'
            f"{_fmt(value)}{escape(unit)}</text>"
        )
    if axis:
        parts.append(
            f'<text x="{left}" y="{height - 8}" class="chart-unit">Длина полосы: {escape(axis)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _cell(value, unit: str) -> str:
    if isinstance(value, str):
        return value
    return "нет данных" if value is None else f"{_fmt(value)}{unit}"


def _table(title: str, head: list[str], rows: list[list[str]], *, is_open: bool = False) -> str:
    header = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{escape(row[0])}</th>'
        + "".join(
            f'<td data-label="{escape(h)}">{escape(c)}</td>' for h, c in zip(head[1:], row[1:], strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<details class="chart-table"{" open" if is_open else ""}><summary>Таблица</summary>'
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="Таблица: {escape(title)}">'
        f'<table class="data-table"><caption>{escape(title)}</caption><thead><tr>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table></div></details>"
    )


def _title_lines(title: str, width: int) -> list[str]:
    return textwrap.wrap(title, (width - 16) // TITLE_CHAR_WIDTH) or [""]


def _open(width: int, height: int, title: str, lines: list[str], variant: str) -> str:
    kind = f"chart {variant}".strip()
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{kind}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        + "".join(
            f'<text x="8" y="{16 + 16 * n}" class="chart-title">{escape(line)}</text>'
            for n, line in enumerate(lines)
        )
    )


def _axes(left, top, plot_w, ticks, y, axis) -> str:
    lines = []
    for value in ticks:
        level = f"{y(value):.1f}"
        lines.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{level}" y2="{level}" stroke="#e3e6ea"/>')
        lines.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" class="chart-tick">'
            f"{_fmt(value)}</text>"
        )
    lines.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{y(ticks[0]):.1f}" stroke="#8a8f98"/>')
    if axis:  # along the vertical axis, read bottom to top
        middle = (top + y(ticks[0])) / 2
        lines.append(
            f'<text x="12" y="{middle:.1f}" transform="rotate(-90 12 {middle:.1f})" text-anchor="middle" '
            f'class="chart-unit">{escape(axis)}</text>'
        )
    return "".join(lines)


def _marker_tag(n: int) -> str:
    return "circle" if n % 2 == 0 else "rect"


def _marker(cx: float, cy: float, n: int, color: str) -> str:
    """A circle for the 1st, 3rd… series and a square for the others (told apart without colour)."""
    if n % 2 == 0:
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{color}">'
    return f'<rect x="{cx - 3.5:.1f}" y="{cy - 3.5:.1f}" width="7" height="7" fill="{color}">'


def _polyline(points: list[str], color: str, dash: str) -> str:
    if len(points) < 2:
        return ""
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2"{dash}/>'


def _legend_layout(labels: list[str], x0: int, right_edge: int) -> list[tuple[int, int]]:
    """(x, row) of each legend entry: entries wrap to a new row instead of running off the chart."""
    positions, x, row = [], x0, 0
    for label in labels:
        entry = 30 + CHAR_WIDTH * len(label)
        if x > x0 and x + entry > right_edge:
            x, row = x0, row + 1
        positions.append((x, row))
        x += entry
    return positions


def _legend(series, layout, y0: int, connect: bool) -> str:
    parts = []
    for n, (s, (x, row)) in enumerate(zip(series, layout, strict=True)):
        color = PALETTE[n % len(PALETTE)]
        y = y0 + row * LEGEND_ROW
        if connect:
            dash = ' stroke-dasharray="6 4"' if s.dashed else ""
            parts.append(
                f'<line x1="{x}" x2="{x + 18}" y1="{y}" y2="{y}" stroke="{color}" stroke-width="2"{dash}/>'
            )
        else:
            parts.append(_marker(x + 9, y, n, color) + f"</{_marker_tag(n)}>")
        parts.append(f'<text x="{x + 22}" y="{y + 4}" class="chart-tick">{escape(s.label)}</text>')
    return "".join(parts)

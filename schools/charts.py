"""Server-side SVG charts, the same picture on the page and in the PDF.

Only presentation attributes and classes (no style attributes), so pages keep a strict CSP.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#1f5fa8", "#d9822b", "#2e8b57", "#b03a48", "#6a4c93", "#4a4a4a")


@dataclass
class Series:
    label: str
    values: Sequence[float | None]
    dashed: bool = False


def _fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _scale(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    low = min(0.0, low)
    if high == low:
        high = low + 1
    return low, high + (high - low) * 0.08


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 260,
    unit: str = "",
) -> SafeString:
    """A line chart of several series over categories (usually years); gaps where a value is None."""
    left, right, top, bottom = 48, 40, 28, 56  # room for the last category label
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    low, high = _scale(values)
    step = plot_w / max(len(categories) - 1, 1)

    def x(i):
        return left + (i * step if len(categories) > 1 else plot_w / 2)

    def y(v):
        return top + plot_h - (v - low) / (high - low) * plot_h

    parts = [_open(width, height, title), _axes(left, top, plot_w, plot_h, low, high, unit)]
    for i, category in enumerate(categories):
        parts.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="chart-tick">'
            f"{escape(str(category))}</text>"
        )
    for n, s in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        segment: list[str] = []
        for i, v in enumerate(s.values):
            if v is None:
                parts.append(_polyline(segment, color, dash))
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(v):.1f}")
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{color}">'
                f"<title>{escape(s.label)}: {escape(str(categories[i]))} — {_fmt(v)}{escape(unit)}</title>"
                "</circle>"
            )
        parts.append(_polyline(segment, color, dash))
    parts.append(_legend([s.label for s in series], left, height - 18, [s.dashed for s in series]))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    width: int = 640,
    unit: str = "",
    highlight: Sequence[bool] | None = None,
) -> SafeString:
    """Horizontal bars, one per label; None is drawn as «нет данных»."""
    row_h, left, right, top = 22, 200, 60, 28
    height = top + row_h * max(len(labels), 1) + 12
    known = [v for v in values if v is not None]
    low, high = _scale(known)
    plot_w = width - left - right
    parts = [_open(width, height, title)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y0 = top + i * row_h
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{left - 6}" y="{y0 + 15}" text-anchor="end" class="chart-label">{escape(short)}</text>'
        )
        if value is None:
            parts.append(f'<text x="{left + 4}" y="{y0 + 15}" class="chart-tick">нет данных</text>')
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
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<text x="8" y="16" class="chart-title">{escape(title)}</text>'
    )


def _axes(left, top, plot_w, plot_h, low, high, unit) -> str:
    lines = []
    for k in range(5):
        value = low + (high - low) * k / 4
        y = top + plot_h - plot_h * k / 4
        lines.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e6ea"/>')
        lines.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart-tick">{_fmt(value)}</text>'
        )
    lines.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#8a8f98"/>')
    return "".join(lines)


def _polyline(points: list[str], color: str, dash: str) -> str:
    if len(points) < 2:
        return ""
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2"{dash}/>'


def _legend(labels: list[str], x0: int, y: int, dashed: list[bool]) -> str:
    parts, x = [], x0
    for n, label in enumerate(labels):
        color = PALETTE[n % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if dashed[n] else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 18}" y1="{y}" y2="{y}" stroke="{color}" stroke-width="2"{dash}/>'
        )
        parts.append(f'<text x="{x + 22}" y="{y + 4}" class="chart-tick">{escape(label)}</text>')
        x += 30 + 7 * len(label)
    return "".join(parts)

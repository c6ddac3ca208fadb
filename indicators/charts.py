"""Server-side SVG charts of the ШНОР/ШНСУ lists over the years.

(schools.charts: the same picture on pages and in PDFs.)
"""

from django.utils.safestring import SafeString

from schools import formatting
from schools.charts import Series, line_chart

from .selectors import LISTS


def year_label(year: int) -> str:
    return formatting.school_year(year)


def list_sizes_chart(*, history: dict, width: int = 640, height: int = 260) -> SafeString | None:
    """Schools on each list per year; `history` as from selectors.list_history."""
    if not history:
        return None
    return line_chart(
        title="Число школ в списках ШНОР и ШНСУ по годам",
        categories=[year_label(y) for y in history],
        series=[Series(title, [history[y][kind]["count"] for y in history]) for kind, title in LISTS.items()],
        width=width,
        height=height,
        axis="школ",
    )


def list_moves_chart(*, history: dict) -> SafeString | None:
    """Schools that entered (solid) and left (dashed) each list per year; None without two computed years."""
    if not any(row[kind]["entered"] is not None for row in history.values() for kind in LISTS):
        return None
    series = []
    for kind, title in LISTS.items():
        series.append(Series(f"вошли в {title}", [history[y][kind]["entered"] for y in history]))
        series.append(Series(f"вышли из {title}", [history[y][kind]["left"] for y in history], dashed=True))
    return line_chart(
        title="Вошли в списки и вышли из них по годам",
        categories=[year_label(y) for y in history],
        series=series,
        axis="школ",
    )

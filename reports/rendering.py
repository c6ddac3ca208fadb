"""Turning a report's data snapshot into its PDF and xlsx.

The snapshot (built by `reports.builders`) is plain JSON: sections with paragraphs, table keys and chart
specs, and a dict of tables in the neutral form of `reports.masking`. Rendering never queries the
database, so the internal files (at build time) and the public ones (at publication, from the masked copy)
come out of the same code.
"""

from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from schools import formatting
from schools.charts import Series, bar_chart, line_chart
from schools.exports import Sheet, workbook_bytes

from . import masking
from .pdf import render_pdf

HIDDEN_SHARE = "скрыто"
NO_DATA = "—"


def format_number(value, kind: str, masked: bool = False) -> str:
    """A cell as printed: Russian decimal comma, thin-space thousands, "<k" and hidden shares kept."""
    if value is None:
        return HIDDEN_SHARE if kind == masking.SHARE and masked else NO_DATA
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "да" if value else "нет"
    if kind == masking.SHARE or isinstance(value, float | Decimal):
        return formatting.number(value, 1, grouping=True)
    return formatting.number(int(value), grouping=True)


def formatted_table(table: dict) -> dict:
    """The table with every cell formatted, plus the CSS class of each column."""
    kinds = table.get("kinds", [])
    masked = table.get("masked", False)
    rows = [
        [
            {
                "text": format_number(value, kinds[i] if i < len(kinds) else masking.TEXT, masked),
                "num": (kinds[i] if i < len(kinds) else masking.TEXT) != masking.TEXT,
            }
            for i, value in enumerate(row)
        ]
        for row in table.get("rows", [])
    ]
    headers = [
        {"text": header, "num": i < len(kinds) and kinds[i] != masking.TEXT}
        for i, header in enumerate(table.get("headers", []))
    ]
    weights = table.get("weights") or [3 if kind == masking.TEXT else 2 for kind in kinds] or [1]
    total = sum(weights)
    widths = [round(100 * w / total, 2) for w in weights]
    return {**table, "rows": rows, "header_cells": headers, "widths": widths}


# WeasyPrint does not apply stylesheet rules to inline SVG text; the PDF gets the same sizes as attributes.
SVG_TEXT_ATTRIBUTES = {
    'class="chart-title"': 'class="chart-title" font-size="13" font-weight="bold" font-family="DejaVu Sans"',
    'class="chart-tick"': 'class="chart-tick" font-size="11" fill="#5b6470" font-family="DejaVu Sans"',
    'class="chart-label"': 'class="chart-label" font-size="11" fill="#1d2530" font-family="DejaVu Sans"',
    'class="chart-unit"': 'class="chart-unit" font-size="11" fill="#1d2530" font-family="DejaVu Sans"',
}


def chart_svg(spec: dict) -> str:
    svg = str(_chart(spec))
    svg = svg[: svg.index("</svg>") + len("</svg>")]  # the PDF prints the report's own tables instead
    for plain, styled in SVG_TEXT_ATTRIBUTES.items():
        svg = svg.replace(plain, styled)
    return mark_safe(svg)


def chart_html(spec: dict):
    """A report chart for a web page: the drawing with its table shown beside it (the public HTML copy)."""
    return _chart(spec, table_open=True)


def _chart(spec: dict, *, table_open: bool = False):
    if spec.get("type") == "bar":
        return bar_chart(
            title=spec["title"],
            labels=spec["labels"],
            values=spec["values"],
            unit=spec.get("unit", ""),
            axis=spec.get("axis", ""),
            highlight=spec.get("highlight"),
            table_open=table_open,
        )
    return line_chart(
        title=spec["title"],
        categories=spec["categories"],
        unit=spec.get("unit", ""),
        axis=spec.get("axis", ""),
        connect=spec.get("connect", True),
        series=[Series(s["label"], s["values"], s.get("dashed", False)) for s in spec["series"]],
        table_open=table_open,
    )


def template_context(report, data: dict, *, web: bool = False) -> dict:
    """What the report template prints; `web` draws the charts for a page (each with its table)."""
    # only the tables the PDF prints are formatted: the per-school annexes of the xlsx can hold 180,000 rows
    shown = {key for section in data.get("sections", []) for key in section.get("tables", [])}
    shown.update(data.get("annex", []))
    tables = {key: formatted_table(table) for key, table in data.get("tables", {}).items() if key in shown}
    draw = chart_html if web else chart_svg
    sections = []
    for section in data.get("sections", []):
        sections.append(
            {
                **section,
                "tables": [tables[key] for key in section.get("tables", []) if key in tables],
                "charts": [draw(spec) for spec in section.get("charts", [])],
            }
        )
    annex = [tables[key] for key in data.get("annex", []) if key in tables]
    return {
        "report": report,
        "data": data,
        "sections": sections,
        "annex": annex,
        "conclusions": [line.strip() for line in conclusions_text(report, data).splitlines() if line.strip()],
        "masked": data.get("masked", False),
        "small_label": masking.small_label(),
        "portal_owner": settings.PORTAL_OWNER,
        "built_at": timezone.localtime(report.finished_at or timezone.now()),
    }


def conclusions_text(report, data: dict) -> str:
    """The conclusions that go with `data`: the published snapshot's for the public copy, else the current."""
    return data.get("published_conclusions", report.conclusions)


def report_html(report, data: dict) -> str:
    return render_to_string("reports/pdf/report.html", template_context(report, data))


def report_public_html(report, data: dict) -> str:
    """The published report as HTML for its public page: the same sections, charts (each with its table),
    tables, conclusions and annex as the PDF."""
    context = template_context(report, data, web=True)
    return render_to_string(
        "reports/_public_report_body.html",
        {"content": context, "conclusions": conclusions_text(report, data)},
    )


def report_pdf_bytes(report, data: dict) -> bytes:
    return render_pdf(report_html(report, data))


def report_xlsx_bytes(report, data: dict) -> bytes:
    """Every table of the report on its own sheet, with the «Сведения» sheet (year, methodology, date)."""
    sheets = []
    used: set[str] = set()
    for key, table in data.get("tables", {}).items():
        if not table.get("in_xlsx", True):
            continue  # a part of a table the xlsx has whole (a municipality's rows of the region's list)
        title = _sheet_title(table.get("sheet") or table.get("title") or key, used)
        sheets.append(Sheet(title, table.get("headers", []), _xlsx_rows(table)))
    about = {
        "Отчёт": report.title,
        "Учебный год": report.year_label,
        "Версия методики": report.methodology_version or "—",
        "Дата построения": formatting.local_datetime(report.finished_at or timezone.now()),
    }
    if data.get("masked"):
        about["Малые значения"] = (
            f"Численность менее {masking.small_count_k()} обучающихся "
            f"показана как «{masking.small_label()}», "
            "доли по таким численностям скрыты."
        )
    return workbook_bytes(sheets, about=about)


def _xlsx_rows(table: dict):
    """The table's rows as xlsx cells, one row at a time (the workbook is written as it goes)."""
    kinds, masked = table.get("kinds", []), table.get("masked", False)
    for row in table.get("rows", []):
        yield [_xlsx_cell(v, kinds[i] if i < len(kinds) else masking.TEXT, masked) for i, v in enumerate(row)]


def _xlsx_cell(value, kind: str, masked: bool):
    if value is None and kind == masking.SHARE and masked:
        return HIDDEN_SHARE
    if isinstance(value, float):
        return round(value, 2)
    return value


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28].strip() or "Таблица"
    candidate, n = clean, 2
    while candidate in used:
        candidate = f"{clean[:25]} {n}"
        n += 1
    used.add(candidate)
    return candidate

"""Writing xlsx files for download: Russian headers, safe cells, a methodology sheet."""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import formatting

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Neutralise text that a spreadsheet would run as a formula (CSV/xlsx injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence] = field(default_factory=list)


def workbook_bytes(sheets: list[Sheet], *, about: dict | None = None) -> bytes:
    """An xlsx with the given sheets and, when `about` is given, a «Сведения» sheet of key/value pairs."""
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F2")
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.title[:31])
        ws.append([safe_cell(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in sheet.rows:
            ws.append([safe_cell(v) for v in row])
        for index, header in enumerate(sheet.headers, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(10, min(50, len(str(header)) + 4))
        ws.freeze_panes = "A2"
    if about is not None:
        ws = workbook.create_sheet("Сведения")
        for key, value in {
            **about,
            "Дата формирования": formatting.local_datetime(timezone.now()),
        }.items():
            ws.append([safe_cell(key), safe_cell(value)])
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)

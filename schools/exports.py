"""Writing xlsx files for download: Russian headers, safe cells, a methodology sheet."""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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
    """An xlsx with the given sheets and, when `about` is given, a «Сведения» sheet of key/value pairs.

    Written in openpyxl's write-only mode: rows go to the file as they come (a sheet's `rows` may be a
    generator), so a 180,000-row annex costs megabytes, not the gigabyte a workbook held in memory does.
    """
    workbook = Workbook(write_only=True)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F2")
    header_alignment = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.title[:31])
        for index, header in enumerate(sheet.headers, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(10, min(50, len(str(header)) + 4))
        ws.freeze_panes = "A2"
        ws.append([_header_cell(ws, h, header_font, header_fill, header_alignment) for h in sheet.headers])
        for row in sheet.rows:
            ws.append([safe_cell(v) for v in row])
    if about is not None:
        ws = workbook.create_sheet("Сведения")
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 60
        for key, value in {
            **about,
            "Дата формирования": formatting.local_datetime(timezone.now()),
        }.items():
            ws.append([safe_cell(key), safe_cell(value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_cell(ws, header, font, fill, alignment) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=safe_cell(header))
    cell.font, cell.fill, cell.alignment = font, fill, alignment
    return cell


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)

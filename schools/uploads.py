"""The one gate for every file that enters the portal, run before anything opens it.

`check_archive` (size, zip structure, part count, size after unpacking, compression ratio) serves every
zip-based upload: import workbooks, card templates, registry documents. `check_xlsx_upload` adds what a
workbook needs: a real workbook, no macros, and a data sheet whose declared and real extent are sane, so
the reader never builds a grid of absurd size (a 2 KB file with one cell at XFD1048576 would otherwise
make it allocate hundreds of GiB and kill the process). `xlsx_data_sheet` says which sheet the readers
read: the first visible worksheet, never a hidden one.
"""

import re
import zipfile
from dataclasses import dataclass
from posixpath import join, normpath

from defusedxml import ElementTree
from django.conf import settings

from . import formatting
from .errors import ValidationFailed

MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 250
RATIO_CHECK_FROM_BYTES = 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCAN_CHUNK_BYTES = 1024 * 1024

FILE_EMPTY = "Файл пуст."
FILE_TOO_LARGE = "Файл слишком большой: {size}, допускается не более {limit}."
FILE_BROKEN = "Файл повреждён: архив книги Excel не читается."
FILE_BOMB = "Файл сжат подозрительно сильно (похоже на zip-бомбу) и отклонён."
FILE_TOO_MANY_PARTS = "В архиве книги слишком много частей ({count}): файл отклонён."
FILE_UNPACKS_TOO_LARGE = "После распаковки файл занял бы {size}, допускается не более {limit}."
NOT_XLSX = "Файл не является книгой Excel в формате .xlsx (проверено по содержимому)."
NOT_A_WORKBOOK = "Файл не является книгой Excel в формате .xlsx (нет книги внутри архива)."
XLSX_MACROS = "Книги с макросами не принимаются: сохраните файл как обычную книгу .xlsx."
NO_VISIBLE_SHEET = "В книге нет видимого листа с данными."
SHEET_TOO_WIDE = (
    "Лист «{sheet}» слишком широкий: {where} — столбец {column}, допускается не более {limit} столбцов."
)
SHEET_TOO_TALL = "Лист «{sheet}» слишком длинный: {where} — строка {row}, допускается не более {limit} строк."
SHEET_TOO_BIG = (
    "Лист «{sheet}» слишком большой: {where} — {rows} строк × {columns} столбцов, "
    "допускается не более {limit} ячеек. Удалите лишние ячейки далеко за таблицей и загрузите файл снова."
)
DECLARED = "объявленный размер"
REAL = "заполненная ячейка"

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s[^>]*?ref="([^"]*)"')
_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")
_LAST_REF = re.compile(rb'r="([A-Z]{0,3})([0-9]{1,10})"')  # used on the last kilobytes of the sheet only


class UploadRejected(ValidationFailed, ValueError):
    """The file is refused; the message is Russian and names the reason."""


@dataclass(frozen=True)
class DataSheet:
    name: str
    path: str  # its part inside the archive, e.g. xl/worksheets/sheet1.xml


def _megabytes(size: int) -> str:
    return formatting.megabytes(size)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def upload_size(file) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def check_size(file, *, max_bytes: int) -> int:
    """Refuse an empty or too large file; returns its size."""
    size = upload_size(file)
    if size == 0:
        raise UploadRejected(FILE_EMPTY)
    if size > max_bytes:
        raise UploadRejected(FILE_TOO_LARGE.format(size=_megabytes(size), limit=_megabytes(max_bytes)))
    return size


def check_archive(archive: zipfile.ZipFile, *, max_uncompressed: int | None = None) -> set[str]:
    """Refuse zip bombs by the archive's own directory (nothing is unpacked); returns the part names."""
    max_uncompressed = max_uncompressed or settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UploadRejected(FILE_TOO_MANY_PARTS.format(count=len(entries)))
    total = sum(e.file_size for e in entries)
    if total > max_uncompressed:
        raise UploadRejected(
            FILE_UNPACKS_TOO_LARGE.format(size=_megabytes(total), limit=_megabytes(max_uncompressed))
        )
    for entry in entries:
        if entry.file_size > RATIO_CHECK_FROM_BYTES and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise UploadRejected(FILE_BOMB)
    return {e.filename for e in entries}


def check_xlsx_upload(
    file, *, max_bytes: int | None = None, max_uncompressed: int | None = None
) -> DataSheet:
    """Raise UploadRejected unless `file` is a plain .xlsx workbook within every limit. Rewinds the file.

    Returns the sheet the readers will read (see `xlsx_data_sheet`).
    """
    check_size(file, max_bytes=max_bytes or settings.UPLOAD_MAX_BYTES)
    if file.read(4) != b"PK\x03\x04":
        file.seek(0)
        raise UploadRejected(NOT_XLSX)
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = check_archive(archive, max_uncompressed=max_uncompressed)
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise UploadRejected(NOT_A_WORKBOOK)
            content_types = archive.read("[Content_Types].xml")
            if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
                raise UploadRejected(XLSX_MACROS)
            sheet = xlsx_data_sheet(archive)
            check_sheet_extent(archive, sheet)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, EOFError, OSError):
        raise UploadRejected(FILE_BROKEN)
    except ValueError as error:  # defusedxml's refusals of entities and DTDs
        if isinstance(error, UploadRejected):
            raise
        raise UploadRejected(FILE_BROKEN)
    finally:
        file.seek(0)
    return sheet


# --- which sheet is read --------------------------------------------------------------------------------
def xlsx_data_sheet(archive: zipfile.ZipFile) -> DataSheet:
    """The first visible worksheet of the workbook (a hidden or very hidden sheet is never read)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    targets = _relationship_targets(archive, "xl/_rels/workbook.xml.rels", base="xl")
    for sheet in workbook.iterfind("{*}sheets/{*}sheet"):
        if sheet.get("state", "visible") != "visible":
            continue
        rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
        path = targets.get(rel_id, "")
        if "worksheets/" in path:  # a chart sheet holds no cells
            return DataSheet(name=sheet.get("name", ""), path=path)
    raise UploadRejected(NO_VISIBLE_SHEET)


def _relationship_targets(archive: zipfile.ZipFile, rels_path: str, *, base: str) -> dict[str, str]:
    rels = ElementTree.fromstring(archive.read(rels_path))
    targets = {}
    for rel in rels.iterfind("{*}Relationship"):
        target = rel.get("Target", "")
        targets[rel.get("Id", "")] = (
            normpath(target.lstrip("/")) if target.startswith("/") else normpath(join(base, target))
        )
    return targets


# --- how large the sheet is -------------------------------------------------------------------------------
def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _limits() -> tuple[int, int, int]:
    return settings.XLSX_MAX_ROWS, settings.XLSX_MAX_COLUMNS, settings.XLSX_MAX_CELLS


def _check_extent(sheet: DataSheet, rows: int, columns: int, where: str, *, narrow_columns: int = 0) -> None:
    """`narrow_columns`: columns A–Z are not measured one by one, so the cell count assumes this many."""
    max_rows, max_columns, max_cells = _limits()
    if columns > max_columns:
        raise UploadRejected(
            SHEET_TOO_WIDE.format(sheet=sheet.name, where=where, column=_number(columns), limit=max_columns)
        )
    if rows > max_rows:
        raise UploadRejected(
            SHEET_TOO_TALL.format(sheet=sheet.name, where=where, row=_number(rows), limit=_number(max_rows))
        )
    if rows * max(columns, narrow_columns) > max_cells:
        raise UploadRejected(
            SHEET_TOO_BIG.format(
                sheet=sheet.name,
                where=where,
                rows=_number(rows),
                columns=_number(max(columns, narrow_columns)),
                limit=_number(max_cells),
            )
        )


def check_sheet_extent(archive: zipfile.ZipFile, sheet: DataSheet) -> None:
    """Refuse a sheet whose declared (<dimension ref>) or real extent is beyond the XLSX_MAX_* settings.

    The real extent is found by streaming the sheet's XML in chunks (constant memory): the widest column
    and the furthest row any cell or row names. Only references that could break a limit are matched, so
    an ordinary sheet costs one pass of C string search; a sheet with cells that do not say where they are
    (no `r` attribute, which our readers place by counting) is measured by parsing instead.
    """
    with archive.open(sheet.path) as stream:
        head = stream.read(64 * 1024)
    declared = _DIMENSION.search(head)
    if declared:
        rows, columns = _reference_extent(declared.group(1).decode("ascii", "replace"))
        _check_extent(sheet, rows, columns, DECLARED)
    rows, columns, positioned = _scan_references(archive, sheet.path)
    if positioned:
        _check_extent(sheet, rows, columns, REAL, narrow_columns=26 if rows else 0)
    else:
        _check_extent(sheet, *_parse_extent(archive, sheet.path), REAL)


def _reference_extent(reference: str) -> tuple[int, int]:
    """(rows, columns) a reference like «A1:XFD1048576» spans from A1."""
    rows = columns = 0
    for letters, digits in _REF.findall(reference.upper()):
        rows, columns = max(rows, int(digits)), max(columns, _column_number(letters))
    return rows, columns


def _scan_references(archive: zipfile.ZipFile, path: str) -> tuple[int, int, bool]:
    """(furthest row, widest column, every cell says where it is) from one streaming pass.

    Only two kinds of reference are matched one by one: columns AA and further, and row numbers with as
    many digits as the row limit; a sheet of columns A–Z and ordinary row numbers matches nothing, so
    it costs a plain C scan. The last reference of the sheet gives its last row.
    """
    digits = len(str(settings.XLSX_MAX_ROWS))
    far = re.compile(rb'r="(?:([A-Z]{2,3})|[A-Z]?(?=[0-9]{%d}))([0-9]+)"' % digits)
    rows, columns, tail = 0, 0, b""
    closed = positioned = 0
    with archive.open(path) as stream:
        while chunk := stream.read(SCAN_CHUNK_BYTES):
            data = tail + chunk
            cut = data.rfind(b"<")  # a tag cut by the chunk's end is scanned with the next chunk
            data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            for letters, number in far.findall(data):
                rows = max(rows, int(number))
                if letters:
                    columns = max(columns, _column_number(letters.decode()))
            last = None
            for match in _LAST_REF.finditer(data, max(0, len(data) - 4096)):
                last = match
            if last:
                rows = max(rows, int(last.group(2)))
                columns = max(columns, _column_number(last.group(1).decode()))
            # A cell with a value ends with </c>; more of those than cells naming their place means some
            # cells are placed by counting (or the tags carry a namespace prefix): parse those sheets.
            closed += data.count(b"</c>") + data.count(b":c>")
            positioned += data.count(b'<c r="')
    return rows, columns, closed <= positioned


def _parse_extent(archive: zipfile.ZipFile, path: str) -> tuple[int, int]:
    """The extent as a reader counts it: a cell or row without `r` follows the previous one."""
    rows = columns = row = 0
    column = 0
    with archive.open(path) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start" and tag == "row":
                row = int(element.get("r") or row + 1)
                column = 0
            elif event == "start" and tag == "c":
                reference = _REF.fullmatch(element.get("r") or "")
                column = _column_number(reference.group(1)) if reference else column + 1
                rows, columns = max(rows, row), max(columns, column)
                if columns > settings.XLSX_MAX_COLUMNS or rows > settings.XLSX_MAX_ROWS:
                    break
            elif event == "end":
                element.clear()
    return rows, columns

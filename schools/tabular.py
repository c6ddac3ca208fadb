"""Reading tabular import files (xlsx): header detection, tolerant cell parsing, row-numbered errors.

Rules of DESIGN §4.2: the header row is the first row containing «Код ОО»; headers are matched after
trimming and case-folding in any order; extra columns are ignored; blank rows are skipped; numbers stored
as text are accepted; an empty cell or «—» is "no data".
"""

import functools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from python_calamine import CalamineWorkbook

from .errors import ValidationFailed
from .uploads import UploadRejected, check_xlsx_upload

HEADER_MARKER = "код оо"
NO_DATA_MARKERS = {"", "—", "–", "-", "нет данных", "н/д"}
TRUE_WORDS = {"да", "1", "true", "истина", "yes", "y", "д", "+"}
FALSE_WORDS = {"нет", "0", "false", "ложь", "no", "n", "н"}


class CellError(ValidationFailed, ValueError):
    """A cell value that cannot be read; the message is Russian and shown to the user."""


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = f"Строка {self.row}" if self.row else "Файл"
        column = f", столбец «{self.column}»" if self.column else ""
        value = f" (значение «{self.value}»)" if self.value else ""
        return f"{where}{column}: {self.message}{value}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "value": self.value}


class ImportFailed(ValidationFailed):
    """Raised with every error found; the import changed nothing."""

    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(e) for e in errors[:20]))
        self.errors = errors

    def errors_for_api(self) -> list[dict]:
        return [e.as_dict() for e in self.errors]

    def form_errors(self) -> dict[str | None, list[str]]:
        """Every row error (not only the message's first 20), at the form's file field."""
        return {self.field: [str(e) for e in self.errors]}


def normalise_header(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().casefold().replace("ё", "е")


def is_no_data(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().casefold() in NO_DATA_MARKERS
    return False


def _is_blank(cells: list) -> bool:
    for cell in cells:  # noqa: SIM110 - a plain loop: cheaper than a generator on every row of a large file
        if cell is not None and cell != "" and not is_no_data(cell):
            return False
    return True


def display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:100]


@functools.lru_cache(maxsize=65536)
def _clean_text(value: str) -> str | None:
    """Whitespace folded; cached, because a large file repeats the same codes, procedures and subjects."""
    if value.strip().casefold() in NO_DATA_MARKERS:
        return None
    return re.sub(r"\s+", " ", value).strip()


def parse_text(value) -> str | None:
    if value.__class__ is str:
        return _clean_text(value)
    if is_no_data(value):
        return None
    return display(value).strip()


def _number_text(value) -> str:
    return str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")


def parse_decimal(value) -> float | None:
    if is_no_data(value):
        return None
    if isinstance(value, bool):
        raise CellError("ожидается число")
    try:
        number = float(value) if isinstance(value, int | float) else float(_number_text(value))
    except (ValueError, OverflowError):
        raise CellError("ожидается число")
    if math.isnan(number) or math.isinf(number):
        raise CellError("ожидается число")
    return number


def parse_int(value) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if not number.is_integer():
        raise CellError("ожидается целое число")
    if abs(number) > 10**9:
        raise CellError("слишком большое число")
    return int(number)


def parse_count(value) -> int | None:
    """A non-negative whole number of people."""
    number = parse_int(value)
    if number is not None and number < 0:
        raise CellError("количество не может быть отрицательным")
    return number


def parse_bool(value) -> bool | None:
    if is_no_data(value):
        return None
    if isinstance(value, bool):
        return value
    word = display(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError("ожидается «да» или «нет»")


def parse_flag(value) -> bool:
    """A yes/no cell where an empty cell means "no"."""
    parsed = parse_bool(value)
    return bool(parsed)


def parse_academic_year(value) -> int | None:
    """«2024/2025», «2024-2025» or «2024» → 2024 (the start year)."""
    if is_no_data(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, int) or value.is_integer():
            year = int(value)
        else:
            raise CellError("учебный год пишется как 2024/2025 или 2024")
    else:
        text = str(value).strip().replace(" ", "")
        match = re.fullmatch(r"(\d{4})(?:\.0)?(?:[/\-–](\d{4}|\d{2}))?", text)
        if not match:
            raise CellError("учебный год пишется как 2024/2025 или 2024")
        year = int(match.group(1))
        if match.group(2):
            end = int(match.group(2))
            end = end + 2000 if end < 100 else end
            if end != year + 1:
                raise CellError("второй год должен быть на единицу больше первого")
    if not 2000 <= year <= 2100:
        raise CellError("год вне допустимого диапазона 2000–2100")
    return year


def parse_date(value) -> date | None:
    if is_no_data(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise CellError("ожидается дата ДД.ММ.ГГГГ")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    parse: Callable = parse_text
    required: bool = False  # the column must be present in the header
    aliases: tuple[str, ...] = ()


@dataclass
class Table:
    """Parsed rows: (file row number, values by key); errors with row and column."""

    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def open_data_sheet(file):
    """The sheet an import reads: the first visible worksheet, opened only after every upload check
    (schools.uploads: size, archive, macros, sheet extent). A refused or unreadable file raises ImportFailed.
    """
    if not hasattr(file, "read"):
        with open(file, "rb") as opened:
            return open_data_sheet(opened)
    try:
        data_sheet = check_xlsx_upload(file)
    except UploadRejected as error:
        raise ImportFailed([RowError(None, "", str(error))])
    try:
        return CalamineWorkbook.from_filelike(file).get_sheet_by_name(data_sheet.name)
    except Exception:  # calamine raises its own error types for any damaged file
        raise ImportFailed([RowError(None, "", "файл не удалось прочитать как книгу Excel (.xlsx)")])
    finally:
        file.seek(0)


def iter_table(
    file,
    columns: list[Column],
    *,
    header_marker: str = "Код ОО",
    refuse_header: Callable[[str], str | None] | None = None,
) -> Iterator[tuple[int, list, list[RowError]]]:
    """Yield (row number, parsed values in the order of `columns`, errors) for each non-blank data row.

    Streaming: a row is parsed and handed over before the next one is read, so callers can keep only
    what they need. Header problems raise ImportFailed before any data row is yielded. The header row is
    the first row with a cell equal to `header_marker` (default «Код ОО», DESIGN §4.2). `refuse_header`
    (header text → Russian reason or None) refuses the whole file for a column it must never carry, even
    one the import would ignore; no data row is read then.
    """
    marker = normalise_header(header_marker)
    sheet = open_data_sheet(file)
    first_row = (sheet.start or (0, 0))[0] + 1
    parse_row = None
    for offset, cells in enumerate(sheet.iter_rows()):
        if parse_row is None:
            if any(normalise_header(c) == marker for c in cells):
                if refuse_header is not None:
                    _refuse_headers(cells, refuse_header)
                parse_row = _row_parser(columns, _column_positions(cells, columns))
            continue
        if _is_blank(cells):
            continue
        row_number = first_row + offset
        yield row_number, *parse_row(row_number, cells)
    if parse_row is None:
        raise ImportFailed(
            [RowError(None, "", f"не найдена строка заголовков со столбцом «{header_marker}»")]
        )


def _refuse_headers(header_cells, refuse_header: Callable[[str], str | None]) -> None:
    errors = [
        RowError(None, display(cell).strip(), reason)
        for cell in header_cells
        if not is_no_data(cell) and (reason := refuse_header(display(cell)))
    ]
    if errors:
        raise ImportFailed(errors)


def _row_parser(columns: list[Column], positions: list[int | None]) -> Callable:
    """A function (row number, cells) → (values, errors) for the found header layout.

    The common case, a row without a bad cell, is one tight loop over the present columns; only a row
    with an error is parsed again cell by cell to collect every error with its column.
    """
    present = [
        (k, column.parse, position)
        for k, (column, position) in enumerate(zip(columns, positions, strict=True))
        if position is not None
    ]
    blank = [
        _parse_missing(column) if position is None else None
        for column, position in zip(columns, positions, strict=True)
    ]

    width = max((position for _, _, position in present), default=-1) + 1

    def parse_row(row_number: int, cells: list) -> tuple[list, list[RowError]]:
        if len(cells) < width:  # a row shorter than the header (calamine gives full-width rows)
            cells = [*cells, *[None] * (width - len(cells))]
        values = blank.copy()
        try:
            for k, parse, position in present:
                values[k] = parse(cells[position])
        except CellError:
            return _parse_row_collecting(row_number, cells, present, blank, columns)
        return values, []

    return parse_row


def _parse_row_collecting(row_number, cells, present, blank, columns) -> tuple[list, list[RowError]]:
    values, errors = blank.copy(), []
    for k, parse, position in present:
        raw = cells[position]
        try:
            values[k] = parse(raw)
        except CellError as error:
            errors.append(RowError(row_number, columns[k].header, str(error), display(raw)))
    return values, errors


def _parse_missing(column: Column):
    """The value of a column absent from the file (an optional column): what an empty cell gives."""
    try:
        return column.parse(None)
    except CellError:
        return None


def _column_positions(header_cells, columns: list[Column]) -> list[int | None]:
    found = {normalise_header(c): i for i, c in reversed(list(enumerate(header_cells))) if not is_no_data(c)}
    positions, missing = [], []
    for column in columns:
        names = [normalise_header(column.header), *map(normalise_header, column.aliases)]
        position = next((found[n] for n in names if n in found), None)
        if position is None and column.required:
            missing.append(column.header)
        positions.append(position)
    if missing:
        raise ImportFailed(
            [
                RowError(
                    None, "", "в заголовке нет обязательных столбцов: " + ", ".join(f"«{m}»" for m in missing)
                )
            ]
        )
    return positions


def read_table(
    file,
    columns: list[Column],
    *,
    header_marker: str = "Код ОО",
    refuse_header: Callable[[str], str | None] | None = None,
) -> Table:
    """The whole table as dicts; for small files (schools, context, roadmaps, teacher diagnostics)."""
    table = Table()
    keys = [c.key for c in columns]
    for row_number, values, errors in iter_table(
        file, columns, header_marker=header_marker, refuse_header=refuse_header
    ):
        table.rows.append((row_number, dict(zip(keys, values, strict=True))))
        table.errors.extend(errors)
    return table

"""`COPY … FROM STDIN` for the computation's bulk writes on PostgreSQL, from data built column by column.

- `copy_binary` sends rows in PostgreSQL's binary COPY format. A column of numbers is encoded by one
  `struct` call per value (`encode`), and the fields of a row are joined in C, so the 720,000 value
  rows of a 40,000-school year cost about a fifth of the client CPU of CSV from the csv module (a
  float's text is its shortest repr, which is slow to produce) and the server parses no text. Floats
  travel as their 8 bytes: exactly the stored value.
- `copy_lines` sends tab-separated text lines (`line` turns a row into one), for rows carrying text
  such as the statuses' JSON reasons: the text is only escaped, where CSV would double every quote.
- `csv_stream` sends rows as CSV, for the bulk inserts and upserts of `bulk` (values of any type).

All read their input lazily in batches through one `CopyStream` and one `copy_stream`, so generators keep
memory bounded.
"""

import csv
import io
import struct
from collections.abc import Iterable, Sequence
from itertools import islice, repeat
from typing import Any

from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper

NULL_FIELD = b"\xff\xff\xff\xff"  # a binary field of length -1
_TRUE, _FALSE = b"\x00\x00\x00\x01\x01", b"\x00\x00\x00\x01\x00"
_NUMBERS = {
    "bigint": struct.Struct(">iq"),
    "integer": struct.Struct(">ii"),
    "smallint": struct.Struct(">ih"),
    "double precision": struct.Struct(">id"),
}
_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_TRAILER = b"\xff\xff"
TEXT_NULL = "\\N"


def column_types(model: type[models.Model], columns: Sequence[str]) -> list[str]:
    """The database type of each column (bigint, integer, smallint, double precision or boolean)."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    types = [fields[c].db_type(connection) for c in columns]
    unsupported = [t for t in types if t not in _NUMBERS and t != "boolean"]
    if unsupported:
        raise ValueError(f"binary COPY here supports numbers and booleans only, not {unsupported}")
    return types


def encode(kind: str, values: Iterable) -> list[bytes]:
    """The binary COPY field (length and value) of each value of a column of type `kind`; None → NULL."""
    if kind == "boolean":
        return [NULL_FIELD if v is None else _TRUE if v else _FALSE for v in values]
    pack, size = _NUMBERS[kind].pack, _NUMBERS[kind].size - 4
    return [NULL_FIELD if v is None else pack(size, v) for v in values]


def constant(kind: str, value: Any) -> repeat:
    """The same field for every row."""
    return repeat(encode(kind, [value])[0])


def row_header(fields: int) -> bytes:
    return struct.pack(">h", fields)


class CopyStream:
    """A file-like object for COPY … FROM STDIN: each read() joins the next `batch` items of `parts`,
    between `head` and `tail`. The one stream of every COPY here (binary, text lines, CSV)."""

    def __init__(self, parts: Iterable, batch: int, join, head, tail):
        self.parts, self.batch, self.join, self.head, self.tail = iter(parts), batch, join, head, tail
        self.error: Exception | None = None

    def read(self, size: int = -1):
        try:
            chunk = list(islice(self.parts, self.batch))
        except Exception as error:  # the driver would report it as a cancelled COPY: keep the original
            self.error = error
            raise
        if self.head:
            chunk.insert(0, self.head)
            self.head = self.head[:0]
        if not chunk:
            tail, self.tail = self.tail, self.tail[:0]
            return tail
        return self.join(chunk)

    readline = read


def csv_stream(rows: Iterable[Sequence], batch: int = 5000) -> CopyStream:
    """Rows (tuples) as CSV, `batch` rows a read; None becomes an empty unquoted field, which COPY reads
    as NULL."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def join(chunk: list) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(chunk)
        return buffer.getvalue()

    return CopyStream(rows, batch, join, "", "")


def copy_stream(
    *,
    table: str,
    columns: Sequence[str],
    options: str,
    stream: CopyStream,
    db: BaseDatabaseWrapper | None = None,
) -> None:
    """`COPY table (columns) FROM STDIN WITH (options)` reading `stream` through psycopg2 (the driver the
    portal uses: psycopg 3 was measured within noise of it, benchmarks/RESULTS.md §11); `table` is quoted
    already. An error raised while the rows are produced is re-raised as it is."""
    db = db or connection
    quote = db.ops.quote_name
    sql = f"COPY {table} ({', '.join(quote(c) for c in columns)}) FROM STDIN WITH ({options})"
    with db.cursor() as cursor:
        try:
            cursor.cursor.copy_expert(sql, stream, size=1 << 20)
        except Exception:
            if stream.error is not None:
                raise stream.error from None
            raise


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def copy_binary(
    *, model: type[models.Model], columns: Sequence[str], rows: Iterable[bytes], batch: int = 5000
) -> None:
    """COPY rows already encoded (`row_header(len(columns))` followed by one `encode`d field per column)."""
    stream = CopyStream(rows, batch, b"".join, _HEADER, _TRAILER)
    copy_stream(table=_table(model), columns=columns, options="FORMAT binary", stream=stream)


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char, escaped in (("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        if char in text:
            text = text.replace(char, escaped)
    return text


def field(value: Any) -> str:
    """The text COPY field of one value: None → TEXT_NULL, booleans t/f, numbers as repr, text escaped."""
    if value is None:
        return TEXT_NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return escape(value)
    return repr(value)


def line(row: Sequence) -> str:
    return "\t".join(map(field, row))


def copy_lines(
    *, model: type[models.Model], columns: Sequence[str], lines: Iterable[str], batch: int = 500
) -> None:
    """COPY text lines made by `line` (without their newline)."""
    stream = CopyStream((f"{text}\n" for text in lines), batch, "".join, "", "")
    copy_stream(table=_table(model), columns=columns, options="FORMAT text", stream=stream)

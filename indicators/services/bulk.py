"""A fast upsert for large imports and a fast bulk insert for the computation, portable between
SQLite (≥ 3.24) and PostgreSQL.

Why not `bulk_create(update_conflicts=True)`: for a 200,000-row results file Django's per-field value
preparation cost about three times the import's time budget, while the statement itself is the same
`INSERT … ON CONFLICT (…) DO UPDATE SET col = excluded.col` on both databases. Values are adapted with
the backend's own `adapt_*` operations, and names are quoted by the backend.
"""

import sqlite3
from collections.abc import Iterable, Sequence
from itertools import chain, islice

from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from .pgcopy import copy_stream, csv_stream

SQLITE_ROWS_PER_STATEMENT = 2000


def upsert_rows(
    *,
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence],
    conflict: Sequence[str],
    update: Sequence[str],
    db: BaseDatabaseWrapper | None = None,
) -> None:
    """Insert `rows` (tuples in the order of `columns`, already database-ready) or update on conflict.

    SQLite: multi-row INSERTs (see `insert_rows`). PostgreSQL: the rows are COPied into a temporary table
    and upserted from it by one INSERT … SELECT (multi-row INSERTs with parameters quoted client-side cost
    several times as much for a 200,000-row file); it must run inside a transaction (the table is dropped
    at commit).
    `db`: the connection to use (default: this thread's), for a writer thread sharing the caller's.
    """
    db = db or connection
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    sets = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in update)
    tail = f" ON CONFLICT ({', '.join(quote(c) for c in conflict)}) DO UPDATE SET {sets}" if conflict else ""
    if db.vendor == "sqlite":
        _sqlite_insert(f"INSERT INTO {table} ({names}) VALUES ", tail, len(columns), rows, db)
        return
    with db.cursor() as cursor:
        if db.get_autocommit():
            raise RuntimeError("upsert_rows on PostgreSQL needs a transaction")
        stage = quote(f"stage_{model._meta.db_table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {stage}")
        _copy(stage, columns, [], rows, db=db)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage}{tail}")


def insert_rows(*, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Plain bulk INSERT of tuples holding numbers, booleans, None and text (JSON as text), in the order
    of `columns`. Used for a year's computed values, statuses and statistics.

    `rows` may be a generator: it is consumed as it is written, so memory stays bounded whatever the
    number of rows. PostgreSQL: one `COPY … FROM STDIN` in CSV (several times faster than multi-row
    INSERTs: no client-side quoting of parameters, no statement parsing; they were 69 % of a 40,000-school
    computation). SQLite: multi-row INSERTs of up to SQLITE_ROWS_PER_STATEMENT rows (as many as SQLite
    takes parameters for); an executemany cost about 2.5 times as much per row (each row a statement
    run, with its AUTOINCREMENT bookkeeping), and Django's executemany keeps every row of a generator
    until it returns. Text of a NOT NULL column may be empty; a nullable column gets NULL from None
    only (an empty text there would be read back as NULL by COPY).
    """
    if connection.vendor != "postgresql":
        quote = connection.ops.quote_name
        head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "
        _sqlite_insert(head, "", len(columns), rows, connection)
        return
    copy_rows(model=model, columns=columns, rows=rows)


def _sqlite_insert(
    head: str, tail: str, width: int, rows: Iterable[Sequence], db: BaseDatabaseWrapper
) -> None:
    """`head` + as many `(%s, …)` groups as SQLite takes parameters for + `tail`, for every chunk of rows."""
    one = "(" + ", ".join(["%s"] * width) + ")"
    per_statement = max(1, min(SQLITE_ROWS_PER_STATEMENT, _sqlite_max_parameters(db) // width))
    full = head + ", ".join([one] * per_statement) + tail
    rows = iter(rows)
    with db.cursor() as cursor:
        while chunk := list(islice(rows, per_statement)):
            sql = full if len(chunk) == per_statement else head + ", ".join([one] * len(chunk)) + tail
            cursor.execute(sql, list(chain.from_iterable(chunk)))


def _sqlite_max_parameters(db: BaseDatabaseWrapper) -> int:
    db.ensure_connection()
    try:
        return db.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # Python < 3.11
        return 999


def copy_rows(*, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY `rows` into `model`'s table (PostgreSQL only), streamed in CSV batches."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    _copy(
        connection.ops.quote_name(model._meta.db_table),
        columns,
        [c for c in columns if not fields[c].null],
        rows,
    )


def _copy(
    table: str,
    columns: Sequence[str],
    not_null: Sequence[str],
    rows: Iterable[Sequence],
    db: BaseDatabaseWrapper | None = None,
) -> None:
    db = db or connection
    quote = db.ops.quote_name
    options = "FORMAT csv" + (
        f", FORCE_NOT_NULL ({', '.join(quote(c) for c in not_null)})" if not_null else ""
    )
    copy_stream(table=table, columns=columns, options=options, stream=csv_stream(rows), db=db)


def history_record_batch(
    *, model: type[models.Model], batch_id: int, user_id: int | None, reason: str
) -> None:
    """Write one django-simple-history row per row of `model` that import batch `batch_id` touched.

    One INSERT … SELECT in the database: a row the batch inserted (created_at = updated_at, both the
    import's stamp) is recorded as "+" (created), a row it updated as "~" (changed), so the history of
    every result shows old → new even though the rows were upserted with plain SQL.
    """
    history = model.history.model  # type: ignore[attr-defined]  # added by simple-history
    quote = connection.ops.quote_name
    source, target = quote(model._meta.db_table), quote(history._meta.db_table)
    columns = [f.column for f in model._meta.concrete_fields]
    names = ", ".join(quote(c) for c in columns)
    selected = ", ".join(f"src.{quote(c)}" for c in columns)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        f"INSERT INTO {target} ({names}, history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT {selected}, %s, %s, CASE WHEN src.created_at = src.updated_at THEN '+' ELSE '~' END, %s "
        f"FROM {source} src WHERE src.import_batch_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, reason[:100], user_id, batch_id])

"""Import of the assessment results file (DESIGN §4.2): streaming, all-or-nothing, idempotent.

The file is read row by row (`iter_table`); each valid row is turned into a model instance and written
in batches with one upsert per batch (`bulk.upsert_rows`; on PostgreSQL from a writer thread), inside one
transaction. Any error anywhere stops the writing, the whole file is still checked so the user gets
every error with its row number, and the transaction is rolled back: nothing is changed.

Provenance: every row written points to the file's ImportBatch (name, checksum, who, when). Bulk
upserts are followed by one INSERT … SELECT that writes the history rows of every result the batch touched.
"""

import functools
import operator
import re
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from schools import formatting
from schools.importing import ImportSummary, ImportUpload, require_no_errors
from schools.models import School
from schools.tabular import (
    Column,
    RowError,
    iter_table,
    parse_academic_year,
    parse_bool,
    parse_count,
    parse_decimal,
)

from ..models import RESULT_FIGURES, AssessmentResult, Procedure, Subject
from ..reference import PROCEDURES, SUBJECTS, seed_procedures
from .bulk import history_record_batch, upsert_rows

WRITE_BATCH = 5000


def fast_count(value: Any) -> int | None:
    """parse_count with a fast path for the numeric cells calamine returns (most of a large file)."""
    if value.__class__ is float and 0 <= value <= 1e9 and value.is_integer():
        return int(value)
    if value == "" or value is None:
        return None
    return parse_count(value)


@functools.lru_cache(maxsize=256)
def cached_year(value: Any) -> int | None:
    return parse_academic_year(value)


def fast_decimal(value: Any) -> float | None:
    if value.__class__ is float and value == value and abs(value) != float("inf"):
        return value
    if value == "" or value is None:
        return None
    return parse_decimal(value)


PROGRESS_EVERY = 10000

RESULT_COLUMNS = [
    Column("code", "Код ОО", required=True),
    Column("year", "Учебный год", cached_year, required=True),
    Column("procedure", "Процедура", required=True),
    Column("subject", "Предмет", required=True),
    Column("grade", "Класс", fast_count, required=True),
    Column("participants", "Участников", fast_count, required=True, aliases=("Количество участников",)),
    Column("below_min", "Не преодолели минимальный порог", fast_count),
    Column("high", "Высокий результат", fast_count),
    Column("mark2", "Отметка 2", fast_count, aliases=("Отметка «2»",)),
    Column("mark3", "Отметка 3", fast_count, aliases=("Отметка «3»",)),
    Column("mark4", "Отметка 4", fast_count, aliases=("Отметка «4»",)),
    Column("mark5", "Отметка 5", fast_count, aliases=("Отметка «5»",)),
    Column("average", "Средний балл", fast_decimal),
    Column("lowered", "Понизили", fast_count),
    Column("confirmed", "Подтвердили", fast_count),
    Column("raised", "Повысили", fast_count),
    # Optional (DESIGN §8): how the procedure was conducted, shown beside the objectivity markers.
    Column("observers", "Общественные наблюдатели", parse_bool),
    Column("video", "Видеонаблюдение", parse_bool),
    Column("recheck", "Перепроверка", parse_bool),
]
KEYS = [c.key for c in RESULT_COLUMNS]
assert [
    "code",
    "year",
    "procedure",
    "subject",
    "grade",
    *RESULT_FIGURES,
    "observers",
    "video",
    "recheck",
] == KEYS, "check_row unpacks in this order"
HEADERS = {c.key: c.header for c in RESULT_COLUMNS}
IDX = {key: i for i, key in enumerate(KEYS)}
PARTS = ("below_min", "high", "mark2", "mark3", "mark4", "mark5", "lowered", "confirmed", "raised")
MARKS = ("mark2", "mark3", "mark4", "mark5")
CORRESPONDENCE = ("lowered", "confirmed", "raised")
CONDUCT = ("observers", "video", "recheck")
VALUE_FIELDS = ["participants", *PARTS, "average", *CONDUCT]
counts_of = operator.itemgetter(*[IDX[key] for key in ("participants", *PARTS)])
conduct_of = operator.itemgetter(*[IDX[key] for key in CONDUCT])
AVERAGE_POSITION = IDX["average"]
REQUIRED_KEYS = ("code", "year", "procedure", "subject", "grade", "participants")

REQUIRED_VALUE = "обязательное значение не заполнено"
UNKNOWN_SCHOOL = "нет школы с таким кодом в реестре ОО: сначала импортируйте файл школ"
UNKNOWN_PROCEDURE = "неизвестная процедура: допустимы ВПР, ОГЭ, ЕГЭ, ГВЭ-9, ГВЭ-11, НИКО, КДР"
BAD_GRADE = "класс должен быть от 1 до 11"
PART_TOO_LARGE = "больше, чем «Участников» ({total})"
MARKS_SUM = "сумма отметок «2»–«5» ({sum}) не равна числу участников ({total})"
CORRESPONDENCE_SUM = "сумма «Понизили», «Подтвердили», «Повысили» ({sum}) больше, чем «Участников» ({total})"
BAD_AVERAGE = "средний балл должен быть от 0 до 100"
DUPLICATE_KEY = "повторяет строку {row} этого файла (ОО, год, процедура, предмет, класс)"
NO_ROWS = "в файле нет строк с данными под заголовком"

PROCEDURE_NAMES = {
    "впр": "VPR",
    "огэ": "OGE",
    "егэ": "EGE",
    "гвэ-9": "GVE9",
    "гвэ9": "GVE9",
    "гвэ-11": "GVE11",
    "гвэ11": "GVE11",
    "нико": "NIKO",
    "кдр": "KDR",
}
PROCEDURE_NAMES.update({code.casefold(): code for code, _ in PROCEDURES})

TRANSLIT = formatting.TRANSLIT  # one table: schools.formatting


@functools.lru_cache(maxsize=4096)
def normalise_name(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().casefold().replace("ё", "е")


@functools.lru_cache(maxsize=1024)
def procedure_code(value: str | None) -> str | None:
    if not value:
        return None
    key = re.sub(r"\s+", "", value).casefold().replace("–", "-").replace("—", "-")
    return PROCEDURE_NAMES.get(key)


def subject_slug(name: str, taken: set[str]) -> str:
    latin = "".join(TRANSLIT.get(ch, ch) for ch in normalise_name(name))
    base = re.sub(r"[^a-z0-9]+", "-", latin).strip("-")[:34] or "subject"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def check_row(row: int, values: list, school_ids: dict, errors: list[RowError]) -> str | None:
    """Append every problem of one parsed row to `errors`; return the procedure code if known.

    Runs for every row of a file of up to 200,000 rows: the values are unpacked once into locals (in the
    order of RESULT_COLUMNS) and the common, valid case takes a handful of comparisons.
    """
    (
        code,
        year,
        procedure_name,
        subject,
        grade,
        total,
        below_min,
        high,
        mark2,
        mark3,
        mark4,
        mark5,
        average,
        lowered,
        confirmed,
        raised,
        *_conduct,
    ) = values
    required = (code, year, procedure_name, subject, grade, total)
    if None in required or "" in required:
        errors.extend(
            RowError(row, HEADERS[key], REQUIRED_VALUE)
            for key, value in zip(REQUIRED_KEYS, required, strict=True)
            if value in (None, "")
        )
    if code and code not in school_ids:
        errors.append(RowError(row, HEADERS["code"], UNKNOWN_SCHOOL, code))
    procedure = procedure_code(procedure_name)
    if procedure_name and procedure is None:
        errors.append(RowError(row, HEADERS["procedure"], UNKNOWN_PROCEDURE, procedure_name))
    if grade is not None and not 1 <= grade <= 11:
        errors.append(RowError(row, HEADERS["grade"], BAD_GRADE, str(grade)))
    if average is not None and not 0 <= average <= 100:
        errors.append(RowError(row, HEADERS["average"], BAD_AVERAGE, str(average)))
    if total is None:
        return procedure
    parts = (below_min, high, mark2, mark3, mark4, mark5, lowered, confirmed, raised)
    for key, part in zip(PARTS, parts, strict=True):
        if part is not None and part > total:
            errors.append(RowError(row, HEADERS[key], PART_TOO_LARGE.format(total=total), str(part)))
    if mark2 is not None and mark3 is not None and mark4 is not None and mark5 is not None:
        marks = mark2 + mark3 + mark4 + mark5
        if marks != total:
            errors.append(RowError(row, "Отметка 2 … Отметка 5", MARKS_SUM.format(sum=marks, total=total)))
    correspondence = (lowered or 0) + (confirmed or 0) + (raised or 0)
    if correspondence > total:
        errors.append(
            RowError(
                row,
                "Понизили, Подтвердили, Повысили",
                CORRESPONDENCE_SUM.format(sum=correspondence, total=total),
            )
        )
    return procedure


WRITE_COLUMNS = [
    "school_id",
    "year",
    "procedure_id",
    "subject_id",
    "grade",
    *VALUE_FIELDS,
    "import_batch_id",
    "created_at",
    "updated_at",
]
CONFLICT_COLUMNS = ["school_id", "year", "procedure_id", "subject_id", "grade"]
UPDATE_COLUMNS = [*VALUE_FIELDS, "import_batch_id", "updated_at"]
# On SQLite a foreign-key column in the DO UPDATE list makes every upserted row dearer, even when no row
# conflicts (benchmarks/RESULTS.md §1), so there the batch of the updated rows is set afterwards by one
# UPDATE (`_Writer.finish`).
SQLITE_UPDATE_COLUMNS = [*VALUE_FIELDS, "updated_at"]


class _Writer:
    """Collects valid rows as plain tuples and upserts them in batches; stops once an error is seen.

    On PostgreSQL each batch is written by one background thread on the caller's connection (so in the
    same transaction) while the next batch is read and checked: the database server works on one core
    while Python parses on the other. At most one batch is in flight, and nothing else uses the
    connection meanwhile (`drain` first). SQLite works inside this process, so it writes in place.
    """

    def __init__(self, *, batch_id: int | None):
        self.enabled = batch_id is not None
        self.pending: list[tuple] = []
        self.batch_id = batch_id
        self.stamp = timezone.now()
        self.years: set[int] = set()
        now = connection.ops.adapt_datetimefield_value(self.stamp)
        self.tail = (batch_id, now, now)
        self.update_columns = SQLITE_UPDATE_COLUMNS if connection.vendor == "sqlite" else UPDATE_COLUMNS
        self.db = connections[DEFAULT_DB_ALIAS]
        self.executor = None
        self.in_flight: Future | None = None
        if self.enabled and self.db.vendor == "postgresql":
            self.db.inc_thread_sharing()
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="results-writer")

    def add(self, key: tuple, values: list) -> None:
        if not self.enabled:
            return
        average = values[AVERAGE_POSITION]
        if average is not None:
            # A float rounded to 2 places is written exactly: both databases parse its shortest repr ("3.6").
            average = round(average, 2)
        self.years.add(key[1])
        self.pending.append((*key, *counts_of(values), average, *conduct_of(values), *self.tail))
        if len(self.pending) >= WRITE_BATCH:
            self.flush()

    def stop(self) -> None:
        self.enabled = False
        self.pending = []

    def flush(self) -> None:
        rows, self.pending = self.pending, []
        if not (self.enabled and rows):
            return
        if self.executor is None:
            self._write(rows)
            return
        self.drain()
        self.in_flight = self.executor.submit(self._write, rows)

    def _write(self, rows: list[tuple]) -> None:
        upsert_rows(
            model=AssessmentResult,
            columns=WRITE_COLUMNS,
            rows=rows,
            conflict=CONFLICT_COLUMNS,
            update=self.update_columns,
            db=self.db,
        )

    def drain(self) -> None:
        """Wait for the batch in flight; its error, if any, is raised here, in the caller's thread."""
        in_flight, self.in_flight = self.in_flight, None
        if in_flight is not None:
            in_flight.result()

    def finish(self) -> None:
        """Write what is pending; on SQLite point the updated rows (stamped by this import) at its batch."""
        self.flush()
        self.drain()
        if self.enabled and self.update_columns is SQLITE_UPDATE_COLUMNS:
            AssessmentResult.objects.filter(year__in=self.years, updated_at=self.stamp).exclude(
                import_batch_id=self.batch_id
            ).update(import_batch_id=self.batch_id)

    def close(self) -> None:
        """Always called: no statement may still run on the connection when the transaction ends."""
        if self.executor is None:
            return
        if self.in_flight is not None:
            wait([self.in_flight])  # an error here is secondary to the one already propagating
        self.executor.shutdown()
        self.db.dec_thread_sharing()


@transaction.atomic
def results_import(*, upload: ImportUpload) -> ImportSummary:
    """Import a results file; raises ImportFailed with every row error and then changes nothing."""
    school_ids = dict(School.objects.values_list("code", "pk"))
    subjects = {normalise_name(name): pk for name, pk in Subject.objects.values_list("name", "pk")}
    taken_slugs = set(Subject.objects.values_list("code", flat=True))
    if not upload.dry_run:
        seed_procedures()
    procedure_ids = dict(Procedure.objects.values_list("code", "pk"))
    batch = None if upload.dry_run else upload.batch_create(rows=0)
    before = AssessmentResult.objects.count()
    writer = _Writer(batch_id=batch.pk if batch else None)
    try:
        rows, seen = _read_and_write(upload, writer, school_ids, subjects, taken_slugs, procedure_ids)
    finally:
        writer.close()
    summary = ImportSummary(kind=upload.kind, file_name=upload.file_name, rows=rows, dry_run=upload.dry_run)
    if upload.dry_run:
        summary.updated = _existing_count(seen, school_ids, subjects, procedure_ids)
    else:
        summary.updated = rows - (AssessmentResult.objects.count() - before)
        batch.rows, batch.created, batch.updated = rows, rows - summary.updated, summary.updated
        batch.save(update_fields=["rows", "created", "updated"])
        history_record_batch(
            model=AssessmentResult,
            batch_id=batch.pk,
            user_id=getattr(upload.user, "pk", None),
            reason=f"Импорт файла «{upload.file_name}»",
        )
        summary.batch_id = batch.pk
    summary.created = rows - summary.updated
    upload.report(100, summary.text())
    return summary


def _read_and_write(
    upload: ImportUpload,
    writer: _Writer,
    school_ids: dict,
    subjects: dict,
    taken_slugs: set,
    procedure_ids: dict,
) -> tuple[int, dict]:
    """Check every row of the file and hand the valid ones to `writer`; raises ImportFailed at the end."""
    seen: dict[tuple, int] = {}
    errors: list[RowError] = []
    rows = 0
    upload.report(2, "Чтение файла…")
    for row, values, cell_errors in iter_table(upload.file, RESULT_COLUMNS):
        rows += 1
        row_errors = list(cell_errors)
        procedure = check_row(row, values, school_ids, row_errors)
        subject_name = values[IDX["subject"]]
        key = (
            values[IDX["code"]],
            values[IDX["year"]],
            procedure,
            normalise_name(subject_name) if subject_name else None,
            values[IDX["grade"]],
        )
        if None not in key:
            if key in seen:
                row_errors.append(RowError(row, HEADERS["code"], DUPLICATE_KEY.format(row=seen[key]), key[0]))
            else:
                seen[key] = row
        if row_errors:
            errors.extend(row_errors)
            writer.stop()
            continue
        if writer.enabled:
            subject_id = subjects.get(key[3])
            if subject_id is None:
                writer.drain()  # the connection is the writer's while a batch is in flight
                subject_id = _subject_create(subject_name, key[3], subjects, taken_slugs)
            writer.add((school_ids[key[0]], key[1], procedure_ids[procedure], subject_id, key[4]), values)
        if rows % PROGRESS_EVERY == 0:
            upload.report(min(90, 5 + rows // 4000), f"Проверено строк: {rows}")
    if rows == 0:
        errors.append(RowError(None, "", NO_ROWS))
    require_no_errors(errors)
    writer.finish()
    return rows, seen


def _subject_create(display_name: str, key: str, subjects: dict, taken: set[str]) -> int:
    name = re.sub(r"\s+", " ", display_name).strip()
    known = {normalise_name(n): code for code, n in SUBJECTS}
    code = known.get(key) if known.get(key) not in taken else None
    if code:
        taken.add(code)
    subject = Subject.objects.create(code=code or subject_slug(name, taken), name=name[:1].upper() + name[1:])
    subjects[key] = subject.pk
    return subject.pk


def _existing_count(seen: dict, school_ids: dict, subjects: dict, procedure_ids: dict) -> int:
    """How many keys of the file are already stored (for the dry-run summary), in one query."""
    if not seen:
        return 0
    years = {key[1] for key in seen}
    codes = {pk: code for code, pk in school_ids.items()}
    names = {pk: name for name, pk in subjects.items()}
    procedures = {pk: code for code, pk in procedure_ids.items()}
    stored = AssessmentResult.objects.filter(year__in=years).values_list(
        "school_id", "year", "procedure_id", "subject_id", "grade"
    )
    return sum(
        1
        for school, year, procedure, subject, grade in stored.iterator(chunk_size=10000)
        if (codes.get(school), year, procedures.get(procedure), names.get(subject), grade) in seen
    )

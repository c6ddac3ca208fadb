"""Import of the teachers' subject-competence diagnostics (DESIGN §7.4) with the guarantees of §4.2.

Columns «Код ОО», «Учебный год», «Предмет», «Код педагога», «Балл», «Максимальный балл». A teacher is
known only by the pseudonym code the school keeps: a file with a column that looks like a person's name
(«ФИО», «Фамилия», …) is refused whole, a code that looks like a name is refused, and no error message
repeats a value that looks like a name. All-or-nothing: a file with any error changes nothing. A row is
unique by (school, year, subject, teacher code); importing it again updates it. Every written row points
to the file's ImportBatch.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from schools.errors import ValidationFailed
from schools.importing import ImportSummary, ImportUpload, require_no_errors, rows_save_with_history
from schools.models import School
from schools.tabular import Column, RowError, normalise_header, parse_academic_year, parse_decimal, read_table

from ..defaults import TEACHER_BANDS_INVALID
from ..models import Subject, TeacherDiagnostic, TeacherLevelRules
from .results import normalise_name

TEACHER_DIAGNOSTIC_COLUMNS = [
    Column("code", "Код ОО", required=True),
    Column("year", "Учебный год", parse_academic_year, required=True),
    Column("subject", "Предмет", required=True),
    Column("teacher_code", "Код педагога", required=True),
    Column("score", "Балл", parse_decimal, required=True),
    Column("max_score", "Максимальный балл", parse_decimal, required=True),
]
HEADERS = {c.key: c.header for c in TEACHER_DIAGNOSTIC_COLUMNS}
EXAMPLE_ROW = ["0101", "2025/2026", "Математика", "Т-017", 31, 40]

NAME_COLUMN = (
    "столбец похож на имя человека: фамилии, имена и отчества педагогов в портал не загружаются. "
    "Удалите этот столбец и оставьте только «Код педагога» (псевдоним, который знает школа)"
)
REQUIRED_VALUE = "обязательное значение не заполнено"
UNKNOWN_SCHOOL = "нет школы с таким кодом в реестре ОО: сначала импортируйте файл школ"
UNKNOWN_SUBJECT = "нет такого предмета в справочнике предметов (его ведёт администратор)"
BAD_TEACHER_CODE = (
    "код педагога — псевдоним до 20 знаков из букв, цифр и знаков «-», «_», «.», «/», с хотя бы одной "
    "цифрой (например, Т-017); фамилии и имена в портал не загружаются"
)
NEGATIVE_SCORE = "балл не может быть отрицательным"
MAX_NOT_POSITIVE = "максимальный балл должен быть больше нуля"
SCORE_ABOVE_MAX = "балл больше максимального ({max})"
TOO_LARGE = "слишком большое число: допускается не более 99 999,99"
DUPLICATE_KEY = "повторяет строку {row} этого файла (ОО, год, предмет, код педагога)"
NO_ROWS = "в файле нет строк с данными под заголовком"
HIDDEN_VALUE = "скрыто: похоже на имя человека"

# Words of a header that names a person (checked word by word, so «Наименование» or «Код педагога» pass).
NAME_WORDS = {"фио", "фамилия", "фамилии", "имя", "отчество", "name", "surname", "lastname", "firstname"}
NAME_HEADERS = {"педагог", "учитель", "работник", "сотрудник", "преподаватель", "фамилия имя отчество"}
TEACHER_CODE = re.compile(r"[0-9A-Za-zА-Яа-яЁё._/\-]{1,20}")
LOOKS_LIKE_NAME = re.compile(r"[^\W\d_]{2,}\.?(?:[\s,.\-]+[^\W\d_]+\.?)+")
MAX_VALUE = Decimal("99999.99")
CENT = Decimal("0.01")


def name_column_reason(header: str) -> str | None:
    """The reason a header is refused (it names a person), or None."""
    text = normalise_header(header)
    words = set(re.findall(r"[a-zа-я]+", text))
    compact = re.sub(r"[\s.,]", "", text)
    if words & NAME_WORDS or compact.startswith("фио") or text in NAME_HEADERS:
        return NAME_COLUMN
    return None


def _safe(value) -> str:
    """An offending value as an error may repeat it: never one that looks like a person's name."""
    text = "" if value is None else str(value)
    return HIDDEN_VALUE if LOOKS_LIKE_NAME.fullmatch(text.strip()) else text


def _amount(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _check_row(
    row: int, values: dict, school_ids: dict, subjects: dict, errors: list[RowError], unreadable: set
) -> None:
    for key in ("code", "year", "subject", "teacher_code", "score", "max_score"):
        if values.get(key) in (None, "") and (row, HEADERS[key]) not in unreadable:
            errors.append(RowError(row, HEADERS[key], REQUIRED_VALUE))
    if values.get("code") and values["code"] not in school_ids:
        errors.append(RowError(row, HEADERS["code"], UNKNOWN_SCHOOL, values["code"]))
    if values.get("subject") and normalise_name(values["subject"]) not in subjects:
        errors.append(RowError(row, HEADERS["subject"], UNKNOWN_SUBJECT, _safe(values["subject"])))
    code = values.get("teacher_code")
    if code and (not TEACHER_CODE.fullmatch(code) or not any(ch.isdigit() for ch in code)):
        errors.append(RowError(row, HEADERS["teacher_code"], BAD_TEACHER_CODE, _safe(code)))
    score, max_score = values.get("score"), values.get("max_score")
    for key, number in (("score", score), ("max_score", max_score)):
        if number is not None and abs(number) > MAX_VALUE:
            errors.append(RowError(row, HEADERS[key], TOO_LARGE, str(number)))
            values[key] = None
    score, max_score = values.get("score"), values.get("max_score")
    if score is not None and score < 0:
        errors.append(RowError(row, HEADERS["score"], NEGATIVE_SCORE, _shown(score)))
    if max_score is not None and max_score <= 0:
        errors.append(RowError(row, HEADERS["max_score"], MAX_NOT_POSITIVE, _shown(max_score)))
    elif score is not None and max_score is not None and _amount(score) > _amount(max_score):
        errors.append(
            RowError(row, HEADERS["score"], SCORE_ABOVE_MAX.format(max=_shown(max_score)), _shown(score))
        )


def _shown(number: float) -> str:
    """A number of the file as its cell reads (a hyphen-minus stays as typed, so the error quotes the cell),
    with the decimal comma."""
    return str(int(number)) if float(number).is_integer() else str(number).replace(".", ",")


def _key(values: dict) -> tuple | None:
    key = (
        values.get("code"),
        values.get("year"),
        normalise_name(values["subject"]) if values.get("subject") else None,
        values.get("teacher_code"),
    )
    return None if None in key or "" in key else key


def _scrubbed(errors: list[RowError]) -> list[RowError]:
    """Cell errors of the reader repeat the cell: hide any that looks like a person's name."""
    return [RowError(e.row, e.column, e.message, _safe(e.value)) if e.value else e for e in errors]


@transaction.atomic
def teacher_diagnostics_import(*, upload: ImportUpload) -> ImportSummary:
    """Import a teacher diagnostics file; raises ImportFailed with every error and then changes nothing."""
    table = read_table(upload.file, TEACHER_DIAGNOSTIC_COLUMNS, refuse_header=name_column_reason)
    errors = _scrubbed(table.errors)
    codes = {v["code"] for _, v in table.rows if v.get("code")}
    school_ids = dict(School.objects.filter(code__in=codes).values_list("code", "pk"))
    subjects = {normalise_name(name): pk for name, pk in Subject.objects.values_list("name", "pk")}
    unreadable = {(e.row, e.column) for e in errors}
    seen: dict[tuple, int] = {}
    for row, values in table.rows:
        _check_row(row, values, school_ids, subjects, errors, unreadable)
        key = _key(values)
        if key is None:
            continue
        if key in seen:
            errors.append(RowError(row, HEADERS["teacher_code"], DUPLICATE_KEY.format(row=seen[key]), key[3]))
        else:
            seen[key] = row
    if not table.rows:
        errors.append(RowError(None, "", NO_ROWS))
    require_no_errors(errors)

    keys = [
        (school_ids[v["code"]], v["year"], subjects[normalise_name(v["subject"])], v["teacher_code"])
        for _, v in table.rows
    ]
    existing = {
        (d.school_id, d.year, d.subject_id, d.teacher_code): d
        for d in TeacherDiagnostic.objects.filter(
            school_id__in={k[0] for k in keys}, year__in={k[1] for k in keys}
        )
    }
    summary = upload.summary_counted(rows=len(table.rows), updated=sum(1 for k in keys if k in existing))
    if upload.dry_run:
        return summary

    batch = upload.batch_create(rows=summary.rows)
    records: list[TeacherDiagnostic] = []
    now = timezone.now()
    for key, (_, values) in zip(keys, table.rows, strict=True):
        diagnostic = existing.get(key) or TeacherDiagnostic(
            school_id=key[0], year=key[1], subject_id=key[2], teacher_code=key[3]
        )
        diagnostic.score, diagnostic.max_score = _amount(values["score"]), _amount(values["max_score"])
        diagnostic.import_batch, diagnostic.updated_at = batch, now
        records.append(diagnostic)
    rows_save_with_history(
        model=TeacherDiagnostic,
        records=records,
        fields=["score", "max_score", "import_batch", "updated_at"],
        batch=batch,
        summary=summary,
    )
    return summary


@transaction.atomic
def teacher_bands_save(
    *, rules: TeacherLevelRules, user: User | None = None, comment: str = ""
) -> TeacherLevelRules:
    """Save edited level bands (a form's instance); a new `valid_from` creates a new version. Levels are
    computed when read, so every page and report follows the bands at once; simple_history keeps who
    changed what and when."""
    if not 0 < rules.medium_from < rules.high_from <= 100:
        raise ValidationFailed(TEACHER_BANDS_INVALID)
    rules.changed_by = user if getattr(user, "pk", None) else None
    rules.comment = comment or rules.comment
    rules.save()
    return rules

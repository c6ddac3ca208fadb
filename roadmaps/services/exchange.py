"""Import and export of a roadmap's items as xlsx.

Columns: № / Мероприятие / Сроки / Ответственные / Результат / Этап, then optional ones the export also
writes so that a file can travel out and back without losing anything: Раздел, Направление,
Срок исполнения, Статус, Дата выполнения, Подтверждения, Примечания. The header row is the first row with
«Мероприятие». An item is identified by its number within the roadmap: re-importing updates it; items
missing from the file are kept. All-or-nothing: a file with any error changes nothing.
"""

import re
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from schools.exports import FORMULA_PREFIXES, Sheet, workbook_bytes
from schools.importing import ImportSummary, ImportUpload, require_no_errors, rows_save_with_history
from schools.models import ImportBatch
from schools.tabular import (
    CellError,
    Column,
    RowError,
    display,
    is_no_data,
    parse_date,
    parse_text,
    read_table,
)

from ..models import CycleStage, Direction, ItemStatus, Roadmap, RoadmapItem
from .core import completion_clean, evidence_clean

HEADER_MARKER = "Мероприятие"
STAGE_UNKNOWN = "этап должен быть номером от 1 до 6 или названием этапа управленческого цикла"
STATUS_UNKNOWN = "статус должен быть одним из: " + ", ".join(label for _, label in ItemStatus.choices)
DIRECTION_UNKNOWN = "нет такого направления"
REQUIRED_EMPTY = "обязательное поле не заполнено"
DUPLICATE_NUMBER = "номер мероприятия повторяется (уже был в строке {row})"
NUMBER_TOO_LONG = "номер мероприятия длиннее 20 символов"

# Phrasings of the stages in the seeds (Korsakov) besides the names in the reference table.
STAGE_ALIASES = {
    "целеполагание": 1,
    "цели": 1,
    "показатели методы сбора информации": 2,
    "показатели и методы сбора информации": 2,
    "мониторинг": 3,
    "анализ адресные рекомендации": 4,
    "анализ и адресные рекомендации": 4,
    "меры управленческие решения": 5,
    "меры и управленческие решения": 5,
    "анализ эффективности принятых мер": 6,
}


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-zа-я0-9]+", text.casefold().replace("ё", "е")))


def parse_stage(value: Any) -> int | None:
    if is_no_data(value):
        return None
    text = display(value).strip()
    match = re.match(r"^\s*([1-6])(?:[.)]?\s*(?:$|\D))", text)
    if match and (len(text) == 1 or not text[1:2].isdigit()):
        return int(match.group(1))
    number = STAGE_ALIASES.get(_words(text))
    if number is None:
        raise CellError(STAGE_UNKNOWN)
    return number


def parse_status(value: Any) -> str | None:
    if is_no_data(value):
        return None
    word = _words(display(value))
    for code, label in ItemStatus.choices:
        if word in (code.replace("_", " "), _words(label)):
            return code
    raise CellError(STATUS_UNKNOWN)


def _unescape(value):
    """Undo the export's formula guard: «'=…» written by schools.exports.safe_cell reads back as «=…»."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def parse_plain(value: Any) -> str | None:
    return parse_text(_unescape(value))


def parse_number(value: Any) -> str | None:
    text = parse_text(_unescape(value))
    if text is None:
        return None
    text = text.rstrip(".").strip()
    if len(text) > 20:
        raise CellError(NUMBER_TOO_LONG)
    return text or None


def parse_links(value: Any) -> list[str]:
    if is_no_data(value):
        return []
    return [_unescape(part) for part in re.split(r"[\s;]+", str(value)) if part]


def parse_multiline(value: Any) -> str | None:
    """Text where line breaks matter (a measure with its bullet list)."""
    value = _unescape(value)
    if is_no_data(value):
        return None
    if not isinstance(value, str):
        return display(value).strip()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in value.replace("\r", "").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() or None


ROADMAP_COLUMNS = [
    Column("number", "№", parse_number, required=True, aliases=("№ п/п", "номер")),
    Column(
        "title",
        "Мероприятие",
        parse_multiline,
        required=True,
        aliases=("Мероприятие (содержание деятельности)",),
    ),
    Column("term", "Сроки", parse_plain, aliases=("Сроки исполнения", "Срок")),
    Column(
        "responsible", "Ответственные", parse_plain, aliases=("Ответственные исполнители", "Ответственный")
    ),
    Column("result", "Результат", parse_multiline, aliases=("Ожидаемый результат",)),
    Column("stage", "Этап", parse_stage, required=True, aliases=("Этап управленческого цикла",)),
    Column("section", "Раздел", parse_plain),
    Column("direction", "Направление", parse_text),
    Column("due_date", "Срок исполнения (дата)", parse_date, aliases=("Дата исполнения", "Срок (дата)")),
    Column("status", "Статус", parse_status),
    Column("completed_on", "Дата выполнения", parse_date),
    Column("evidence", "Подтверждения", parse_links, aliases=("Ссылки на подтверждения",)),
    Column("notes", "Примечания", parse_multiline),
]
TEXT_FIELDS = ("title", "term", "responsible", "result", "section", "notes")


def roadmap_items_import(
    *, roadmap: Roadmap, file: IO[bytes], file_name: str, user: User | None = None, dry_run: bool = False
) -> ImportSummary:
    """Import items into `roadmap` from an xlsx. Raises ImportFailed with every error; writes nothing then.

    Run from one roadmap's page rather than the import registry, hence its own signature."""
    upload = ImportUpload(
        kind=ImportBatch.Kind.ROADMAP, file=file, file_name=file_name, user=user, dry_run=dry_run
    )
    table = read_table(file, ROADMAP_COLUMNS, header_marker=HEADER_MARKER)
    errors = list(table.errors)
    unreadable = {(e.row, e.column) for e in table.errors}
    directions = {d.code: d for d in Direction.objects.all()}
    seen: dict[str, int] = {}
    for row, values in table.rows:
        _check_row(row, values, errors, unreadable, directions, seen)
    require_no_errors(errors)

    # Archived items too: numbers are unique over them, and a row with such a number updates the item.
    existing = {item.number: item for item in RoadmapItem.all_objects.filter(roadmap=roadmap)}
    summary = upload.summary_counted(
        rows=len(table.rows),
        updated=sum(1 for _, v in table.rows if v["number"] in existing),
    )
    if dry_run:
        return summary
    with transaction.atomic():
        _write(roadmap, table.rows, existing, directions, upload, summary)
    return summary


def _check_row(row, values, errors, unreadable, directions, seen) -> None:
    for key, header in (("number", "№"), ("title", "Мероприятие"), ("stage", "Этап")):
        if values.get(key) is None and (row, header) not in unreadable:
            errors.append(RowError(row, header, REQUIRED_EMPTY))
    number = values.get("number")
    if number is not None:
        if number in seen:
            errors.append(RowError(row, "№", DUPLICATE_NUMBER.format(row=seen[number]), number))
        else:
            seen[number] = row
    code = values.get("direction")
    if code is not None:
        code = code.split()[0].rstrip(".")
        if code not in directions:
            errors.append(RowError(row, "Направление", DIRECTION_UNKNOWN, values["direction"]))
        values["direction"] = code
    try:
        values["evidence"] = evidence_clean(values.get("evidence") or [])
    except ValidationError as error:
        errors.extend(RowError(row, "Подтверждения", message) for message in error.messages)
    status = values.get("status") or ItemStatus.PLANNED
    if (row, "Статус") not in unreadable and (row, "Дата выполнения") not in unreadable:
        try:
            values["completed_on"] = completion_clean(status=status, completed_on=values.get("completed_on"))
        except ValidationError as error:
            errors.extend(RowError(row, "Дата выполнения", message) for message in error.messages)


def _write(roadmap, rows, existing, directions, upload: ImportUpload, summary) -> None:
    stages = {s.number: s for s in CycleStage.objects.all()}
    batch = upload.batch_create(rows=summary.rows)
    fields = [
        *TEXT_FIELDS,
        "stage",
        "direction",
        "due_date",
        "status",
        "completed_on",
        "evidence",
        "position",
        "import_batch",
        "version",
    ]
    records: list[RoadmapItem] = []
    for position, (_, values) in enumerate(rows, start=1):
        item = existing.get(values["number"]) or RoadmapItem(roadmap=roadmap, number=values["number"])
        for name in TEXT_FIELDS:
            setattr(item, name, values.get(name) or "")
        item.stage = stages[values["stage"]]
        item.direction = directions.get(values.get("direction") or "")
        item.due_date = values.get("due_date")
        item.status = values.get("status") or (item.status if item.pk else ItemStatus.PLANNED)
        item.completed_on = completion_clean(status=item.status, completed_on=values.get("completed_on"))
        item.evidence = values.get("evidence") or []
        item.position = position
        item.import_batch = batch
        if item.pk:
            item.version += 1  # a form opened before the import is now stale (schools.versioning)
        records.append(item)
    rows_save_with_history(
        model=RoadmapItem,
        records=records,
        fields=fields,
        batch=batch,
        summary=summary,
    )


EXPORT_HEADERS = [c.header for c in ROADMAP_COLUMNS]


def roadmap_export_rows(roadmap: Roadmap) -> list[list]:
    items = roadmap.items.select_related("stage", "direction").order_by("position", "pk")
    return [
        [
            item.number,
            item.title,
            item.term,
            item.responsible,
            item.result,
            f"{item.stage.number}. {item.stage.name}",
            item.section,
            item.direction.code if item.direction else "",
            item.due_date,
            item.get_status_display(),
            item.completed_on,
            "\n".join(item.evidence or []),
            item.notes,
        ]
        for item in items
    ]


def roadmap_export_bytes(roadmap: Roadmap) -> bytes:
    about = {
        "Дорожная карта": roadmap.title,
        "Вид": roadmap.get_kind_display(),
        "ОО": f"{roadmap.school.code} {roadmap.school}" if roadmap.school_id else "—",
        "Утверждена": " ".join(
            part
            for part in (
                roadmap.approved_by,
                roadmap.document_number and f"№ {roadmap.document_number}",
                roadmap.document_date and f"от {roadmap.document_date:%d.%m.%Y}",
            )
            if part
        )
        or "—",
        "Период": _period(roadmap),
    }
    return workbook_bytes([Sheet("Мероприятия", EXPORT_HEADERS, roadmap_export_rows(roadmap))], about=about)


def _period(roadmap: Roadmap) -> str:
    start = f"{roadmap.period_start:%d.%m.%Y}" if roadmap.period_start else ""
    end = f"{roadmap.period_end:%d.%m.%Y}" if roadmap.period_end else ""
    return f"{start} – {end}".strip(" –") or "—"

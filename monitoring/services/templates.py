"""Card templates as data: a template is a dict (JSON) that can be exported, edited and imported.

Importing a template with an existing slug replaces its sections and criteria and raises its version;
cards already created keep their own snapshot of the version they were filled with.
"""

import io
import json
from decimal import Decimal, InvalidOperation
from typing import IO

from django.db import transaction
from django.db.models import F
from simple_history.utils import bulk_create_with_history

from schools.exports import Sheet, workbook_bytes
from schools.models import CONTEXT_FIGURES
from schools.tabular import (
    CellError,
    Column,
    ImportFailed,
    RowError,
    normalise_header,
    open_data_sheet,
    parse_bool,
    parse_int,
    parse_text,
    read_table,
)

from ..defaults import DEFAULT_HIGH_SHARE, DEFAULT_MEDIUM_SHARE
from ..models import CardTemplate, Criterion, TemplateSection
from ..rules import DIRECTIONS, LEGACY_KINDS, MEASURES, VALUE_SOURCES, VALUE_TESTS
from ..selectors import template_as_dict

TEMPLATE_INVALID = "Шаблон не загружен: исправьте ошибки."
KIND_LABELS = {str(label).split(" ")[0]: value for value, label in Criterion.Kind.choices}
XLSX_HEADER_MARKER = "Код критерия"
XLSX_COLUMNS = [
    Column("section", "Раздел №", parse_int, required=True),
    Column("section_title", "Раздел", parse_text, required=True),
    Column("section_maximum", "Максимум раздела", parse_int, required=True),
    Column("code", XLSX_HEADER_MARKER, parse_text, required=True),
    Column("text", "Показатель", parse_text, required=True),
    Column("method", "Методика оценки", parse_text),
    Column("points", "Баллов", parse_int, required=True),
    Column("kind", "Вид", parse_text, required=True),
    Column("threshold", "Порог", parse_text),
    Column("rule", "Правило расчёта (JSON)", parse_text),
    Column("options", "Варианты (JSON)", parse_text),
    Column("context_field", "Поле контекста ОО", parse_text),
    Column("evidence_required", "Нужна ссылка", parse_bool),
    Column("periodicity", "Периодичность", parse_text),
    Column("source", "Источник информации", parse_text),
]
XLSX_META = {
    "код шаблона": "slug",
    "название": "title",
    "описание": "description",
    "о ком карта": "subject",
    "участники": "participants",
    "высокая, доля от максимума": "high",
    "средняя, доля от максимума": "medium",
}


def _decimal(value, where: str, errors: list[str]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        errors.append(f"{where}: «{value}» — не число.")
        return None


def _validate_value_rule(rule: dict, where: str, errors: list[str]) -> None:
    if rule["source"] == "indicator" and not str(rule.get("indicator") or "").strip():
        errors.append(f"{where}: укажите код показателя («indicator»).")
    if rule["source"] == "context" and rule.get("field") not in CONTEXT_FIGURES:
        errors.append(f"{where}: «field» — поле контекста ОО: {', '.join(CONTEXT_FIGURES)}.")
    if rule.get("test") not in VALUE_TESTS:
        errors.append(f"{where}: «test» — одно из {', '.join(VALUE_TESTS)}.")
    elif rule["test"] in ("gte", "lte") and _decimal(rule.get("value"), where, errors) is None:
        errors.append(f"{where}: для сравнения с порогом укажите «value».")


def _validate_options(options, where: str, errors: list[str]) -> int:
    """Checks the options of a `choice` criterion; returns the best option's points."""
    if not isinstance(options, list) or len(options) < 2:
        errors.append(f"{where}: у выбора нужно не меньше двух вариантов.")
        return 0
    values = set()
    for option in options:
        option = option if isinstance(option, dict) else {}
        value = str(option.get("value") or "").strip()
        points = option.get("points")
        if not value or value in values:
            errors.append(f"{where}: у каждого варианта свой непустой код («value»).")
        if not str(option.get("label") or "").strip():
            errors.append(f"{where}: у варианта «{value}» нет подписи.")
        if not isinstance(points, int) or points < 0:
            errors.append(f"{where}: баллы варианта «{value}» — целое число не меньше 0.")
        values.add(value)
    return max(
        (o["points"] for o in options if isinstance(o, dict) and isinstance(o.get("points"), int)), default=0
    )


def _validate_rule(rule, where: str, errors: list[str]) -> None:
    if not isinstance(rule, dict):
        errors.append(f"{where}: правило расчёта должно быть объектом JSON.")
        return
    if "source" in rule:
        if rule["source"] not in VALUE_SOURCES:
            errors.append(f"{where}: «source» — indicator (показатель) или context (контекст ОО).")
            return
        _validate_value_rule(rule, where, errors)
        return
    for key in ("procedures", "subjects"):
        if not rule.get(key) or not isinstance(rule[key], list):
            errors.append(f"{where}: в правиле нужен непустой список «{key}».")
    if rule.get("measure") not in MEASURES:
        errors.append(f"{where}: «measure» — одно из {', '.join(sorted(MEASURES))}.")
    if rule.get("direction") not in DIRECTIONS:
        errors.append(f"{where}: «direction» — decrease или increase.")
    if not isinstance(rule.get("grades", []), list):
        errors.append(f"{where}: «grades» — список классов.")


def _validate_criterion(c: dict, where: str, codes: set, errors: list[str]) -> int:
    code = str(c.get("code") or "").strip()
    where = f"{where}, критерий «{code or '?'}»"
    if not code:
        errors.append(f"{where}: не указан код.")
    elif code in codes:
        errors.append(f"{where}: код повторяется.")
    codes.add(code)
    if not str(c.get("text") or "").strip():
        errors.append(f"{where}: не указан текст показателя.")
    kind = LEGACY_KINDS.get(c.get("kind"), c.get("kind"))
    c["kind"] = kind
    points = c.get("points")
    if kind == Criterion.Kind.CHOICE:
        points = c["points"] = _validate_options(c.get("options"), where, errors)
    elif kind == Criterion.Kind.TEXT:
        points = c["points"] = 0 if points in (None, "") else points
    if not isinstance(points, int) or points < 0:
        errors.append(f"{where}: баллов — целое число не меньше 0 (0 — критерий не оценивается).")
        points = 0
    if kind not in Criterion.Kind.values:
        errors.append(f"{where}: вид «{kind}» неизвестен ({', '.join(Criterion.Kind.values)}).")
    if kind == Criterion.Kind.TEXT and points:
        errors.append(f"{where}: текстовый ответ баллов не даёт (укажите 0).")
    threshold = _decimal(c.get("threshold"), where, errors)
    if kind in (Criterion.Kind.SHARE, Criterion.Kind.NUMBER) and points and threshold is None:
        errors.append(f"{where}: для этого вида нужен порог.")
    if kind == Criterion.Kind.SHARE and threshold is not None and not (0 < threshold <= 100):
        errors.append(f"{where}: порог доли — от 0 до 100 %.")
    if kind == Criterion.Kind.COMPUTED:
        _validate_rule(c.get("rule"), where, errors)
    field = c.get("context_field") or ""
    if field and field not in CONTEXT_FIGURES:
        errors.append(f"{where}: поле контекста «{field}» неизвестно ({', '.join(CONTEXT_FIGURES)}).")
    if field == "accreditation_suspended" and kind != Criterion.Kind.FLAG:
        errors.append(f"{where}: поле «{field}» (да/нет) заполняет только критерий вида «да/нет».")
    elif field and field != "accreditation_suspended" and kind not in (Criterion.Kind.NUMBER,):
        errors.append(
            f"{where}: поле контекста «{field}» (количество) заполняет только критерий вида «число»."
        )
    return points


def _default_participants(subject) -> str:
    if subject == CardTemplate.Subject.MUNICIPALITY:
        return CardTemplate.Participants.ALL_MUNICIPALITIES
    return CardTemplate.Participants.LOW_RESULTS


def template_validate(data: dict, *, draft: bool = False) -> list[str]:
    """Russian messages for everything wrong in a template dict; empty when it can be saved.

    `draft`: the browser editor's template in the making may have no sections or an empty section yet
    (a campaign refuses a template without criteria)."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return ["Ожидается объект JSON с полями slug, title, levels, sections."]
    if type(data) is not dict:  # a form's QueryDict: validated as a plain copy (defaults are filled in)
        data = dict(data.items())
    slug = str(data.get("slug") or "")
    if not slug or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in slug):
        errors.append(f"Код шаблона «{slug}»: латинские буквы, цифры, дефис.")
    if not str(data.get("title") or "").strip():
        errors.append("Не указано название шаблона.")
    if data.setdefault("subject", CardTemplate.Subject.SCHOOL) not in CardTemplate.Subject.values:
        errors.append(f"О ком карта: «{data['subject']}» — school (школа) или municipality (муниципалитет).")
    if not data.get("participants"):
        data["participants"] = _default_participants(data.get("subject"))
    participants = data["participants"]
    if participants not in CardTemplate.Participants.values:
        errors.append(
            f"Участники по умолчанию: «{participants}» — {', '.join(CardTemplate.Participants.values)}."
        )
    elif participants != CardTemplate.Participants.MANUAL and (
        data["subject"] == CardTemplate.Subject.MUNICIPALITY
    ) != (participants == CardTemplate.Participants.ALL_MUNICIPALITIES):
        errors.append("Участники по умолчанию не подходят к тому, о ком карта (школы или муниципалитеты).")
    levels = data.get("levels") or {}
    high = _decimal(levels.get("high"), "Высокая степень", errors)
    medium = _decimal(levels.get("medium"), "Средняя степень", errors)
    if high is None or medium is None or not (0 < medium < high <= 1):
        errors.append("Доли уровней: 0 < средняя < высокая ≤ 1 (например 0.8 и 0.6).")
    sections = data.get("sections")
    if draft and sections == []:
        return errors
    if not sections or not isinstance(sections, list):
        return [*errors, "В шаблоне нет разделов."]
    numbers: set[int] = set()
    codes: set[str] = set()
    for section in sections:
        where = f"Раздел {section.get('number', '?')}"
        if not isinstance(section.get("number"), int) or section["number"] in numbers:
            errors.append(f"{where}: номер раздела — целое число, без повторов.")
        numbers.add(section.get("number"))
        if not str(section.get("title") or "").strip():
            errors.append(f"{where}: не указано название.")
        criteria = section.get("criteria") or []
        if not criteria and not draft:
            errors.append(f"{where}: нет критериев.")
        total = sum(_validate_criterion(c, where, codes, errors) for c in criteria)
        maximum = section.get("maximum")
        if not isinstance(maximum, int) or not (min(total, 1) <= maximum <= max(total, 0)):
            errors.append(f"{where}: максимум раздела — от 1 до суммы баллов его критериев ({total}).")
    return errors


class TemplateInvalid(ImportFailed):
    """A template that breaks the rules of a card: the user reads TEMPLATE_INVALID and every problem (a form
    shows them at its file field, the API as "errors"); str() keeps the problems for a log."""

    def __init__(self, problems: list[str]):
        super().__init__([RowError(None, "", problem) for problem in problems])
        self.message = TEMPLATE_INVALID

    def errors_for_api(self) -> list:
        return [e.message for e in self.errors]


@transaction.atomic
def template_import(*, data: dict) -> CardTemplate:
    """Create the template or replace the one with the same slug (its version goes up by one)."""
    errors = template_validate(data)
    if errors:
        raise TemplateInvalid(errors)
    template, created = CardTemplate.objects.get_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "high_share": Decimal(str(data["levels"]["high"])),
            "medium_share": Decimal(str(data["levels"]["medium"])),
        },
    )
    template.title = data["title"].strip()
    template.description = (data.get("description") or "").strip()
    template.subject = data["subject"]
    template.participants = data["participants"]
    template.high_share = Decimal(str(data["levels"]["high"]))
    template.medium_share = Decimal(str(data["levels"]["medium"]))
    template.save()
    if not created:
        CardTemplate.objects.filter(pk=template.pk).update(version=F("version") + 1)
        template.refresh_from_db(fields=["version"])
        template.sections.all().delete()
    for section in data["sections"]:
        _section_create(template, section)
    return template


def _section_create(template: CardTemplate, section: dict) -> None:
    row = TemplateSection.objects.create(
        template=template,
        number=section["number"],
        title=section["title"].strip(),
        maximum=section["maximum"],
    )
    bulk_create_with_history(
        [
            Criterion(
                section=row,
                order=order,
                code=str(c["code"]).strip(),
                text=c["text"].strip(),
                method=c.get("method") or "",
                points=c["points"],
                kind=c["kind"],
                threshold=None
                if c.get("threshold") in (None, "")
                else Decimal(str(c["threshold"]).replace(",", ".")),
                rule=c.get("rule") or {} if c["kind"] == Criterion.Kind.COMPUTED else {},
                options=c.get("options") or [] if c["kind"] == Criterion.Kind.CHOICE else [],
                context_field=c.get("context_field") or "",
                evidence_required=c.get("evidence_required", True),
                periodicity=c.get("periodicity") or "",
                source=c.get("source") or "",
            )
            for order, c in enumerate(section["criteria"], start=1)
        ],
        Criterion,
    )  # with their history rows, so the journal shows what replaced the deleted criteria


def template_same_content(template: CardTemplate, data: dict) -> bool:
    """True when importing `data` would change nothing (used to keep seeding idempotent)."""
    current = {**template_as_dict(template), "version": None}
    candidate = json.loads(json.dumps({**data, "version": None}, default=str))
    candidate["levels"] = {
        k: str(Decimal(str(v)).quantize(Decimal("0.001"))) for k, v in candidate["levels"].items()
    }
    for section in candidate["sections"]:
        for c in section["criteria"]:
            c.setdefault("method", "")
            c.setdefault("periodicity", "")
            c.setdefault("source", "")
            c.setdefault("evidence_required", True)
            c["kind"] = LEGACY_KINDS.get(c["kind"], c["kind"])
            c["rule"] = c.get("rule") or {}
            c["options"] = c.get("options") or []
            c.setdefault("context_field", "")
            c["threshold"] = (
                None if c.get("threshold") in (None, "") else f"{Decimal(str(c['threshold'])).normalize():f}"
            )
    candidate.setdefault("description", "")
    candidate.setdefault("subject", CardTemplate.Subject.SCHOOL)
    candidate.setdefault("participants", _default_participants(candidate["subject"]))
    return current == candidate


# --- JSON and xlsx files ----------------------------------------------------------------------


def template_from_json(raw: bytes) -> dict:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ImportFailed([RowError(None, "", f"файл не является JSON в кодировке UTF-8 ({error})")])


def template_xlsx_bytes(template: CardTemplate) -> bytes:
    data = template_as_dict(template)
    kinds = {value: str(label).split(" ")[0] for value, label in Criterion.Kind.choices}
    rows = [
        [
            section["number"],
            section["title"],
            section["maximum"],
            c["code"],
            c["text"],
            c["method"],
            c["points"],
            kinds[c["kind"]],
            c["threshold"] or "",
            json.dumps(c["rule"], ensure_ascii=False) if c["rule"] else "",
            json.dumps(c["options"], ensure_ascii=False) if c["options"] else "",
            c["context_field"],
            "да" if c["evidence_required"] else "нет",
            c["periodicity"],
            c["source"],
        ]
        for section in data["sections"]
        for c in section["criteria"]
    ]
    # Template data on the first sheet above the criteria table, so one sheet round-trips everything.
    meta = [
        ["Код шаблона", data["slug"]],
        ["Название", data["title"]],
        ["Описание", data["description"]],
        ["О ком карта", data["subject"]],
        ["Участники", data["participants"]],
        ["Высокая, доля от максимума", data["levels"]["high"]],
        ["Средняя, доля от максимума", data["levels"]["medium"]],
        [f"Версия {data['version']}; вид: {', '.join(kinds.values())}", ""],
        ["", ""],
    ]
    headers = [c.header for c in XLSX_COLUMNS]
    return workbook_bytes([Sheet("Шаблон", meta[0], [*meta[1:], headers, *rows])])


def template_from_xlsx(file: IO[bytes]) -> dict:
    sheet = open_data_sheet(file)
    meta = {}
    for cells in sheet.iter_rows():
        if any(normalise_header(c) == normalise_header(XLSX_HEADER_MARKER) for c in cells):
            break
        if cells and normalise_header(cells[0]) in XLSX_META and len(cells) > 1:
            meta[XLSX_META[normalise_header(cells[0])]] = cells[1]
    table = read_table(file, XLSX_COLUMNS, header_marker=XLSX_HEADER_MARKER)
    errors = list(table.errors)
    sections: dict[int, dict] = {}
    for row_number, row in table.rows:
        try:
            criterion = _criterion_from_row(row)
        except CellError as error:
            errors.append(RowError(row_number, "", str(error)))
            continue
        section = sections.setdefault(
            row["section"],
            {
                "number": row["section"],
                "title": row["section_title"],
                "maximum": row["section_maximum"],
                "criteria": [],
            },
        )
        section["criteria"].append(criterion)
    if errors:
        raise ImportFailed(errors)
    return {
        "slug": str(meta.get("slug") or "").strip(),
        "title": str(meta.get("title") or "").strip(),
        "description": str(meta.get("description") or "").strip(),
        "subject": str(meta.get("subject") or CardTemplate.Subject.SCHOOL).strip(),
        "participants": str(meta.get("participants") or "").strip() or None,
        "levels": {
            "high": str(meta.get("high") or DEFAULT_HIGH_SHARE),
            "medium": str(meta.get("medium") or DEFAULT_MEDIUM_SHARE),
        },
        "sections": [sections[n] for n in sorted(sections, key=lambda n: (n is None, n or 0))],
    }


def _criterion_from_row(row: dict) -> dict:
    kind = (row["kind"] or "").strip()
    kind = KIND_LABELS.get(kind, kind)
    try:
        rule = json.loads(row["rule"]) if row["rule"] else {}
        options = json.loads(row["options"]) if row["options"] else []
    except ValueError:
        raise CellError(f"правило расчёта или варианты критерия «{row['code']}» — не JSON")
    return {
        "code": row["code"],
        "text": row["text"],
        "method": row["method"] or "",
        "points": row["points"],
        "kind": kind,
        "threshold": row["threshold"],
        "rule": rule,
        "options": options,
        "context_field": row["context_field"] or "",
        "evidence_required": True if row["evidence_required"] is None else row["evidence_required"],
        "periodicity": row["periodicity"] or "",
        "source": row["source"] or "",
    }


def template_file_read(*, name: str, content: bytes) -> dict:
    """A template dict from an uploaded .json or .xlsx file."""
    if name.lower().endswith(".json"):
        return template_from_json(content)
    return template_from_xlsx(io.BytesIO(content))


def template_version_bump(*, template: CardTemplate) -> None:
    """A template edited in place (admin) gets a new version; cards keep their own snapshots."""
    CardTemplate.objects.filter(pk=template.pk).update(version=F("version") + 1)
    template.refresh_from_db(fields=["version"])

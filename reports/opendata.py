"""Open data of the public tab as the Russian open-data practice lays it out (methodical recommendations,
standard 3.0; DESIGN §10).

`/quality/opendata/list.csv` is the register (`property,title,value,format`); every set has a folder with
`meta.csv` (`property,value`, the rows in the order of `META_PROPERTIES`, then the data and structure file
names with their dates), `data-<YYYYMMDD>-structure-<YYYYMMDD>.csv` (UTF-8, comma) and
`structure-<YYYYMMDD>.csv` (`field name,english description,russian description,format`), the same files
as JSON, and a passport page of 15 rows with the terms of use. The data date is the day of the set's last
change; the structure date is the day its columns were fixed. Only published material and aggregated
counts are published: counts below k read «<10» (`masking.mask_count`); no school is named or ranked.
"""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from schools import formatting

from . import masking

STANDARD_VERSION = "http://opendata.gosmonitor.ru/standard/3.0"
REGISTER_HEADER = ["property", "title", "value", "format"]
META_HEADER = ["property", "value"]
STRUCTURE_HEADER = ["field name", "english description", "russian description", "format"]
META_PROPERTIES = [
    "standardversion",
    "identifier",
    "title",
    "description",
    "creator",
    "created",
    "modified",
    "subject",
    "format",
    "provenance",
    "valid",
    "publishername",
    "publisherphone",
    "publishermbox",
]
TERMS_OF_USE = (
    "Набор открытых данных можно свободно копировать, распространять, изменять и использовать, в том числе "
    "в коммерческих целях, при условии ссылки на источник — {owner} (адрес страницы набора). Владелец набора "
    "не несёт ответственности за выводы, сделанные на основе данных. Численность менее {k} школ или "
    "обучающихся указана как «<{k}»: так набор не позволяет узнать сведения об отдельных организациях."
)


FORMAT_LABELS = {"string": "строка", "integer": "целое число", "date": "дата", "url": "ссылка"}


@dataclass(frozen=True)
class Field:
    name: str
    english: str
    russian: str
    format: str = "string"

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)


@dataclass(frozen=True)
class DataSet:
    slug: str  # the English name of the identifier
    title: str
    description: str
    subject: str  # keywords
    provenance: str  # what the last change was
    structure_date: date
    fields: tuple[Field, ...]
    rows: Callable[[], list[list]]
    dates: Callable[[], tuple[datetime | None, datetime | None]]  # (first publication, last change)

    @property
    def identifier(self) -> str:
        inn = settings.OPEN_DATA_INN
        return f"{inn}-{self.slug}" if inn else self.slug

    def created_modified(self) -> tuple[date, date]:
        first, last = self.dates()
        created = timezone.localdate(first) if first else self.structure_date
        modified = timezone.localdate(last) if last else created
        return created, max(created, modified)

    def file_names(self) -> tuple[str, str]:
        """(data file stem, structure file stem) with their dates."""
        _created, modified = self.created_modified()
        structure = f"structure-{self.structure_date:%Y%m%d}"
        return f"data-{modified:%Y%m%d}-{structure}", structure


def _site(path: str) -> str:
    return settings.SITE_URL + path


def _first_and_last(rows, *, first: str, last: str) -> tuple[datetime | None, datetime | None]:
    """(the earliest `first`, the latest `last`) over `rows`: a set's first publication and last change."""
    found = rows.aggregate(first=Min(first), last=Max(last))
    return found["first"], found["last"]


# --- the rows of each set -----------------------------------------------------------------------------
def _lists_rows() -> list[list]:
    from schools.models import Municipality

    from .public_figures import COUNT_FIELDS, list_counts

    years = list(_computed_years())
    counts = list_counts(years=years)
    names = {pk: (code, name) for pk, code, name in Municipality.objects.values_list("pk", "code", "name")}
    rows = []
    for (municipality_id, year), figures in sorted(
        counts.items(), key=lambda i: (i[0][1], names[i[0][0]][1])
    ):
        masked = [masking.mask_count(figures[name]) for name in COUNT_FIELDS]
        code, name = names[municipality_id]
        rows.append([formatting.school_year(year), code, name, *["" if v is None else v for v in masked]])
    return rows


def _computed_years() -> list[int]:
    from indicators.models import SchoolStatus

    return sorted(SchoolStatus.objects.order_by().values_list("year", flat=True).distinct())


def _lists_dates():
    from indicators.models import ComputationRun

    return _first_and_last(
        ComputationRun.objects.filter(finished_at__isnull=False), first="finished_at", last="finished_at"
    )


def _documents_rows() -> list[list]:
    from .models import Document

    rows = []
    for d in Document.objects.filter(is_published=True).select_related("direction", "stage"):
        rows.append(
            [
                d.direction.code,
                d.direction.name,
                d.stage.number,
                d.stage.name,
                d.get_kind_display(),
                d.title,
                d.number,
                d.date.strftime("%d.%m.%Y") if d.date else "",
                _site(reverse("quality:document-detail", args=[d.pk])),
                _site(reverse("quality:document-file", args=[d.pk])) if d.file else d.url,
            ]
        )
    return rows


def _documents_dates():
    from .models import Document

    published = Document.objects.filter(is_published=True)
    return _first_and_last(published, first="published_at", last="updated_at")


def _reports_rows() -> list[list]:
    from .selectors import published_reports

    rows = []
    for r in published_reports().order_by("series", "edition", "pk"):
        rows.append(
            [
                r.pk,
                r.title,
                r.get_kind_display(),
                formatting.school_year(r.year),
                r.edition or 1,
                "да" if r.is_current_edition else "нет",
                formatting.date(r.published_at),
                _site(r.get_public_url()),
                _site(reverse("quality:report-file", args=[r.pk, "pdf"])),
            ]
        )
    return rows


def _reports_dates():
    from .models import Report

    published = Report.objects.filter(is_published=True)
    return _first_and_last(published, first="published_at", last="published_at")


FIXED = date(2026, 11, 29)  # the day the columns of the three sets were fixed

DATA_SETS = (
    DataSet(
        slug="shnor-shnsu-lists",
        title="Школы с низкими результатами обучения (ШНОР) и в неблагоприятных социальных условиях (ШНСУ): "
        "численность по учебным годам",
        description="Число школ, для которых рассчитаны показатели, число школ в списках ШНОР и ШНСУ, число "
        "вошедших в списки и вышедших из них по сравнению с предыдущим учебным годом, по муниципалитетам. "
        "Численность меньше порога указана как «<10»; школы не называются.",
        subject="образование,качество образования,ШНОР,ШНСУ,школы,списки",
        provenance="Пересчёт показателей по итогам оценочных процедур учебного года",
        structure_date=FIXED,
        fields=(
            Field("school_year", "Academic year", "Учебный год"),
            Field("municipality_code", "Municipality code", "Код муниципалитета"),
            Field("municipality", "Municipality", "Муниципалитет"),
            Field("schools", "Schools with computed indicators", "Школ с рассчитанными показателями"),
            Field("low_results", "Schools with low results (SHNOR)", "Школ в списке ШНОР"),
            Field("unfavourable", "Schools in unfavourable social conditions (SHNSU)", "Школ в списке ШНСУ"),
            Field("low_results_entered", "Entered the SHNOR list", "Вошли в список ШНОР"),
            Field("low_results_left", "Left the SHNOR list", "Вышли из списка ШНОР"),
            Field("unfavourable_entered", "Entered the SHNSU list", "Вошли в список ШНСУ"),
            Field("unfavourable_left", "Left the SHNSU list", "Вышли из списка ШНСУ"),
        ),
        rows=_lists_rows,
        dates=_lists_dates,
    ),
    DataSet(
        slug="quality-documents",
        title="Документы управления качеством образования по направлениям и этапам управленческого цикла",
        description="Опубликованные концептуальные, процессуальные и управленческие документы: направление, "
        "этап управленческого цикла, вид, реквизиты и адрес документа.",
        subject="образование,управление качеством образования,документы,направления,управленческий цикл",
        provenance="Публикация или изменение документа на вкладке «Управление качеством образования»",
        structure_date=FIXED,
        fields=(
            Field("direction_code", "Direction code", "Код направления"),
            Field("direction", "Direction", "Направление"),
            Field(
                "stage_number",
                "Management cycle stage number",
                "Номер этапа управленческого цикла",
                "integer",
            ),
            Field("stage", "Management cycle stage", "Этап управленческого цикла"),
            Field("kind", "Kind of document", "Вид документа"),
            Field("title", "Title", "Наименование"),
            Field("number", "Number", "Номер"),
            Field("date", "Date (dd.mm.yyyy)", "Дата (дд.мм.гггг)", "date"),
            Field("page_url", "Page of the document", "Страница документа", "url"),
            Field("file_url", "File or link", "Файл или ссылка", "url"),
        ),
        rows=_documents_rows,
        dates=_documents_dates,
    ),
    DataSet(
        slug="analytical-reports",
        title="Аналитические отчёты управления качеством образования",
        description="Опубликованные аналитические отчёты со всеми версиями: вид, учебный год, номер версии, "
        "действующая ли версия, дата публикации, адреса страницы и PDF.",
        subject="образование,качество образования,аналитический отчёт,ШНОР,ШНСУ,мониторинг",
        provenance="Публикация отчёта или его новой версии",
        structure_date=FIXED,
        fields=(
            Field("report_id", "Report number on the portal", "Номер отчёта на портале", "integer"),
            Field("title", "Title", "Заголовок"),
            Field("kind", "Kind of report", "Вид отчёта"),
            Field("school_year", "Academic year", "Учебный год"),
            Field("edition", "Version number", "Номер версии", "integer"),
            Field("is_current", "Current version (да/нет)", "Действующая версия (да/нет)"),
            Field("published", "Publication date (dd.mm.yyyy)", "Дата публикации (дд.мм.гггг)", "date"),
            Field("page_url", "Report page", "Страница отчёта", "url"),
            Field("pdf_url", "Tagged PDF", "PDF с разметкой для программ чтения с экрана", "url"),
        ),
        rows=_reports_rows,
        dates=_reports_dates,
    ),
)


def data_set(identifier: str) -> DataSet | None:
    return next((s for s in DATA_SETS if s.identifier == identifier), None)


# --- files ----------------------------------------------------------------------------------------
def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def set_url(data: DataSet, name: str = "") -> str:
    return _site(reverse("quality:opendata-set", args=[data.identifier]) + name)


def register_rows() -> list[list[str]]:
    rows = [["standardversion", "Версия методических рекомендаций", STANDARD_VERSION, ""]]
    rows += [[s.identifier, s.title, set_url(s, "meta.csv"), "csv"] for s in DATA_SETS]
    return rows


def meta_rows(data: DataSet) -> list[list[str]]:
    created, modified = data.created_modified()
    data_name, structure_name = data.file_names()
    values = {
        "standardversion": STANDARD_VERSION,
        "identifier": data.identifier,
        "title": data.title,
        "description": data.description,
        "creator": settings.PORTAL_OWNER,
        "created": f"{created:%Y%m%d}",
        "modified": f"{modified:%Y%m%d}",
        "subject": data.subject,
        "format": "csv",
        "provenance": data.provenance,
        "valid": f"{modified:%Y%m%d}",
        "publishername": settings.OPEN_DATA_PUBLISHER_NAME or settings.PORTAL_OWNER,
        "publisherphone": settings.OPEN_DATA_PUBLISHER_PHONE,
        "publishermbox": settings.OPEN_DATA_PUBLISHER_EMAIL,
    }
    rows = [[name, values[name]] for name in META_PROPERTIES]
    rows.append([data_name, set_url(data, f"{data_name}.csv")])
    rows.append([structure_name, set_url(data, f"{structure_name}.csv")])
    return rows


def structure_rows(data: DataSet) -> list[list[str]]:
    return [[f.name, f.english, f.russian, f.format] for f in data.fields]


def register_file(fmt: str) -> bytes:
    rows = register_rows()
    if fmt == "csv":
        return _csv(REGISTER_HEADER, rows)
    return _json([dict(zip(REGISTER_HEADER, row, strict=True)) for row in rows])


def meta_file(data: DataSet, fmt: str) -> bytes:
    rows = meta_rows(data)
    return _csv(META_HEADER, rows) if fmt == "csv" else _json(dict(rows))


def structure_file(data: DataSet, fmt: str) -> bytes:
    rows = structure_rows(data)
    if fmt == "csv":
        return _csv(STRUCTURE_HEADER, rows)
    return _json([dict(zip(STRUCTURE_HEADER, row, strict=True)) for row in rows])


def data_file(data: DataSet, fmt: str) -> bytes:
    rows = data.rows()
    names = [f.name for f in data.fields]
    return _csv(names, rows) if fmt == "csv" else _json([dict(zip(names, row, strict=True)) for row in rows])


def passport(data: DataSet) -> dict:
    """The 15 rows of the set's passport page and its terms of use."""
    created, modified = data.created_modified()
    data_name, structure_name = data.file_names()
    rows = [
        ("Идентификационный номер (код) набора открытых данных", data.identifier),
        ("Наименование набора открытых данных", data.title),
        ("Описание набора открытых данных", data.description),
        ("Владелец набора открытых данных", settings.PORTAL_OWNER),
        ("Ответственное лицо", settings.OPEN_DATA_PUBLISHER_NAME or settings.PORTAL_OWNER),
        ("Телефон ответственного лица", settings.OPEN_DATA_PUBLISHER_PHONE or "—"),
        ("Адрес электронной почты ответственного лица", settings.OPEN_DATA_PUBLISHER_EMAIL or "—"),
        ("Гиперссылка (URL) на набор", set_url(data, f"{data_name}.csv")),
        ("Формат данных", "csv (также json)"),
        ("Описание структуры набора открытых данных", set_url(data, f"{structure_name}.csv")),
        ("Дата первой публикации набора открытых данных", created.strftime("%d.%m.%Y")),
        ("Дата последнего внесения изменений", modified.strftime("%d.%m.%Y")),
        ("Содержание последнего изменения", data.provenance),
        ("Дата актуальности набора открытых данных", modified.strftime("%d.%m.%Y")),
        ("Ключевые слова, соответствующие содержанию набора данных", data.subject.replace(",", ", ")),
    ]
    return {
        "rows": rows,
        "terms": TERMS_OF_USE.format(owner=settings.PORTAL_OWNER, k=masking.small_count_k()),
        "data_name": data_name,
        "structure_name": structure_name,
    }

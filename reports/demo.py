"""Demo data of the reports app: the seed documents in the registry (published, placed by direction and
stage) and the annual report of the latest computed year, built and published. Idempotent."""

import datetime
from pathlib import Path

from django.conf import settings

from roadmaps.models import CycleStage, Direction
from schools import formatting

from .builders import BuildError
from .models import Document, Report
from .services import document_publish, report_build, report_create, report_publish

SEEDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "seeds"

# (date, issuer, seed file) of the Ishimbay order № 1048, the source of most documents below
ISHIMBAY_ORDER_1048 = (
    datetime.date(2021, 7, 5),
    "Управление образования МР Ишимбайский район",
    "000_e1e9f68a6d8f321e.txt",
)
# (title, kind, direction, stage, number, date, issuer, seed file, (start marker, end marker), description)
DOCUMENTS = [
    (
        "О совершенствовании муниципальных механизмов управления качеством образования в Ишимбайском районе",
        "managerial",
        "1.2",
        1,
        "1048",
        *ISHIMBAY_ORDER_1048,
        ("ПРИКАЗ", "Закрепление ответственности"),
        "Координаторы, муниципальный оператор, перечень исполнителей по направлениям, технологическая карта, "
        "муниципальная программа по работе со ШНОР и ШНСУ.",
    ),
    (
        "Технологическая карта реализации направлений совершенствования муниципальных механизмов управления "
        "качеством образования (приложение 2 к приказу № 1048)",
        "conceptual",
        "1.1",
        1,
        "1048, прил. 2",
        *ISHIMBAY_ORDER_1048,
        ("Технологическая карта", "1.2 Муниципальная программа"),
        "Шесть этапов управленческого цикла с обязанностями координатора, исполнителей и муниципального оператора.",
    ),
    (
        "Муниципальная программа (комплекс мер) «Система работы со школами с низкими результатами обучения и/или "
        "школами, функционирующими в неблагоприятных социальных условиях»",
        "conceptual",
        "1.2",
        1,
        "1048, прил. 3",
        *ISHIMBAY_ORDER_1048,
        ("Обоснование целей и задач", "Методы сбора:"),
        "Цели и задачи работы со ШНОР и ШНСУ.",
    ),
    (
        "Показатели, методы сбора и обработки информации по ШНОР и ШНСУ (муниципальная программа, раздел 2)",
        "conceptual",
        "1.2",
        2,
        "1048, прил. 3",
        *ISHIMBAY_ORDER_1048,
        ("Методы сбора:", "Мониторинги:"),
        "Показатели ШНОР и ШНСУ, формулы, источники, методы обработки: группировка, ранжирование, медиана, "
        "среднее, шкалирование.",
    ),
    (
        "Порядок проведения мониторинга системы работы со школами с низкими результатами обучения и/или школами, "
        "функционирующими в неблагоприятных социальных условиях",
        "procedural",
        "1.2",
        3,
        "",
        None,
        "Отдел образования администрации г. Лесосибирска",
        "002_5ab4d081bfbcab36.txt",
        ("", ""),
        "Этапы мониторинга со сроками, экспертная карта на 17 баллов, уровни эффективности.",
    ),
    (
        "План мероприятий «дорожной карты» по развитию муниципальной системы оценки качества образования и "
        "муниципальных механизмов управления качеством образования на территории Махнёвского муниципального образования",
        "managerial",
        "1.1",
        5,
        "714",
        datetime.date(2020, 11, 2),
        "Администрация Махнёвского муниципального образования",
        "001_5a1b8d5fcbd6edef.txt",
        ("", ""),
        "33 мероприятия по системам оценки качества, объективности, эффективности руководителей, ПК педагогов, ШНОР.",
    ),
    (
        "«Дорожная карта» по организации системной работы со школами с низкими результатами обучения и школами, "
        "функционирующими в неблагоприятных условиях в Корсаковском районе",
        "managerial",
        "1.2",
        5,
        "50-0",
        datetime.date(2021, 5, 27),
        "Отдел образования Корсаковского района",
        "003_715c3ac37ebe7448.txt",
        ("", ""),
        "Мероприятия по этапам управленческого цикла с ожидаемыми результирующими документами.",
    ),
    (
        "Мониторинг муниципальных показателей ШНОР и ШНСУ: анализ и адресные рекомендации (раздел программы)",
        "procedural",
        "1.2",
        4,
        "1048, прил. 3",
        *ISHIMBAY_ORDER_1048,
        ("Мониторинги:", "Меры, управленческие решения"),
        "Пять мониторингов и порядок подготовки адресных рекомендаций.",
    ),
    (
        "Меры, управленческие решения и анализ эффективности принятых мер (раздел программы)",
        "managerial",
        "1.2",
        6,
        "1048, прил. 3",
        *ISHIMBAY_ORDER_1048,
        ("Меры, управленческие решения", ""),
        "Виды управленческих решений и подготовка аналитического отчёта об эффективности принятых мер.",
    ),
]


def _excerpt(file_name: str, markers: tuple[str, str]) -> str:
    path = SEEDS_DIR / file_name
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    start, end = markers
    begin = text.find(start) if start else 0
    begin = max(begin, 0)
    finish = text.find(end, begin + len(start)) if end else -1
    return text[begin : finish if finish > 0 else len(text)].strip()


def build(*, stdout) -> None:
    directions = {d.code: d for d in Direction.objects.all()}
    stages = {s.number: s for s in CycleStage.objects.all()}
    if not directions or not stages:
        stdout.write("Реестр документов: нет направлений и этапов (запустите seed_reference).")
        return
    count = 0
    for title, kind, direction, stage, number, date, issuer, seed, markers, description in DOCUMENTS:
        text = _excerpt(seed, markers) or description
        document, _ = Document.objects.update_or_create(
            title=title,
            defaults={
                "kind": kind,
                "direction": directions[direction],
                "stage": stages[stage],
                "number": number,
                "date": date,
                "issuer": issuer,
                "description": description,
                "text": text,
            },
        )
        if not document.is_published:
            document_publish(document=document, user=None)
        count += 1
    stdout.write(f"Реестр документов: {count} документов из исходных материалов опубликованы.")
    _annual_report(stdout)


def _annual_report(stdout) -> None:
    from indicators.models import SchoolStatus

    year = SchoolStatus.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        stdout.write("Аналитический отчёт не построен: нет рассчитанных статусов ОО.")
        return
    report = Report.objects.filter(kind=Report.Kind.ANNUAL, year=year, status=Report.Status.DONE).first()
    if report is None:
        report = report_create(kind=Report.Kind.ANNUAL, year=year)
        try:
            report = report_build(report_id=report.pk)
        except BuildError as error:
            stdout.write(f"Аналитический отчёт не построен: {error}")
            return
    if not report.is_published:
        report_publish(report_id=report.pk)
    stdout.write(
        f"Аналитический отчёт за {formatting.school_year(year)} учебный год построен и опубликован (№ {report.pk})."
    )

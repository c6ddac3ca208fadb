"""Demo data: the Makhnevo and Korsakov roadmaps (seeds 001, 003), a support programme for every ШНОР school
of 2025/2026, recommendations (answered and not) and management decisions linked to them. Idempotent:
rows are found by their natural keys and updated."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from schools.demo import SCHOOL_PROFILES
from schools.models import School

from . import reference
from .effectiveness import list_membership
from .models import (
    CycleStage,
    Direction,
    ItemStatus,
    ManagementDecision,
    Recommendation,
    Roadmap,
    RoadmapItem,
)
from .seed_roadmaps import KORSAKOV, MAKHNEVO, korsakov_rows, makhnevo_rows

YEAR = 2025
PROGRAMME_START = date(2025, 9, 1)
PROGRAMME_END = date(2026, 8, 31)

# (stage, measure, term, responsible, result document, due date)
PROGRAMME_ITEMS = [
    (
        1,
        "Анализ причин низких результатов и утверждение программы помощи: цели, задачи и целевые значения "
        "показателей на 2025/2026 учебный год",
        "сентябрь",
        "Руководитель ОО",
        "Приказ ОО об утверждении программы помощи",
        date(2025, 9, 30),
    ),
    (
        2,
        "Определение школьных показателей и источников данных: доля отметок «2» по ВПР, доля не преодолевших "
        "минимальный порог ОГЭ/ЕГЭ, систематические пропуски",
        "октябрь",
        "Заместитель руководителя по УВР",
        "Перечень показателей в положении о ВСОКО",
        date(2025, 10, 15),
    ),
    (
        3,
        "Стартовая диагностика обучающихся с трудностями в учебной деятельности для определения причин "
        "неуспешности",
        "октябрь",
        "Педагог-психолог, руководители ШМО",
        "Справка по итогам диагностики",
        date(2025, 10, 31),
    ),
    (
        3,
        "Диагностика профессиональных дефицитов учителей русского языка и математики",
        "ноябрь",
        "ИМЦ, заместитель руководителя по УВР",
        "Индивидуальные образовательные маршруты педагогов",
        date(2025, 11, 28),
    ),
    (
        4,
        "Анализ результатов ВПР и пробного ОГЭ, адресные рекомендации учителям",
        "по итогам каждой процедуры",
        "Руководители ШМО",
        "Аналитическая справка, протокол педагогического совета",
        date(2025, 12, 19),
    ),
    (
        5,
        "Участие в модели адресного наставничества «ШНОР – школа с высокими результатами»",
        "в течение года",
        "Руководитель ОО",
        "Соглашение о партнёрстве, план совместных мероприятий",
        date(2026, 2, 27),
    ),
    (
        5,
        "Курсы повышения квалификации учителей по приёмам работы с детьми с риском учебной неуспешности",
        "в течение года",
        "Руководитель ОО, ИМЦ",
        "Удостоверения о повышении квалификации",
        date(2026, 3, 31),
    ),
    (
        5,
        "Родительские собрания по подготовке к оценочным процедурам",
        "перед каждой процедурой",
        "Классные руководители",
        "Протоколы родительских собраний",
        date(2026, 4, 15),
    ),
    (
        6,
        "Анализ выполнения программы помощи и динамики результатов, корректировка программы на следующий год",
        "июнь",
        "Руководитель ОО",
        "Отчёт о реализации программы, приказ о корректировке",
        date(2026, 6, 30),
    ),
]


def build(*, stdout) -> None:
    reference.seed()
    today = timezone.localdate()
    with transaction.atomic():
        makhnevo = _seed_roadmap(MAKHNEVO, makhnevo_rows(), today)
        korsakov = _seed_roadmap(KORSAKOV, korsakov_rows(), today)
        schools = shnor_schools(year=YEAR)
        for index, school in enumerate(schools):
            _programme(school, index, today)
        routes = sum(_individual_routes(school) for school in schools)
        recommendations = _recommendations(schools, today)
        decisions = _decisions(schools, recommendations)
    stdout.write(
        f"Дорожные карты: «Махнёво» ({makhnevo.items.count()} мероприятий), «Корсаков» ({korsakov.items.count()}); "
        f"программы помощи: {len(schools)} (ИОМ педагогов: {routes}); рекомендаций: {len(recommendations)}; "
        f"решений: {len(decisions)}."
    )


def _individual_routes(school: School) -> int:
    """ИОМ of the school's low-level teachers in its support programme (none when it has none)."""
    from schools.errors import ValidationFailed

    from .services.routes import individual_routes_create

    try:
        return individual_routes_create(school=school, user=None).created
    except ValidationFailed:
        return 0


def shnor_schools(*, year: int) -> list[School]:
    """The ШНОР schools of the year from the computed statuses (overrides applied), else the demo's weak ones."""
    membership = list_membership(years=(year,))
    ids = [school_id for (school_id, _), lists in membership.items() if lists["low_results"]]
    if ids:
        return list(School.objects.filter(pk__in=ids).order_by("code"))
    weak = [code for code, profile in SCHOOL_PROFILES.items() if profile == "weak"]
    return list(School.objects.filter(code__in=weak).order_by("code"))


def _seed_roadmap(spec: dict, rows: list[dict], today: date) -> Roadmap:
    document_date = date.fromisoformat(spec["document_date"])
    directions = {d.code: d for d in Direction.objects.all()}
    items = []
    for row in rows:
        due, status, completed = _seed_schedule(row, document_date, today)
        direction = directions.get(row["direction"] or "")
        items.append(
            {**row, "direction": direction, "due_date": due, "status": status, "completed_on": completed}
        )
    return _roadmap(
        key={"kind": Roadmap.Kind.MUNICIPAL, "title": spec["title"]},
        defaults={
            "approved_by": spec["approved_by"],
            "document_number": spec["document_number"],
            "document_date": document_date,
            "period_start": document_date,
        },
        directions=spec["directions"],
        items=items,
    )


def _roadmap(*, key: dict, defaults: dict, directions: list[str], items: list[dict]) -> Roadmap:
    """The roadmap found by `key` and updated with `defaults`, with its directions (codes) and its items in
    order: RoadmapItem fields, "number" finds the item and "stage" is the number of the cycle stage."""
    roadmap, _ = Roadmap.objects.update_or_create(**key, defaults=defaults)
    roadmap.directions.set(Direction.objects.filter(code__in=directions))
    stages = {s.number: s for s in CycleStage.objects.all()}
    for position, item in enumerate(items, start=1):
        fields = {**item, "stage": stages[item["stage"]], "position": position}
        RoadmapItem.objects.update_or_create(roadmap=roadmap, number=fields.pop("number"), defaults=fields)
    return roadmap


def _seed_schedule(row: dict, approved: date, today: date) -> tuple[date | None, str, date | None]:
    """A concrete due date for terms that name a year or a month; past ones are done."""
    term = row["term"].casefold()
    years = [int(part) for part in term.replace("-", " ").split() if part.isdigit() and len(part) == 4]
    if years:
        due = date(max(years), 12, 31)
    elif "август" in term or row["title"].startswith(("Подготовка комплексного анализа", "Ежегодный доклад")):
        due = date(today.year if today <= date(today.year, 8, 31) else today.year + 1, 8, 31)
    else:
        return None, ItemStatus.IN_PROGRESS, None
    if due < today:
        return due, ItemStatus.DONE, min(due, today)
    if row["number"] in ("1", "1.1"):
        return due, ItemStatus.DONE, approved
    return due, ItemStatus.PLANNED, None


def _programme(school: School, index: int, today: date) -> Roadmap:
    direction = Direction.objects.filter(code="1.2").first()
    horizon = today + timedelta(days=14)
    items = []
    for position, (stage, title, term, responsible, result, due) in enumerate(PROGRAMME_ITEMS, start=1):
        lagging = index % 2 == 0 and position in (4, 5)  # every other school falls behind on two measures
        if due < today and not lagging:
            status, completed = ItemStatus.DONE, due - timedelta(days=3)
            evidence = [f"https://school-{school.code}.edu.example/programma/{position}"]
        else:
            status = ItemStatus.IN_PROGRESS if (due <= horizon or lagging) else ItemStatus.PLANNED
            completed, evidence = None, []
        items.append(
            {
                "number": str(position),
                "stage": stage,
                "direction": direction,
                "title": title,
                "term": term,
                "responsible": responsible,
                "result": result,
                "due_date": due,
                "status": status,
                "completed_on": completed,
                "evidence": evidence,
            }
        )
    return _roadmap(
        key={"kind": Roadmap.Kind.SCHOOL, "school": school, "period_start": PROGRAMME_START},
        defaults={
            "title": f"Программа помощи «{school.display_name}» на 2025/2026 учебный год",
            "approved_by": "Приказ управления образования",
            "document_number": f"{301 + index}-о",
            "document_date": date(2025, 9, 15),
            "period_end": PROGRAMME_END,
        },
        directions=["1.2", "2.3"],
        items=items,
    )


def _recommendations(schools: list[School], today: date) -> list[Recommendation]:
    direction = Direction.objects.filter(code="1.2").first()
    made = []
    for index, school in enumerate(schools):
        answered = index % 2 == 1
        made.append(
            _recommendation(
                {"school": school, "source_ref": f"list:low_results:{YEAR}"},
                problem_area="Низкие результаты обучения (школа в списке ШНОР 2025/2026)",
                text="Разработать и утвердить программу помощи школе с целевыми значениями показателей; провести "
                "анализ причин низких результатов по каждому классу и предмету.",
                source_kind=Recommendation.SourceKind.LIST,
                due_date=date(2025, 10, 31),
                direction=direction,
                answer=(
                    "Программа помощи утверждена приказом по школе, причины проанализированы на педагогическом "
                    "совете."
                    if answered
                    else ""
                ),
                answer_evidence=[f"https://school-{school.code}.edu.example/shnor/prikaz"]
                if answered
                else [],
            )
        )
        made.append(
            _recommendation(
                {"school": school, "source_ref": f"indicator:vpr_fail_share:{YEAR}"},
                problem_area="Высокая доля отметок «2» по ВПР",
                text="Организовать индивидуальные занятия с обучающимися, получившими «2» по ВПР по русскому языку и "
                "математике; включить учителей в диагностику профессиональных дефицитов.",
                source_kind=Recommendation.SourceKind.INDICATOR,
                due_date=date(2025, 12, 15),
                direction=direction,
            )
        )
    made.append(
        _recommendation(
            {
                "target_group": Recommendation.TargetGroup.TEACHERS,
                "source_ref": f"indicator:vpr_lowered_share:{YEAR}",
            },
            problem_area="Расхождение отметок ВПР и текущих отметок",
            text="Использовать критериальное оценивание и единые подходы к проверке работ; обсудить результаты "
            "ВПР на заседаниях школьных методических объединений.",
            source_kind=Recommendation.SourceKind.INDICATOR,
            due_date=None,
            direction=Direction.objects.filter(code="2.1").first(),
        )
    )
    made.append(
        _recommendation(
            {"target_group": Recommendation.TargetGroup.PARENTS, "source_ref": f"list:low_results:{YEAR}"},
            problem_area="Вовлечённость родителей в подготовку к оценочным процедурам",
            text="Принять участие в родительских собраниях перед ВПР и ОГЭ; контролировать посещаемость занятий.",
            source_kind=Recommendation.SourceKind.LIST,
            due_date=None,
            direction=direction,
        )
    )
    return made


def _recommendation(
    key: dict, *, answer: str = "", answer_evidence: list | None = None, **fields
) -> Recommendation:
    """The recommendation found by `key` and the demo year, sent, or answered when `answer` is given."""
    recommendation, _ = Recommendation.objects.update_or_create(
        **key,
        year=YEAR,
        defaults=fields,
        create_defaults={**fields, "status": Recommendation.Status.SENT},
    )
    if answer:
        recommendation.answer = answer
        recommendation.answer_evidence = answer_evidence or []
        recommendation.status = Recommendation.Status.ANSWERED
        recommendation.answered_at = recommendation.answered_at or timezone.now()
        recommendation.save()
    return recommendation


def _decisions(schools: list[School], recommendations: list[Recommendation]) -> list[ManagementDecision]:
    by_ref = {}
    for r in recommendations:
        by_ref.setdefault(r.source_ref, []).append(r)
    village = [s for s in schools if s.settlement == School.Settlement.VILLAGE][:3]
    specs = [
        {
            "kind": ManagementDecision.Kind.TRAINING,
            "year": YEAR,
            "title": "Направить учителей русского языка и математики ШНОР на курсы повышения квалификации по "
            "работе с детьми с риском учебной неуспешности",
            "document_number": "245-о",
            "document_date": date(2025, 10, 10),
            "responsible": "Мастрюкова Л.И.",
            "participants": "ИМЦ, руководители ШНОР",
            "deadline": date(2026, 3, 31),
            "status": ItemStatus.IN_PROGRESS,
            "schools": schools,
            "recommendations": by_ref.get(f"indicator:vpr_fail_share:{YEAR}", []),
        },
        {
            "kind": ManagementDecision.Kind.METHODICAL,
            "year": YEAR,
            "title": "Закрепить за каждой ШНОР школу-наставника с высокими результатами (модель «ШНОР – школа с "
            "высокими результатами»)",
            "document_number": "252-о",
            "document_date": date(2025, 9, 25),
            "responsible": "Доценко Т.И.",
            "participants": "ИМЦ, руководители школ-наставников",
            "deadline": date(2025, 11, 1),
            "status": ItemStatus.DONE,
            "schools": schools,
            "recommendations": by_ref.get(f"list:low_results:{YEAR}", []),
        },
        {
            "kind": ManagementDecision.Kind.FINANCIAL,
            "year": YEAR,
            "title": "Выделить средства на компьютерное оснащение кабинетов и устойчивый доступ в интернет "
            "сельским ШНОР",
            "document_number": "19-ф",
            "document_date": date(2025, 11, 20),
            "responsible": "Начальник управления образования",
            "participants": "Бухгалтерия, руководители ОО",
            "deadline": date(2026, 5, 31),
            "status": ItemStatus.PLANNED,
            "schools": village,
            "recommendations": [],
        },
        {
            "kind": ManagementDecision.Kind.METHODICAL,
            "year": YEAR - 1,
            "title": "Провести выездные методические консультации ИМЦ в школах с низкими результатами",
            "document_number": "198-о",
            "document_date": date(2024, 10, 1),
            "responsible": "Мастрюкова Л.И.",
            "participants": "ИМЦ",
            "deadline": date(2025, 4, 30),
            "status": ItemStatus.DONE,
            "schools": schools,
            "recommendations": [],
        },
    ]
    direction = Direction.objects.filter(code="1.2").first()
    decisions = []
    for spec in specs:
        fields = {**spec, "direction": direction}
        schools_linked, recs = fields.pop("schools"), fields.pop("recommendations")
        decision, _ = ManagementDecision.objects.update_or_create(
            title=fields.pop("title"), year=fields.pop("year"), defaults=fields
        )
        decision.schools.set(schools_linked)
        decision.recommendations.set(recs)
        decisions.append(decision)
    return decisions

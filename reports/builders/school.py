"""The profile of one school: context, indices and list membership over the years, every indicator of
the year beside its cluster median, recommendations and decisions addressed to the school."""

from statistics import median

from indicators.models import Indicator, IndicatorValue, SchoolStatus
from roadmaps.models import ManagementDecision, Recommendation
from schools import formatting
from schools.models import School, SchoolContext

from .base import COUNT, NUMBER, RANK, SHARE, TEXT, BuildError, Progress, round_or_none, table, year_label

NO_SCHOOL = "ОО с кодом «{code}» не найдена."


def build(report, progress: Progress) -> dict:
    code = report.params.get("school", "")
    school = School.objects.filter(code=code).select_related("municipality").first()
    if school is None:
        raise BuildError(NO_SCHOOL.format(code=code))
    year = report.year
    progress(15, "Контекст и статусы по годам")
    contexts = list(SchoolContext.objects.filter(school=school, year__lte=year).order_by("year"))
    statuses = {
        s.year: s for s in SchoolStatus.objects.filter(school=school, year__lte=year).order_by("year")
    }
    current = statuses.get(year)
    progress(35, "Показатели и медианы кластера")
    catalogue = list(Indicator.objects.order_by("order", "code"))
    mine = {v.indicator_id: v for v in IndicatorValue.objects.filter(school=school, year=year)}
    peers: dict[int, list[float]] = {}
    if current and current.cluster:
        cluster_ids = SchoolStatus.objects.filter(year=year, cluster=current.cluster).values("school_id")
        for indicator_id, value in IndicatorValue.objects.filter(
            year=year, school_id__in=cluster_ids, value__isnull=False
        ).values_list("indicator_id", "value"):
            peers.setdefault(indicator_id, []).append(value)
    value_rows = []
    for indicator in catalogue:
        v = mine.get(indicator.pk)
        if v is None:
            continue
        value_rows.append(
            [
                indicator.short_name or indicator.name,
                _int(v.numerator),
                _int(v.denominator),
                round_or_none(v.value),
                round_or_none(median(peers[indicator.pk])) if peers.get(indicator.pk) else None,
            ]
        )
    recommendations = list(Recommendation.objects.filter(school=school, year=year).order_by("pk"))
    decisions = list(ManagementDecision.objects.filter(schools=school, year=year).order_by("pk"))
    label = school.short_name or school.name
    tables = {
        "context": table(
            "Контингент по годам",
            [("Учебный год", TEXT), ("Обучающихся", COUNT), ("Педагогов", NUMBER)],
            [[year_label(c.year), c.students, c.teachers] for c in contexts],
            sheet="Контингент",
        ),
        "status": table(
            "Индексы, место в кластере и списки по годам",
            [
                ("Учебный год", TEXT),
                ("Кластер", TEXT),
                ("Индекс результатов", NUMBER),
                ("Место", RANK),
                ("Индекс соц. благополучия", NUMBER),
                ("ШНОР", TEXT),
                ("ШНСУ", TEXT),
            ],
            [
                [
                    year_label(y),
                    s.cluster or "—",
                    round_or_none(s.results_index, 1),
                    f"{s.rank_in_cluster} из {s.cluster_size}" if s.rank_in_cluster else "—",
                    round_or_none(s.social_index, 1),
                    "да" if s.low_results else "нет",
                    "да" if s.unfavourable else "нет",
                ]
                for y, s in sorted(statuses.items())
            ],
            sheet="Статусы",
        ),
        "values": table(
            f"Показатели за {year_label(year)} учебный год",
            [
                ("Показатель", TEXT),
                ("Числитель", COUNT),
                ("Знаменатель", COUNT),
                ("Значение, %", SHARE),
                ("Медиана кластера, %", NUMBER),
            ],
            value_rows,
            basis={3: [1, 2]},
            sheet="Показатели",
        ),
        "recommendations": table(
            "Адресные рекомендации",
            [("Проблемная область", TEXT), ("Рекомендация", TEXT), ("Статус", TEXT)],
            [[r.problem_area, r.text, r.get_status_display()] for r in recommendations],
            sheet="Рекомендации",
        ),
        "decisions": table(
            "Управленческие решения",
            [("Решение", TEXT), ("Вид", TEXT), ("Статус", TEXT)],
            [[d.title, d.get_kind_display(), d.get_status_display()] for d in decisions],
            sheet="Решения",
        ),
    }
    draft = []
    if current:
        draft.append(
            f"{label}: индекс результатов {formatting.number(current.results_index, 1)}"
            + (
                f", место {current.rank_in_cluster} из {current.cluster_size} в кластере"
                if current.rank_in_cluster
                else ""
            )
            + (". ОО входит в список ШНОР." if current.low_results else ". ОО не входит в список ШНОР.")
        )
    return {
        "title": f"Профиль ОО: {label}, {year_label(year)} учебный год",
        "subtitle": school.name,
        "sections": [
            {
                "id": "school",
                "title": "Сведения об ОО",
                "paragraphs": [
                    f"{school.name}. Код ОО: {school.code}. "
                    f"{school.municipality.name}, {school.get_settlement_display()}."
                    + (f" Адрес: {school.address}." if school.address else "")
                ],
                "tables": ["context"],
                "charts": [
                    {
                        "type": "line",
                        "title": "Индекс результатов по годам",
                        "axis": "баллов индекса",
                        "categories": [year_label(y) for y in sorted(statuses)],
                        "series": [
                            {
                                "label": "Индекс результатов",
                                "values": [
                                    round_or_none(statuses[y].results_index, 1) for y in sorted(statuses)
                                ],
                            }
                        ],
                    }
                ]
                if statuses
                else [],
            },
            {"id": "status", "title": "Положение в кластере и списках", "tables": ["status"]},
            {"id": "values", "title": "Показатели и медианы кластера", "tables": ["values"]},
            {
                "id": "support",
                "title": "Рекомендации и управленческие решения",
                "tables": ["recommendations", "decisions"],
            },
        ],
        "tables": tables,
        "conclusions_draft": draft,
    }


def _int(value):
    return None if value is None else int(round(value))

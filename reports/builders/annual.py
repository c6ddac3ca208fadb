"""The annual ШНОР/ШНСУ analytical report of a year (seed 000: methods, lists, indicators, rankings).

Reads are set-based (a fixed number of queries); the body holds summaries and charts, the full
per-school tables go to the annex and the xlsx.
"""

from collections import defaultdict

from django.conf import settings

from indicators.defaults import DEFAULT_SIZE_EDGES
from reports import selectors
from schools import formatting
from schools.panels import list_approval

from .base import (
    COUNT,
    NUMBER,
    RANK,
    SHARE,
    TEXT,
    BuildError,
    Progress,
    fmt,
    pp,
    round_or_none,
    stats,
    table,
    year_label,
)

HISTORY_YEARS = 5
LIST_LABELS = {"low_results": "ШНОР", "unfavourable": "ШНСУ"}
GROUP_TITLES = {
    "results": "Результаты обучения (ШНОР)",
    "social": "Социальные условия (ШНСУ)",
    "teachers": "Педагогические кадры",
}
UNKNOWN_MUNICIPALITY = "Муниципалитета с кодом «{code}» нет."
ANNEX_IN_XLSX = (
    "Сводная таблица по {schools} образовательным организациям (индексы, места, списки) и значения "
    "показателей по каждой ОО приведены в файле xlsx отчёта (листы «ОО» и «Значения показателей»)."
)
NO_STATUSES = (
    "За {year} учебный год нет рассчитанных показателей и статусов ОО. "
    "Выполните расчёт показателей за этот год (раздел «Показатели») и повторите построение отчёта."
)
METHODS = [
    "Источники данных: региональная информационная система обеспечения ГИА (результаты ОГЭ и ЕГЭ), "
    "ФИС ОКО (результаты ВПР), сведения образовательных организаций о контингенте и социальных условиях, "
    "реестр образовательных организаций.",
    "Группировка: образовательные организации распределены по кластерам — муниципалитет × тип поселения "
    "(город/село) × численность обучающихся. "
    "Ранжирование: внутри кластера организации упорядочены по индексу "
    "результатов (1 — самый низкий). Для каждого показателя рассчитаны медиана, среднее арифметическое, "
    "минимум и максимум по кластеру и по муниципалитету, доли — от общего числа участников.",
    "Шкалирование: значение показателя переводится в риск от 0 до 1 относительно минимума и максимума "
    "совокупности; индекс результатов равен 100 × (1 − средний риск) по показателям ЕГЭ, ОГЭ и ВПР, индекс "
    "социального благополучия — 100 × (1 − средний риск) по социальным показателям и признакам школы.",
    "Результаты ВПР не используются для оценки деятельности отдельных учителей; признаки необъективности "
    "результатов приводятся для сведения и не входят в индекс.",
]
OBJECTIVITY_TEXT = [
    "Признаки необъективности результатов рассчитаны по строкам результатов (предмет, класс) с достаточным "
    "числом участников: много «понизили» или «повысили» отметку на ВПР, доля «5» на ВПР намного выше, чем в "
    "муниципалитете, ОГЭ не подтверждает ВПР 8 класса, ВПР выше КДР, претенденты на медаль не подтвердили "
    "результаты ЕГЭ. Пороги муниципальные, не федеральные: их установило управление образования.",
    "Признаки описывают результаты оценочных процедур, а не работу учителей. Перечень школ ведётся "
    "сотрудниками управления и в отчёт не включается; в таблице — только число школ, в опубликованной "
    "версии малые числа скрыты.",
]


def build(report, progress: Progress) -> dict:
    year = report.year
    years = list(range(year - HISTORY_YEARS + 1, year + 1))
    municipality = _municipality(report)
    mid = municipality.pk if municipality else None
    progress(5, "Чтение статусов ОО и значений показателей")
    statuses = selectors.school_statuses(years=years, municipality_id=mid)
    current = [s for s in statuses if s["year"] == year]
    if not current:
        raise BuildError(NO_STATUSES.format(year=year_label(year)))
    previous = [s for s in statuses if s["year"] == year - 1]
    catalogue = selectors.indicator_catalogue()
    values = selectors.indicator_values(years=[year - 1, year], municipality_id=mid)
    students = selectors.school_students(year=year, municipality_id=mid)
    rules = selectors.methodology_for_year(year=year)
    municipalities = _municipalities_of(current)
    region_mode = len(municipalities) > 1
    progress(20, "Списки ШНОР и ШНСУ")
    clusters = {s["school_id"]: s["cluster"] for s in current}
    by_year_code = _values_index(values)
    del values
    indicator_stats = _indicator_stats(catalogue, by_year_code, clusters, year)
    tables, sections = {}, []
    sections.append(_methods_section(tables, catalogue, rules))
    sections.append(_clusters_section(tables, current, students))
    sections.append(_lists_section(tables, statuses, current, previous, years, tables_in_pdf=not region_mode))
    if region_mode:
        progress(30, "Разделы муниципалитетов")
        sections.append(_municipalities_section(tables, current, previous, municipalities, year))
        sections.extend(_municipality_sections(tables, current, previous, municipalities, year))
    progress(40, "Показатели по кластерам")
    sections.append(_indicators_section(tables, catalogue, indicator_stats, by_year_code, years, year))
    sections.append(_ranking_section(tables, current))
    sections.append(_objectivity_section(tables, [year - 1, year], mid))
    progress(55, "Рекомендации и управленческие решения")
    sections.append(_monitorings_section(tables, year, mid))
    sections.append(_recommendations_section(tables, year, mid))
    sections.append(_decisions_section(tables, year, mid))
    sections.append(_teachers_section(tables, year))
    _annex(tables, current, students, catalogue, by_year_code, year)
    annex_in_pdf = len(current) <= annex_pdf_max_schools()
    if not annex_in_pdf:
        sections[1]["paragraphs"].append(ANNEX_IN_XLSX.format(schools=len(current)))
    progress(65, "Черновик выводов")
    draft = _draft_conclusions(catalogue, indicator_stats, by_year_code, current, previous, year)
    title = f"Аналитический отчёт по результатам мониторинга ШНОР и ШНСУ за {year_label(year)} учебный год"
    return {
        "title": f"{title}: {municipality.name}" if municipality else title,
        "subtitle": (
            "Школы с низкими результатами обучения и школы, "
            "функционирующие в неблагоприятных социальных условиях"
        ),
        "methodology_version": rules.get("version", ""),
        "sections": sections,
        "tables": tables,
        "annex": ["annex_schools"] if annex_in_pdf else [],
        "conclusions_draft": draft,
        "figures": {
            "schools": len(current),
            "low_results": sum(1 for s in current if s["low_results"]),
            "unfavourable": sum(1 for s in current if s["unfavourable"]),
            "municipalities": len(municipalities),
        },
    }


def annex_pdf_max_schools() -> int:
    """Above this many schools the per-school annex goes to the xlsx only: WeasyPrint holds the whole laid-out
    document in memory, and 10,000 annex rows took it to 2.6 GB (benchmarks/RESULTS.md)."""
    return settings.REPORT_PDF_ANNEX_MAX_SCHOOLS


def _municipality(report):
    """The municipality of a municipal report (params["municipality"], its code), or None for all."""
    from schools.models import Municipality

    code = (report.params or {}).get("municipality")
    if not code:
        return None
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise BuildError(UNKNOWN_MUNICIPALITY.format(code=code))
    return municipality


def _municipalities_of(current: list[dict]) -> list[tuple[int, str]]:
    """(id, name) of the municipalities of the year's schools, by name."""
    found = {(s["school__municipality_id"], s["school__municipality__name"]) for s in current}
    return sorted(found, key=lambda m: m[1])


def _values_index(values: list[dict]) -> dict:
    index: dict = defaultdict(dict)
    for v in values:
        index[(v["year"], v["indicator__code"])][v["school_id"]] = v
    return index


def _indicator_stats(catalogue, by_year_code, clusters, year) -> dict:
    """code → {"municipality": stats, "clusters": {cluster: stats}, "previous": stats} (shares only)."""
    result = {}
    for indicator in catalogue:
        if indicator["kind"] != "share":
            continue
        code = indicator["code"]
        now = by_year_code.get((year, code), {})
        grouped: dict[str, list[float]] = defaultdict(list)
        for school_id, v in now.items():
            if v["value"] is not None and school_id in clusters and clusters[school_id]:
                grouped[clusters[school_id]].append(v["value"])
        before = by_year_code.get((year - 1, code), {})
        result[code] = {
            "municipality": stats([v["value"] for v in now.values()]),
            "previous": stats([v["value"] for v in before.values()]),
            "clusters": {name: stats(vals) for name, vals in sorted(grouped.items())},
        }
    return result


REGION_GROUPING = (
    "Группировка: образовательные организации распределены по кластерам по всему региону — тип поселения "
    "(город/село) × численность обучающихся (правило «совокупность — регион»); ранжирование по индексу "
    "социального благополучия для ШНСУ — среди всех ОО региона. Внутри кластера организации упорядочены по "
    "индексу результатов (1 — самый низкий). Для каждого показателя рассчитаны медиана, среднее "
    "арифметическое, минимум и максимум по кластеру и по муниципалитету, доли — от общего числа участников."
)


def _methods_section(tables, catalogue, rules) -> dict:
    paragraphs = list(METHODS)
    if rules.get("cluster_scope") == "region":
        paragraphs[1] = REGION_GROUPING
    if rules:
        edges = rules.get("size_edges") or DEFAULT_SIZE_EDGES
        paragraphs.append(
            f"Параметры расчёта ({rules.get('version', '')}): "
            f"границы кластеров по численности — {edges[0]} и {edges[1]} обучающихся; "
            f"в ШНОР включается школа с низкими результатами {rules.get('n', 2)} года подряд "
            f"(доля худших в кластере q = {formatting.number(rules.get('q', '0.1'))}); "
            "в ШНСУ — доля школ с самым низким индексом социального благополучия "
            f"p = {formatting.number(rules.get('p', '0.1'))}."
        )
    tables["catalogue"] = table(
        "Таблица 1. Показатели мониторинга",
        [("Показатель", TEXT), ("Группа", TEXT), ("Формула расчёта", TEXT), ("Направленность", TEXT)],
        [
            [
                i["name"],
                GROUP_TITLES.get(i["group"], i["group"]),
                i["formula"],
                "чем больше, тем хуже" if i["polarity"] == "higher_is_worse" else "чем больше, тем лучше",
            ]
            for i in catalogue
        ],
        sheet="Показатели",
    )
    return {
        "id": "methods",
        "title": "Методы сбора и обработки информации",
        "paragraphs": paragraphs,
        "tables": ["catalogue"],
    }


def _clusters_section(tables, current, students) -> dict:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for s in current:
        grouped[s["cluster"] or "без кластера (нет контекста)"].append(s)
    rows = []
    for name, members in sorted(grouped.items()):
        total = sum(students.get(m["school_id"]) or 0 for m in members)
        index_stats = stats([m["results_index"] for m in members])
        rows.append(
            [
                name,
                len(members),
                total,
                sum(m["low_results"] for m in members),
                sum(m["unfavourable"] for m in members),
                round_or_none(index_stats["median"], 1),
            ]
        )
    tables["clusters"] = table(
        "Таблица 2. Кластеры образовательных организаций",
        [
            ("Кластер", TEXT),
            ("ОО", NUMBER),
            ("Обучающихся", COUNT),
            ("ШНОР", NUMBER),
            ("ШНСУ", NUMBER),
            ("Медиана индекса результатов", NUMBER),
        ],
        rows,
        sheet="Кластеры",
    )
    with_context = sum(1 for s in current if s["has_context"])
    return {
        "id": "clusters",
        "title": "Образовательные организации и кластеры",
        "paragraphs": [
            f"В мониторинге {len(current)} общеобразовательных организаций, "
            "из них сведения о контингенте за год "
            f"представили {with_context}. Организации распределены по {len(grouped)} кластерам."
        ],
        "tables": ["clusters"],
    }


def _lists_section(tables, statuses, current, previous, years, *, tables_in_pdf: bool = True) -> dict:
    """The lists and their dynamics; in a region report the member tables go to the xlsx (and each
    municipality's section prints its own members)."""
    year = years[-1]
    prev_lists = {(s["school_id"], k) for s in previous for k in LIST_LABELS if s[k]}
    now_lists = {(s["school_id"], k) for s in current for k in LIST_LABELS if s[k]}
    names = {s["school_id"]: (s["school__code"], s["school_label"]) for s in statuses}
    for list_kind, label in LIST_LABELS.items():
        members = [s for s in current if s[list_kind]]
        tables[f"list_{list_kind}"] = table(
            f"Список {label} за {year_label(year)} учебный год",
            [
                ("Код ОО", TEXT),
                ("ОО", TEXT),
                ("Кластер", TEXT),
                ("Индекс результатов" if list_kind == "low_results" else "Индекс соц. благополучия", NUMBER),
                ("Место", RANK),
                ("Статус", TEXT),
            ],
            [
                [
                    s["school__code"],
                    s["school_label"],
                    s["cluster"],
                    round_or_none(s["results_index"] if list_kind == "low_results" else s["social_index"], 1),
                    _place(s, list_kind),
                    "по решению инспектора" if s[list_kind] != s[f"{list_kind}_computed"] else "расчёт",
                ]
                for s in members
            ],
            sheet=f"Список {label}",
            weights=[2, 4, 6, 3, 2, 3],
        )
    changes = []
    for school_id, list_kind in sorted(now_lists - prev_lists, key=lambda k: names[k[0]][0]):
        changes.append([*names[school_id], LIST_LABELS[list_kind], "вошла в список"])
    for school_id, list_kind in sorted(prev_lists - now_lists, key=lambda k: names[k[0]][0]):
        changes.append([*names[school_id], LIST_LABELS[list_kind], "вышла из списка"])
    tables["list_changes"] = table(
        f"Изменения списков по сравнению с {year_label(year - 1)} учебным годом",
        [("Код ОО", TEXT), ("ОО", TEXT), ("Список", TEXT), ("Изменение", TEXT)],
        changes,
        sheet="Динамика списков",
        weights=[2, 5, 2, 3],
    )
    counts = {y: {k: 0 for k in LIST_LABELS} for y in years}
    for s in statuses:
        for k in LIST_LABELS:
            counts[s["year"]][k] += bool(s[k])
    n_low, n_unf = counts[year]["low_results"], counts[year]["unfavourable"]
    entered = sum(1 for c in changes if c[3] == "вошла в список")
    return {
        "id": "lists",
        "title": "Списки ШНОР и ШНСУ и их динамика",
        "paragraphs": [
            f"В {year_label(year)} учебном году в список ШНОР включено {n_low} ОО, "
            f"в список ШНСУ — {n_unf} ОО. "
            f"По сравнению с предыдущим годом в списки вошли {entered}, "
            f"вышли из списков {len(changes) - entered} ОО.",
            *_approval_paragraphs(year),
        ],
        "charts": [
            {
                "type": "line",
                "title": "Число ОО в списках ШНОР и ШНСУ по годам",
                "axis": "школ",
                "categories": [year_label(y) for y in years],
                "series": [
                    {"label": "ШНОР", "values": [counts[y]["low_results"] for y in years]},
                    {"label": "ШНСУ", "values": [counts[y]["unfavourable"] for y in years], "dashed": True},
                ],
            }
        ],
        "tables": ["list_low_results", "list_unfavourable", "list_changes"] if tables_in_pdf else [],
    }


def _municipalities_section(tables, current, previous, municipalities, year) -> dict:
    """The municipalities side by side (a region report): schools, lists and their dynamics."""
    rows, counts = [], []
    for mid, name in municipalities:
        now = [s for s in current if s["school__municipality_id"] == mid]
        before = [s for s in previous if s["school__municipality_id"] == mid]
        low, unf = _ids(now, "low_results"), _ids(now, "unfavourable")
        low_before = _ids(before, "low_results")
        rows.append(
            [
                name,
                len(now),
                len(low),
                round_or_none(len(low) / len(now) * 100 if now else None, 1),
                len(unf),
                round_or_none(len(unf) / len(now) * 100 if now else None, 1),
                len(low - low_before) if previous else None,
                len(low_before - low) if previous else None,
                round_or_none(stats([s["results_index"] for s in now])["median"], 1),
            ]
        )
        counts.append(len(low))
    tables["municipalities"] = table(
        f"Муниципалитеты за {year_label(year)} учебный год",
        [
            ("Муниципалитет", TEXT),
            ("ОО", NUMBER),
            ("ШНОР", NUMBER),
            ("Доля ШНОР, %", NUMBER),
            ("ШНСУ", NUMBER),
            ("Доля ШНСУ, %", NUMBER),
            ("Вошли в ШНОР", NUMBER),
            ("Вышли из ШНОР", NUMBER),
            ("Медиана индекса результатов", NUMBER),
        ],
        rows,
        sheet="Муниципалитеты",
        weights=[5, 2, 2, 2, 2, 2, 2, 2, 3],
    )
    return {
        "id": "municipalities",
        "title": "Муниципалитеты",
        "paragraphs": [
            f"В отчёте {len(municipalities)} муниципалитетов. Доли ШНОР и ШНСУ — от числа ОО муниципалитета "
            "с расчётом за год; по каждому муниципалитету ниже — свой раздел со списками."
        ],
        "charts": [
            {
                "type": "bar",
                "title": f"Число ШНОР по муниципалитетам, {year_label(year)}",
                "axis": "школ",
                "labels": [name for _, name in municipalities],
                "values": counts,
            }
        ],
        "tables": ["municipalities"],
    }


def _municipality_sections(tables, current, previous, municipalities, year) -> list[dict]:
    """One section per municipality: its figures and its ШНОР/ШНСУ (a part of the region's lists, so the
    tables are printed in the PDF only; the xlsx has the region's lists whole)."""
    sections = []
    for mid, name in municipalities:
        now = [s for s in current if s["school__municipality_id"] == mid]
        before = [s for s in previous if s["school__municipality_id"] == mid]
        members = [s for s in now if s["low_results"] or s["unfavourable"]]
        key = f"municipality_{mid}"
        tables[key] = table(
            f"ШНОР и ШНСУ: {name}",
            [("Код ОО", TEXT), ("ОО", TEXT), ("Кластер", TEXT), ("Список", TEXT), ("Место", TEXT)],
            [
                [
                    s["school__code"],
                    s["school_label"],
                    s["cluster"],
                    ", ".join(label for kind, label in LIST_LABELS.items() if s[kind]),
                    "; ".join(_place(s, kind) for kind in LIST_LABELS if s[kind]),
                ]
                for s in members
            ],
            in_xlsx=False,
            weights=[2, 4, 6, 2, 3],
        )
        low, unf = _ids(now, "low_results"), _ids(now, "unfavourable")
        moves = ""
        if previous:
            low_before, unf_before = _ids(before, "low_results"), _ids(before, "unfavourable")
            moves = (
                f" По сравнению с {year_label(year - 1)} учебным годом в ШНОР вошли {len(low - low_before)}, "
                f"вышли {len(low_before - low)}; в ШНСУ вошли {len(unf - unf_before)}, "
                f"вышли {len(unf_before - unf)} ОО."
            )
        clusters = {s["cluster"] for s in now if s["cluster"]}
        sections.append(
            {
                "id": f"municipality-{mid}",
                "title": f"Муниципалитет: {name}",
                "paragraphs": [
                    f"В мониторинге {len(now)} ОО в {len(clusters)} кластерах; в списке ШНОР {len(low)}, "
                    f"в списке ШНСУ {len(unf)} ОО.{moves}"
                ],
                "tables": [key],
            }
        )
    return sections


def _ids(statuses: list[dict], list_kind: str) -> set[int]:
    return {s["school_id"] for s in statuses if s[list_kind]}


def _place(status, list_kind) -> str:
    if list_kind == "low_results":
        if status["rank_in_cluster"] is None:
            return "—"
        return f"{status['rank_in_cluster']} из {status['cluster_size'] or '—'}"
    if status["social_rank"] is None:
        return "—"
    return f"{status['social_rank']} из {status['social_population'] or '—'}"


def _indicators_section(tables, catalogue, indicator_stats, by_year_code, years, year) -> dict:
    keys = []
    municipal_rows = []
    for indicator in catalogue:
        code = indicator["code"]
        if code not in indicator_stats:
            continue
        st = indicator_stats[code]
        m, p = st["municipality"], st["previous"]
        municipal_rows.append(
            [
                indicator["short_name"],
                GROUP_TITLES.get(indicator["group"], ""),
                m["count"],
                round_or_none(m["median"]),
                round_or_none(m["mean"]),
                round_or_none(m["min"]),
                round_or_none(m["max"]),
                round_or_none(p["median"]),
            ]
        )
        if indicator["group"] != "results":
            continue
        key = f"clusters_{code}"
        tables[key] = table(
            f"{indicator['name']}, % — по кластерам",
            [
                ("Кластер", TEXT),
                ("ОО с данными", NUMBER),
                ("Медиана", NUMBER),
                ("Среднее", NUMBER),
                ("Минимум", NUMBER),
                ("Максимум", NUMBER),
            ],
            [
                [
                    name,
                    c["count"],
                    round_or_none(c["median"]),
                    round_or_none(c["mean"]),
                    round_or_none(c["min"]),
                    round_or_none(c["max"]),
                ]
                for name, c in st["clusters"].items()
            ],
            sheet=indicator["short_name"],
        )
        keys.append(key)
    tables["municipal_stats"] = table(
        f"Показатели по муниципалитету за {year_label(year)} учебный год, %",
        [
            ("Показатель", TEXT),
            ("Группа", TEXT),
            ("ОО с данными", NUMBER),
            ("Медиана", NUMBER),
            ("Среднее", NUMBER),
            ("Минимум", NUMBER),
            ("Максимум", NUMBER),
            (f"Медиана {year_label(year - 1)}", NUMBER),
        ],
        municipal_rows,
        sheet="Муниципалитет",
    )
    results = [i for i in catalogue if i["group"] == "results" and i["kind"] == "share"]
    return {
        "id": "indicators",
        "title": "Показатели по кластерам и муниципалитету",
        "paragraphs": [
            "Для каждого показателя приведены медиана, среднее, минимальное и максимальное значения по "
            "муниципалитету и по каждому кластеру. Значения по отдельным ОО — в приложении и в таблицах xlsx."
        ],
        "charts": [
            {
                "type": "line",
                "title": "Медианы показателей результатов по муниципалитету, %",
                "axis": "%",
                "categories": [year_label(y) for y in years[-2:]],
                "series": [
                    {
                        "label": i["short_name"],
                        "values": [
                            round_or_none(
                                stats([v["value"] for v in by_year_code.get((y, i["code"]), {}).values()])[
                                    "median"
                                ]
                            )
                            for y in years[-2:]
                        ],
                    }
                    for i in results
                ],
            }
        ]
        if results
        else [],
        "tables": ["municipal_stats", *keys],
    }


def _ranking_section(tables, current) -> dict:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for s in current:
        if s["cluster"] and s["results_index"] is not None:
            grouped[s["cluster"]].append(s)
    rows = []
    for name, members in sorted(grouped.items()):
        members.sort(key=lambda s: (s["results_index"], s["school__code"]))
        low, high = members[0], members[-1]
        rows.append(
            [
                name,
                len(members),
                f"{low['school_label']} ({fmt(low['results_index'])})",
                f"{high['school_label']} ({fmt(high['results_index'])})",
            ]
        )
    tables["ranking_summary"] = table(
        "Наименьший и наибольший индекс результатов в кластере",
        [
            ("Кластер", TEXT),
            ("ОО с индексом", NUMBER),
            ("Наименьший индекс", TEXT),
            ("Наибольший индекс", TEXT),
        ],
        rows,
        sheet="Рейтинг по кластерам",
    )
    medians = [
        (name, stats([m["results_index"] for m in members])["median"])
        for name, members in sorted(grouped.items())
    ]
    return {
        "id": "ranking",
        "public": False,  # a ranking of schools is for staff: the published copy leaves it out
        "title": "Рейтинг образовательных организаций",
        "paragraphs": [
            "Полный рейтинг ОО внутри кластеров приведён в приложении (место 1 — самый низкий индекс)."
        ],
        "charts": [
            {
                "type": "bar",
                "title": "Медиана индекса результатов по кластерам",
                "axis": "баллов индекса",
                "labels": _short_clusters([n for n, _ in medians]),
                "values": [round_or_none(v, 1) for _, v in medians],
            }
        ]
        if medians
        else [],
        "tables": ["ranking_summary"],
    }


def _short_clusters(names: list[str]) -> list[str]:
    """Cluster names without the municipality when all clusters share it (chart labels must be short)."""
    parts = [name.split(" · ", 1) for name in names]
    if all(len(p) == 2 for p in parts) and len({p[0] for p in parts}) == 1:
        return [p[1] for p in parts]
    return names


def _objectivity_section(tables, years, municipality_id=None) -> dict:
    from indicators.objectivity import MARKERS

    counts = selectors.objectivity_counts(years=years, municipality_id=municipality_id)
    shown = [y for y in years if y in counts["history"]]
    rows = [[title, *(counts["markers"][y][code] for y in shown)] for code, title in MARKERS.items()]
    rows.append(["В списке (признаков не меньше порога)", *(counts["history"][y]["listed"] for y in shown)])
    rows.append(
        ["из них устойчиво (в списке и годом ранее)", *(counts["history"][y]["stable"] for y in shown)]
    )
    tables["objectivity"] = table(
        "Число школ с признаками необъективности результатов",
        [("Признак", TEXT), *((year_label(y), COUNT) for y in shown)],
        rows if shown else [],
        sheet="Объективность",
        weights=[6, *([2] * len(shown))],
    )
    return {
        "id": "objectivity",
        "title": "Объективность результатов оценочных процедур",
        "paragraphs": OBJECTIVITY_TEXT
        if shown
        else [*OBJECTIVITY_TEXT[:1], "Признаки за эти годы не рассчитаны."],
        "tables": ["objectivity"],
    }


def _monitorings_section(tables, year, municipality_id=None) -> dict:
    """Seed 000's monitorings of the year, each against its previous campaign
    («по каждому виду мониторинга»); of one municipality's participants when given."""
    items = selectors.monitorings_for_year(year=year, municipality_id=municipality_id)

    def levels(counts: dict) -> str:
        return f"{counts.get('high', 0)} / {counts.get('medium', 0)} / {counts.get('low', 0)}"

    tables["monitorings"] = table(
        f"Мониторинги {year_label(year)} учебного года",
        [
            ("Мониторинг", TEXT),
            ("Участников", NUMBER),
            ("Проверено", NUMBER),
            ("Средняя доля баллов, %", NUMBER),
            ("Было, %", NUMBER),
            ("Степени: высокая / средняя / низкая", TEXT),
            ("Было", TEXT),
            ("Степень выросла / снизилась", TEXT),
        ],
        [
            [
                m.title,
                m.participants,
                m.verified,
                round_or_none(m.mean_share, 1) if m.scored else None,
                round_or_none(m.previous_mean_share, 1) if m.scored else None,
                levels(m.levels) if m.scored else "без баллов",
                levels(m.previous_levels) if m.scored and m.previous else "—",
                f"{m.improved} / {m.worsened}" if m.scored and m.previous else "—",
            ]
            for m in items
        ],
        sheet="Мониторинги",
        weights=[8, 2, 2, 2, 2, 3, 3, 3],
    )
    paragraphs = [f"Мониторингов за год: {len(items)}."]
    for m in items:
        if not m.scored:
            paragraphs.append(
                f"«{m.title}»: сбор данных без баллов, участников {m.participants}, проверено {m.verified}; "
                "проверенные значения внесены в контекст ОО."
            )
        elif m.previous:
            paragraphs.append(
                f"«{m.title}»: степень эффективности выросла у {m.improved}, снизилась у {m.worsened}, "
                f"не изменилась у {m.same} участников по сравнению с {m.previous.year_label}."
            )
    return {
        "id": "monitorings",
        "title": "Мониторинги (по каждому виду мониторинга)",
        "paragraphs": paragraphs,
        "tables": ["monitorings"],
    }


def _recommendations_section(tables, year, municipality_id=None) -> dict:
    from roadmaps.models import Recommendation

    items = selectors.recommendations_for_year(year=year, municipality_id=municipality_id)
    groups, statuses = dict(Recommendation.TargetGroup.choices), dict(Recommendation.Status.choices)
    tables["recommendations"] = table(
        f"Адресные рекомендации за {year_label(year)} учебный год",
        [
            ("ОО / адресат", TEXT),
            ("Проблемная область", TEXT),
            ("Рекомендация", TEXT),
            ("Срок", TEXT),
            ("Статус", TEXT),
        ],
        [
            [
                r["school__short_name"] or groups.get(r["target_group"], r["target_group"]) or "—",
                r["problem_area"],
                r["text"],
                formatting.date(r["due_date"]),
                statuses.get(r["status"], r["status"]),
            ]
            for r in items
        ],
        sheet="Рекомендации",
        weights=[3, 4, 8, 2, 2],
    )
    return {
        "id": "recommendations",
        "title": "Адресные рекомендации",
        "paragraphs": [f"За год выдано адресных рекомендаций: {len(items)}."],
        "tables": ["recommendations"],
    }


def _decisions_section(tables, year, municipality_id=None) -> dict:
    from roadmaps.models import ItemStatus

    items = selectors.decisions_for_year(year=year, municipality_id=municipality_id)
    statuses = dict(ItemStatus.choices)
    tables["decisions"] = table(
        f"Управленческие решения за {year_label(year)} учебный год",
        [
            ("Документ", TEXT),
            ("Решение", TEXT),
            ("ОО", NUMBER),
            ("Рекомендаций", NUMBER),
            ("Срок", TEXT),
            ("Статус", TEXT),
        ],
        [
            [
                " ".join(
                    filter(
                        None,
                        [
                            f"№ {d['document_number']}" if d["document_number"] else "",
                            f"от {d['document_date']:%d.%m.%Y}" if d["document_date"] else "",
                        ],
                    )
                )
                or "—",
                d["title"],
                d["n_schools"],
                d["n_recommendations"],
                formatting.date(d["deadline"]),
                statuses.get(d["status"], d["status"]),
            ]
            for d in items
        ],
        sheet="Решения",
        weights=[3, 7, 2, 2, 2, 2],
    )
    return {
        "id": "decisions",
        "title": "Принятые управленческие решения",
        "paragraphs": [f"Принято управленческих решений: {len(items)}."],
        "tables": ["decisions"],
    }


TEACHERS_NOTE = (
    "Педагоги обозначены кодами, фамилии в портале не хранятся. Уровень — по доле от максимального балла "
    "диагностики ({bands}). Результаты диагностики не используются для оценки деятельности отдельного "
    "педагога: по ним строятся индивидуальные образовательные маршруты (ИОМ) в программах помощи школам."
)


def _teachers_section(tables, year) -> dict:
    """Teachers' subject competences (DESIGN §7.4): counts of teachers are counts of people, so the
    published copy shows those below k as «<k» and hides the shares computed from them."""
    data = selectors.teacher_diagnostics_for_year(year=year)
    subjects, schools = data["subjects"], data["schools"]
    levels = [("Педагогов", COUNT), ("Низкий", COUNT), ("Средний", COUNT), ("Высокий", COUNT)]
    tables["teachers_subjects"] = table(
        f"Уровни предметных компетенций педагогов, {year_label(year)} учебный год",
        [("Предмет", TEXT), ("ОО", NUMBER), *levels, ("Доля низкого уровня, %", SHARE)],
        [
            [r["subject__name"], r["schools"], r["teachers"], r["low"], r["medium"], r["high"], _one(r)]
            for r in subjects
        ],
        basis={6: [2, 3]},
        sheet="Педагоги",
        weights=[5, 2, 2, 2, 2, 2, 3],
    )
    tables["teachers_schools"] = table(
        f"Доля педагогов низкого уровня по ОО и предметам, {year_label(year)} учебный год",
        [("Код ОО", TEXT), ("ОО", TEXT), ("Предмет", TEXT), *levels, ("Доля низкого уровня, %", SHARE)],
        [
            [r["school__code"], r["school__short_name"], r["subject__name"]]
            + [r["teachers"], r["low"], r["medium"], r["high"], _one(r)]
            for r in schools
        ],
        basis={7: [3, 4]},
        in_pdf=False,
        sheet="Педагоги по ОО",
    )
    teachers = sum(r["teachers"] for r in subjects)
    if not teachers:
        paragraphs = [
            f"Диагностика предметных компетенций педагогов за {year_label(year)} учебный год не загружена."
        ]
    else:
        paragraphs = [
            f"Диагностику предметных компетенций прошли педагоги {len({r['school_id'] for r in schools})} ОО "
            f"по {len(subjects)} предметам. Таблица по ОО и предметам — в файле xlsx отчёта.",
            TEACHERS_NOTE.format(bands=data["bands"]),
        ]
    return {
        "id": "teachers",
        "title": "Предметные компетенции педагогов",
        "paragraphs": paragraphs,
        "tables": ["teachers_subjects"] if teachers else [],
    }


def _one(row: dict):
    return round_or_none(row["low_share"], 1)


def _annex(tables, current, students, catalogue, by_year_code, year) -> None:
    tables["annex_schools"] = table(
        "Сводная таблица по образовательным организациям",
        [
            ("Код", TEXT),
            ("ОО", TEXT),
            ("Кластер", TEXT),
            ("Обучающихся", COUNT),
            ("Индекс результатов", NUMBER),
            ("Место в кластере", RANK),
            ("Индекс соц. благополучия", NUMBER),
            ("ШНОР", TEXT),
            ("ШНСУ", TEXT),
        ],
        [
            [
                s["school__code"],
                s["school_label"],
                s["cluster"],
                students.get(s["school_id"]),
                round_or_none(s["results_index"], 1),
                _place(s, "low_results"),
                round_or_none(s["social_index"], 1),
                "да" if s["low_results"] else "",
                "да" if s["unfavourable"] else "",
            ]
            for s in current
        ],
        sheet="ОО",
        weights=[2, 4, 5, 3, 3, 3, 3, 2, 2],
    )
    codes = {s["school_id"]: (s["school__code"], s["school_label"]) for s in current}
    student_rows, teacher_rows = [], []
    for indicator in catalogue:
        for school_id, v in sorted(
            by_year_code.get((year, indicator["code"]), {}).items(), key=lambda kv: codes.get(kv[0], ("",))[0]
        ):
            if school_id not in codes:
                continue
            row = [
                *codes[school_id],
                indicator["short_name"],
                _int(v["numerator"]),
                _int(v["denominator"]),
                round_or_none(v["value"]),
            ]
            (teacher_rows if indicator["group"] == "teachers" else student_rows).append(row)
    columns = [("Код", TEXT), ("ОО", TEXT), ("Показатель", TEXT)]
    tables["values_students"] = table(
        "Значения показателей по ОО (обучающиеся)",
        [*columns, ("Числитель", COUNT), ("Знаменатель", COUNT), ("Значение, %", SHARE)],
        student_rows,
        basis={5: [3, 4]},
        in_pdf=False,
        sheet="Значения показателей",
    )
    tables["values_teachers"] = table(
        "Значения показателей по ОО (педагоги)",
        [*columns, ("Числитель", NUMBER), ("Знаменатель", NUMBER), ("Значение, %", NUMBER)],
        teacher_rows,
        in_pdf=False,
        sheet="Показатели педагогов",
    )


def _int(value):
    return None if value is None else int(round(value))


def _draft_conclusions(catalogue, indicator_stats, by_year_code, current, previous, year) -> list[str]:
    """Sentences drafted from rules; staff edit them before publishing."""
    lines = []
    n_low = sum(1 for s in current if s["low_results"])
    n_low_prev = sum(1 for s in previous if s["low_results"])
    n_unf = sum(1 for s in current if s["unfavourable"])
    lines.append(
        f"В {year_label(year)} учебном году в список ШНОР включено {n_low} ОО"
        + (f" (в {year_label(year - 1)} — {n_low_prev})" if previous else "")
        + f", в список ШНСУ — {n_unf} ОО."
    )
    for indicator in catalogue:
        st = indicator_stats.get(indicator["code"])
        if not st or indicator["group"] != "results":
            continue
        now, before = st["municipality"]["median"], st["previous"]["median"]
        if now is None or before is None or abs(now - before) < 0.05:
            continue
        worse = (now > before) == (indicator["polarity"] == "higher_is_worse")
        lines.append(
            f"Медиана показателя «{indicator['short_name']}» по муниципалитету "
            f"{'выросла' if now > before else 'снизилась'} на {pp(now - before)} "
            f"(с {formatting.share(before)} до {formatting.share(now)}) — "
            f"{'отрицательная' if worse else 'положительная'} динамика."
        )
    lines.extend(_school_sentences(catalogue, indicator_stats, by_year_code, current, year))
    return lines


def _school_sentences(catalogue, indicator_stats, by_year_code, current, year) -> list[str]:
    from reports.masking import is_small

    lines = []
    for s in current:
        if not s["low_results"]:
            continue
        for indicator in catalogue:
            code = indicator["code"]
            if indicator["group"] != "results" or indicator["kind"] != "share":
                continue
            now = by_year_code.get((year, code), {}).get(s["school_id"])
            before = by_year_code.get((year - 1, code), {}).get(s["school_id"])
            cluster = indicator_stats.get(code, {}).get("clusters", {}).get(s["cluster"])
            if not now or not before or now["value"] is None or before["value"] is None or not cluster:
                continue
            if is_small(now["numerator"]) or is_small(now["denominator"]):
                continue  # a share of a small count is never published
            delta = now["value"] - before["value"]
            worse_up = indicator["polarity"] == "higher_is_worse"
            got_worse = delta >= 1 if worse_up else delta <= -1
            beyond = now["value"] > cluster["median"] if worse_up else now["value"] < cluster["median"]
            if got_worse and beyond:
                lines.append(
                    f"{s['school_label']}: {indicator['name'][0].lower()}{indicator['name'][1:]} "
                    f"{'выросла' if delta > 0 else 'снизилась'} на {pp(delta)} и "
                    f"{'выше' if worse_up else 'ниже'} медианы кластера "
                    f"({formatting.share(now['value'])} при медиане "
                    f"{formatting.share(cluster['median'])})."
                )
    return lines


def _approval_paragraphs(year: int) -> list[str]:
    """Which signed orders approved the year's lists (schools.panels hook): one for the whole installation
    and/or one per municipality; a sentence saying none is signed yet otherwise."""
    places = [("", "")] + list(selectors.municipality_names())
    lines = []
    for code, name in places:
        approval = list_approval(year, code)
        if approval is None or any(approval.text in line for line in lines):
            continue
        low, unfavourable = (len(approval.members.get(kind, ())) for kind in ("low_results", "unfavourable"))
        prefix = f"{name}: с" if name else "С"
        lines.append(f"{prefix}{approval.text[1:]}: ШНОР — {low} ОО, ШНСУ — {unfavourable} ОО.")
    return lines or ["Списки этого года приказом ещё не утверждены; приведены списки по расчёту."]

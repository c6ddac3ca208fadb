"""The effectiveness analysis (stage 6): every indicator and the lists versus the previous year, per
school and per management decision (read through roadmaps.effectiveness, set-based)."""

from roadmaps.effectiveness import effectiveness_report
from schools import formatting

from .base import COUNT, NUMBER, TEXT, BuildError, Progress, round_or_none, table, year_label

NO_DATA = "За {year} и предыдущий учебный год нет рассчитанных показателей: сравнивать не с чем."


def build(report, progress: Progress) -> dict:
    year = report.year
    progress(10, "Сравнение показателей с предыдущим годом")
    analysis = effectiveness_report(year=year)
    if not analysis.schools:
        raise BuildError(NO_DATA.format(year=year_label(year)))
    progress(40, "Сводка по показателям")
    totals = analysis.indicator_totals()
    tables = {
        "indicator_totals": table(
            f"Динамика показателей: {year_label(year - 1)} → {year_label(year)}, число ОО",
            [
                ("Показатель", TEXT),
                ("Лучше", NUMBER),
                ("Хуже", NUMBER),
                ("Без изменений", NUMBER),
                ("Нет данных", NUMBER),
            ],
            [
                [
                    t["indicator"].short_name or t["indicator"].name,
                    t["better"],
                    t["worse"],
                    t["same"],
                    t["no_data"],
                ]
                for t in totals
            ],
            sheet="Показатели",
        ),
        "lists": table(
            "Движение в списках ШНОР и ШНСУ",
            [
                ("Список", TEXT),
                ("Вошли", NUMBER),
                ("Вышли", NUMBER),
                ("ОО, вошедшие в список", TEXT),
                ("ОО, вышедшие из списка", TEXT),
            ],
            [
                [
                    name,
                    len(analysis.entered[code]),
                    len(analysis.left[code]),
                    ", ".join(s.short_name or s.code for s in analysis.entered[code]) or "—",
                    ", ".join(s.short_name or s.code for s in analysis.left[code]) or "—",
                ]
                for code, name in (("low_results", "ШНОР"), ("unfavourable", "ШНСУ"))
            ],
            sheet="Списки",
        ),
        "decisions": table(
            "Эффективность управленческих решений (средние по ОО решения)",
            [
                ("Решение", TEXT),
                ("ОО", NUMBER),
                ("Улучшили индекс-показатели", NUMBER),
                ("Ухудшили", NUMBER),
                ("В ШНОР до", NUMBER),
                ("В ШНОР после", NUMBER),
            ],
            [
                [
                    f"{d.decision.title}. {d.note}" if d.note else d.decision.title,
                    len(d.schools),
                    *(
                        [None] * 4  # not rated: no result after the decision to count
                        if d.note
                        else [
                            sum(d.improved.values()),
                            sum(d.worsened.values()),
                            d.list_before.get("low_results", 0),
                            d.list_after.get("low_results", 0),
                        ]
                    ),
                ]
                for d in analysis.decisions
            ],
            sheet="Решения",
        ),
        "annex_schools": table(
            "Изменения по образовательным организациям",
            [
                ("Код", TEXT),
                ("ОО", TEXT),
                ("Показателей лучше", NUMBER),
                ("Показателей хуже", NUMBER),
                ("Положение в списках", TEXT),
            ],
            [
                [
                    e.school.code,
                    e.school.short_name or e.school.name,
                    e.better,
                    e.worse,
                    {"better": "улучшилось", "worse": "ухудшилось", "same": "без изменений"}.get(
                        e.list_position, "нет данных"
                    ),
                ]
                for e in analysis.schools
            ],
            sheet="ОО",
        ),
    }
    verdicts = [e.verdict_label for e in analysis.objectivity]
    tables["objectivity"] = table(
        f"Признаки необъективности результатов {year_label(year - 1)}: что стало через год, число ОО",
        [("Итог", TEXT), ("ОО", COUNT)],
        [
            [label, verdicts.count(label)]
            for label in ("признаки ушли", "ушли не все", "признаки остались", "нет данных за год")
        ],
        sheet="Объективность",
        note=(
            "Только число школ: перечень ведётся сотрудниками управления. "
            "Пороги муниципальные, не федеральные."
        ),
    )
    progress(60, "Черновик выводов")
    improved_share = round_or_none(analysis.list_improved_share, 1)
    draft = [
        f"Сравнено ОО, имеющих статус в обоих годах: {analysis.compared}. Улучшили положение в списках: "
        f"{analysis.list_improved}, ухудшили: {analysis.list_worsened}."
    ]
    for t in totals:
        if t["better"] or t["worse"]:
            draft.append(
                f"«{t['indicator'].short_name or t['indicator'].name}»: "
                f"лучше у {t['better']} ОО, хуже у {t['worse']} ОО."
            )
    return {
        "title": f"Анализ эффективности принятых мер за {year_label(year)} учебный год",
        "subtitle": (
            f"Сравнение с {year_label(year - 1)} учебным годом по каждому показателю, спискам и решениям"
        ),
        "sections": [
            {
                "id": "method",
                "title": "Порядок анализа",
                "paragraphs": [
                    "Каждый показатель каждой ОО сравнивается с предыдущим учебным годом "
                    "с учётом направленности показателя; "
                    "принадлежность к спискам ШНОР и ШНСУ — с учётом решений инспекторов. "
                    "Решение оценивается по изменениям показателей ОО, которых оно касается.",
                    "Доля ОО, улучшивших положение в списках: "
                    f"{formatting.share(improved_share, empty='нет данных')}.",
                ],
            },
            {
                "id": "indicators",
                "title": "Динамика показателей",
                "tables": ["indicator_totals"],
                "charts": [
                    {
                        "type": "bar",
                        "title": "Число ОО с улучшением показателя",
                        "axis": "школ",
                        "labels": [t["indicator"].short_name or t["indicator"].name for t in totals],
                        "values": [t["better"] for t in totals],
                    }
                ]
                if totals
                else [],
            },
            {"id": "lists", "title": "Динамика списков ШНОР и ШНСУ", "tables": ["lists"]},
            {
                "id": "objectivity",
                "title": "Признаки необъективности результатов: эффект через год",
                "tables": ["objectivity"],
            },
            {"id": "decisions", "title": "Управленческие решения и их результат", "tables": ["decisions"]},
        ],
        "tables": tables,
        "annex": ["annex_schools"],
        "conclusions_draft": draft,
    }

"""Roadmap execution: items by cycle stage with status, due dates, overdue measures and evidence."""

from django.utils import timezone

from roadmaps.models import CLOSED_ITEM_STATUSES, ItemStatus, Roadmap, RoadmapItem
from schools import formatting

from .base import NUMBER, TEXT, BuildError, Progress, table, year_label

WEIGHTS = [2, 4, 8, 3, 3, 4, 4, 3]
NO_ROADMAP = "Нет дорожной карты для отчёта: создайте муниципальную дорожную карту или укажите её номер."


def _roadmap(report) -> Roadmap:
    roadmaps = Roadmap.objects.select_related("school")
    if report.params.get("roadmap"):
        roadmap = roadmaps.filter(pk=report.params["roadmap"]).first()
    else:
        roadmap = roadmaps.filter(kind=Roadmap.Kind.MUNICIPAL).order_by("-document_date", "-pk").first()
    if roadmap is None:
        raise BuildError(NO_ROADMAP)
    return roadmap


def build(report, progress: Progress) -> dict:
    roadmap = _roadmap(report)
    progress(20, "Мероприятия дорожной карты")
    today = timezone.localdate()
    items = list(
        RoadmapItem.objects.filter(roadmap=roadmap)
        .select_related("stage")
        .order_by("stage__number", "position", "pk")
    )
    labels = dict(ItemStatus.choices)
    by_stage: dict[int, dict] = {}
    rows, overdue = [], []
    for item in items:
        stage = by_stage.setdefault(
            item.stage.number, {"name": item.stage.name, "total": 0, "done": 0, "overdue": 0}
        )
        stage["total"] += 1
        stage["done"] += item.status == ItemStatus.DONE
        late = item.due_date is not None and item.due_date < today and item.status not in CLOSED_ITEM_STATUSES
        stage["overdue"] += late
        row = [
            item.number,
            f"{item.stage.number}. {item.stage.name}",
            item.title,
            item.term or "—",
            formatting.date(item.due_date),
            item.responsible or "—",
            labels.get(item.status, item.status) + (" (просрочено)" if late else ""),
            formatting.date(item.completed_on),
        ]
        rows.append(row)
        if late:
            overdue.append(row)
    done = sum(s["done"] for s in by_stage.values())
    columns = [
        ("№", TEXT),
        ("Этап", TEXT),
        ("Мероприятие", TEXT),
        ("Сроки", TEXT),
        ("Срок исполнения", TEXT),
        ("Ответственные", TEXT),
        ("Статус", TEXT),
        ("Выполнено", TEXT),
    ]
    tables = {
        "stages": table(
            "Исполнение по этапам управленческого цикла",
            [("Этап", TEXT), ("Мероприятий", NUMBER), ("Выполнено", NUMBER), ("Просрочено", NUMBER)],
            [[f"{n}. {s['name']}", s["total"], s["done"], s["overdue"]] for n, s in sorted(by_stage.items())],
            sheet="Этапы",
        ),
        "overdue": table("Просроченные мероприятия", columns, overdue, sheet="Просрочено", weights=WEIGHTS),
        "annex_items": table(
            "Мероприятия дорожной карты", columns, rows, sheet="Мероприятия", weights=WEIGHTS
        ),
    }
    approved = " ".join(
        filter(
            None,
            [
                roadmap.approved_by,
                f"№ {roadmap.document_number}" if roadmap.document_number else "",
                f"от {roadmap.document_date:%d.%m.%Y}" if roadmap.document_date else "",
            ],
        )
    )
    draft = [f"Из {len(items)} мероприятий дорожной карты выполнено {done}, просрочено {len(overdue)}."]
    return {
        "title": f"Исполнение дорожной карты «{roadmap.title}», {year_label(report.year)} учебный год",
        "subtitle": approved,
        "sections": [
            {
                "id": "summary",
                "title": "Сводка исполнения",
                "paragraphs": [
                    f"Дорожная карта: {roadmap.title}." + (f" Утверждена: {approved}." if approved else ""),
                    f"Мероприятий: {len(items)}, выполнено: {done}, "
                    f"просрочено на {today:%d.%m.%Y}: {len(overdue)}.",
                ],
                "tables": ["stages"],
                "charts": [
                    {
                        "type": "bar",
                        "title": "Выполнено мероприятий по этапам",
                        "axis": "мероприятий",
                        "labels": [f"{n}. {s['name']}" for n, s in sorted(by_stage.items())],
                        "values": [s["done"] for _, s in sorted(by_stage.items())],
                    }
                ]
                if by_stage
                else [],
            },
            {"id": "overdue", "title": "Просроченные мероприятия", "tables": ["overdue"]},
        ],
        "tables": tables,
        "annex": ["annex_items"],
        "annex_title": "Приложение. Мероприятия дорожной карты",
        "conclusions_draft": draft,
    }

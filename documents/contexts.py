"""What each kind of document says, read from the other apps' data (DESIGN §9).

`draft_content(kind, year, …)` returns a plain-JSON snapshot: the items of the order, its appendices and
their rows, every figure already written as the document prints it (schools.formatting). The snapshot is
stored on the order (`Order.data`), so the DOCX and the PDF come from the same data and a signed order
never changes with later computations. `document_context(order)` adds the order's requisites (number,
date, signatory…) to it: that dict is what a .docx template sees.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q, Sum

from indicators import selectors as indicator_selectors
from indicators.models import AssessmentResult, Procedure, SchoolStatus
from monitoring.models import Campaign, ExpertCard
from roadmaps.models import Roadmap
from schools import formatting
from schools.errors import ValidationFailed
from schools.models import Municipality, School

from .models import CalendarEvent, DocumentKind, Order

NO_STATUSES = "За {year} учебный год нет расчёта показателей и списков: сначала выполните расчёт."
NO_RESULTS = "Нет результатов процедуры «{procedure}» за {year} учебный год."
UNKNOWN_PROCEDURE = "Неизвестная оценочная процедура «{code}». Допустимые коды: {codes}."
CAMPAIGN_REQUIRED = "Для приказа о результатах мониторинга выберите мониторинг."
ROADMAP_REQUIRED = "Для приказа об утверждении дорожной карты выберите дорожную карту."
PROCEDURE_REQUIRED = "Для аналитической справки выберите оценочную процедуру."
NOTHING_IN_CALENDAR = (
    "В {year} учебном году нет ни мониторингов, ни сроков мероприятий дорожных карт, ни событий "
    "циклограммы: циклограмме не из чего составиться."
)

LIST_TITLES = {"low_results": "ШНОР", "unfavourable": "ШНСУ"}
LIST_FULL_TITLES = {
    "low_results": "Список школ с низкими результатами обучения (ШНОР) на {year} учебный год",
    "unfavourable": "Список школ, функционирующих в неблагоприятных социальных условиях (ШНСУ), "
    "на {year} учебный год",
}
MONTHS = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]

# Column headers and row keys of each kind's appendix tables: the built-in templates, the PDF and the
# upload help all read them, so a template and its data never disagree.
COLUMNS = {
    DocumentKind.LISTS: [
        ("№ п/п", "n"),
        ("Код ОО", "code"),
        ("Наименование ОО", "school"),
        ("Муниципалитет", "municipality"),
        ("Основания включения", "grounds"),
    ],
    DocumentKind.MONITORING: [
        ("№ п/п", "n"),
        ("Наименование ОО", "school"),
        ("Баллы", "score"),
        ("Максимум", "max_score"),
        ("Уровень", "level"),
    ],
    DocumentKind.ROADMAP: [
        ("№", "number"),
        ("Этап цикла", "stage"),
        ("Мероприятие", "title"),
        ("Срок", "term"),
        ("Ответственные", "responsible"),
        ("Результат (документ)", "result"),
    ],
    DocumentKind.SPRAVKA: [
        ("Предмет", "subject"),
        ("Класс", "grade"),
        ("ОО", "schools"),
        ("Участников", "participants"),
        ("Ниже минимума, %", "below_min"),
        ("Отметка «2», %", "mark2"),
        ("Высокий результат, %", "high"),
        ("Отметка «5», %", "mark5"),
    ],
    DocumentKind.PROTOCOL: [],
    DocumentKind.CALENDAR: [
        ("Месяц", "month"),
        ("Дата", "dates"),
        ("Мероприятие", "title"),
        ("Процедура, мониторинг", "source"),
        ("Ответственный", "responsible"),
    ],
}

# The names a template of a kind may use (besides loop variables): the common requisites and the
# kind's own. An uploaded template naming anything else is refused with that name.
COMMON_FIELDS = {
    "authority",
    "heading",
    "number",
    "date",
    "place",
    "title",
    "preamble",
    "items",
    "control",
    "control_number",
    "signatory_position",
    "signatory_name",
    "executor_name",
    "executor_phone",
    "appendices",
    "year_label",
    "summary",
}
KIND_FIELDS = {
    DocumentKind.LISTS: {"counts"},
    DocumentKind.MONITORING: {"campaign", "counts"},
    DocumentKind.ROADMAP: {"roadmap"},
    DocumentKind.SPRAVKA: {"procedure"},
    DocumentKind.PROTOCOL: {"chair", "secretary", "attendees", "agenda"},
    DocumentKind.CALENDAR: set(),
}


def template_fields(kind: str) -> set[str]:
    return COMMON_FIELDS | KIND_FIELDS[kind]


def order_kind_for(document_kind: str) -> str:
    return {
        DocumentKind.LISTS: Order.Kind.LISTS,
        DocumentKind.MONITORING: Order.Kind.MONITORING,
        DocumentKind.ROADMAP: Order.Kind.ROADMAP,
    }.get(document_kind, Order.Kind.OTHER)


def _item(number: int, text: str, executor: str = "", term: str = "") -> dict:
    text = text.strip()
    if text and text[-1] not in ".!?:;":
        text += "."  # a typed decision ends its sentence before «Ответственный: …»
    return {"number": str(number), "text": text, "executor": executor, "term": term}


def _appendix(title: str, rows: list[dict]) -> dict:
    return {"title": title, "rows": rows}


# --- lists -----------------------------------------------------------------------------------------


def _low_results_grounds(status: SchoolStatus, years_needed: int) -> str:
    parts = [f"низкие результаты обучения в каждом из последних {years_needed} лет"]
    if status.results_index is not None:
        parts.append(f"индекс результатов {formatting.number(status.results_index, 1)}")
    if status.rank_in_cluster and status.cluster_size:
        parts.append(f"место {status.rank_in_cluster} из {status.cluster_size} в кластере «{status.cluster}»")
    return "; ".join(parts)


def _unfavourable_grounds(status: SchoolStatus) -> str:
    parts = []
    if status.social_index is not None:
        parts.append(f"индекс социального благополучия {formatting.number(status.social_index, 1)}")
    if status.social_rank and status.social_population:
        parts.append(f"место {status.social_rank} из {status.social_population} в муниципалитете")
    return "; ".join(parts) or "по расчёту"


def list_grounds(status: SchoolStatus | None, kind: str, years_needed: int) -> str:
    """Why a school is on a list in words: the inspector's decision if there is one, else the figures."""
    override = getattr(status, f"{kind}_override", None) if status else None
    if override is not None and override.effective:
        return f"решение инспектора: {override.reason}"
    if status is None:
        return "решение инспектора"
    return (
        _low_results_grounds(status, years_needed) if kind == "low_results" else _unfavourable_grounds(status)
    )


def _lists(year: int, municipality: Municipality | None = None, **_) -> dict:
    code = municipality.code if municipality else ""
    statuses = indicator_selectors.status_list(year=year, municipality=code)
    if not statuses:
        raise ValidationFailed(NO_STATUSES.format(year=formatting.school_year(year)))
    run = indicator_selectors.latest_run(year=year)
    years_needed = int((run.rules_snapshot or {}).get("n", 2)) if run else 2
    members = indicator_selectors.effective_members(year=year, municipality=code)
    by_school = {s.school_id: s for s in statuses}
    ids = set().union(*members.values())
    schools = {s.pk: s for s in School.objects.filter(pk__in=ids).select_related("municipality")}
    label = formatting.school_year(year)
    appendices, counts = [], {}
    for kind in ("low_results", "unfavourable"):
        ordered = sorted((schools[pk] for pk in members[kind] if pk in schools), key=lambda s: s.code)
        rows = [
            {
                "n": str(n),
                "school_id": school.pk,
                "code": school.code,
                "school": school.name,
                "municipality": school.municipality.name,
                "grounds": list_grounds(by_school.get(school.pk), kind, years_needed),
            }
            for n, school in enumerate(ordered, start=1)
        ]
        counts[kind] = len(rows)
        appendices.append(_appendix(LIST_FULL_TITLES[kind].format(year=label), rows) | {"list_kind": kind})
    items = [
        _item(
            1,
            f"Утвердить список школ с низкими результатами обучения (ШНОР) на {label} учебный год "
            f"({formatting.counted(counts['low_results'], 'организация', 'организации', 'организаций')}; "
            "приложение № 1).",
        ),
        _item(
            2,
            "Утвердить список школ, функционирующих в неблагоприятных социальных условиях (ШНСУ), на "
            f"{label} учебный год "
            f"({formatting.counted(counts['unfavourable'], 'организация', 'организации', 'организаций')}; "
            "приложение № 2).",
        ),
        _item(
            3,
            "Руководителям общеобразовательных организаций, включённых в списки, разработать и "
            "представить программы помощи (антирисковые программы).",
            "руководители ОО",
            f"до 01.11.{year}",
        ),
        _item(
            4,
            "Муниципальному методическому центру обеспечить адресное методическое сопровождение "
            "общеобразовательных организаций, включённых в списки.",
            "методический центр",
            "в течение учебного года",
        ),
    ]
    return {
        "title": f"Об утверждении списков ШНОР и ШНСУ на {label} учебный год",
        "preamble": "В соответствии с муниципальной программой поддержки школ с низкими результатами "
        "обучения "
        "и школ, функционирующих в неблагоприятных социальных условиях, по результатам расчёта показателей "
        f"за {label} учебный год",
        "items": items,
        "appendices": appendices,
        "counts": {k: str(v) for k, v in counts.items()},
        "summary": [
            f"ШНОР: {counts['low_results']}, ШНСУ: {counts['unfavourable']} (расчёт от "
            f"{formatting.local_datetime(run.finished_at or run.started_at) if run else '—'})."
        ],
    }


# --- monitoring ------------------------------------------------------------------------------------


def _in(municipality: Municipality | None, path: str = "school__municipality") -> dict:
    """The filter keeping one municipality's rows (none: every row)."""
    return {path: municipality} if municipality else {}


def _monitoring(
    year: int, campaign: Campaign | None = None, municipality: Municipality | None = None, **_
) -> dict:
    if campaign is None:
        raise ValidationFailed(CAMPAIGN_REQUIRED, field="campaign")
    cards = (
        ExpertCard.objects.filter(campaign=campaign, **_in(municipality))
        .select_related("school")
        .order_by("school__code")
    )
    rows, counts = [], defaultdict(int)
    for n, card in enumerate(cards, start=1):
        level = card.get_level_display() if card.level else "не оценена"
        counts[card.level or "none"] += 1
        rows.append(
            {
                "n": str(n),
                "school": card.school.name,
                "code": card.school.code,
                "score": "—" if card.score is None else str(card.score),
                "max_score": str(card.max_score),
                "level": level,
            }
        )
    label = formatting.school_year(campaign.year)
    summary = (
        f"Участников мониторинга: {len(rows)}; высокая эффективность — {counts['high']}, средняя — "
        f"{counts['medium']}, низкая — {counts['low']}, не оценено — {counts['none']}."
    )
    items = [
        _item(
            1, f"Утвердить результаты мониторинга «{campaign.title}» за {label} учебный год (приложение № 1)."
        ),
        _item(
            2,
            "Руководителям общеобразовательных организаций с низкой степенью эффективности разработать "
            "планы устранения выявленных дефицитов.",
            "руководители ОО",
            f"до 01.12.{campaign.year}",
        ),
        _item(
            3,
            "Методическому центру подготовить адресные рекомендации по итогам мониторинга.",
            "методический центр",
            f"до 15.12.{campaign.year}",
        ),
    ]
    return {
        "title": f"Об утверждении результатов мониторинга «{campaign.title}»",
        "preamble": f"В соответствии с порядком проведения мониторинга «{campaign.title}», по итогам оценки "
        f"экспертных карт за {label} учебный год",
        "items": items,
        "appendices": [_appendix(f"Результаты мониторинга «{campaign.title}»", rows)],
        "campaign": campaign.title,
        "counts": {k: str(v) for k, v in counts.items()},
        "summary": [summary],
    }


# --- roadmap ---------------------------------------------------------------------------------------


def _roadmap(year: int, roadmap: Roadmap | None = None, **_) -> dict:
    if roadmap is None:
        raise ValidationFailed(ROADMAP_REQUIRED, field="roadmap")
    items_qs = roadmap.items.select_related("stage").order_by("stage__number", "position", "pk")
    rows = [
        {
            "number": item.number,
            "stage": f"{item.stage.number}. {item.stage.name}",
            "title": item.title,
            "term": ", ".join(p for p in (item.term, formatting.date(item.due_date, empty="")) if p) or "—",
            "responsible": item.responsible or "—",
            "result": item.result or "—",
        }
        for item in items_qs
    ]
    subject = f"{'программы помощи' if roadmap.school_id else 'дорожной карты'} «{roadmap.title}»"
    items = [
        _item(
            1,
            f"Утвердить {'программу помощи' if roadmap.school_id else 'дорожную карту'} «{roadmap.title}» "
            f"({formatting.counted(len(rows), 'мероприятие', 'мероприятия', 'мероприятий')}; "
            "приложение № 1).",
        ),
        _item(
            2,
            "Ответственным исполнителям обеспечить выполнение мероприятий в установленные сроки и "
            "размещение подтверждающих документов на портале.",
            "ответственные исполнители",
            "в сроки, указанные в приложении",
        ),
    ]
    return {
        "title": f"Об утверждении {subject}",
        "preamble": "В целях совершенствования муниципальных механизмов управления качеством образования",
        "items": items,
        "appendices": [_appendix(roadmap.title, rows)],
        "roadmap": roadmap.title,
        "summary": [],
    }


# --- spravka ---------------------------------------------------------------------------------------


def _share(part, whole) -> str:
    if part is None or not whole:
        return "—"
    return formatting.number(part * 100 / whole, 1)


def procedure_rows(
    *, year: int, procedure: Procedure, municipality: Municipality | None = None
) -> list[dict]:
    """One row per subject and grade: schools, participants and the shares (one aggregate query)."""
    rows = (
        AssessmentResult.objects.filter(year=year, procedure=procedure, **_in(municipality))
        .values("subject__name", "grade")
        .annotate(
            schools=Count("school", distinct=True),
            participants=Sum("participants"),
            below_min=Sum("below_min"),
            mark2=Sum("mark2"),
            high=Sum("high"),
            mark5=Sum("mark5"),
        )
        .order_by("subject__name", "grade")
    )
    return [
        {
            "subject": row["subject__name"],
            "grade": str(row["grade"]),
            "schools": str(row["schools"]),
            "participants": formatting.number(row["participants"], grouping=True),
            "participants_value": row["participants"],
            "below_min": _share(row["below_min"], row["participants"]),
            "mark2": _share(row["mark2"], row["participants"]),
            "high": _share(row["high"], row["participants"]),
            "mark5": _share(row["mark5"], row["participants"]),
        }
        for row in rows
    ]


def _spravka(year: int, procedure: str = "", municipality: Municipality | None = None, **_) -> dict:
    if not procedure:
        raise ValidationFailed(PROCEDURE_REQUIRED, field="procedure")
    found = Procedure.objects.filter(code=procedure).first()
    if found is None:
        codes = ", ".join(Procedure.Code.values)
        raise ValidationFailed(UNKNOWN_PROCEDURE.format(code=procedure, codes=codes), field="procedure")
    rows = procedure_rows(year=year, procedure=found, municipality=municipality)
    label = formatting.school_year(year)
    if not rows:
        raise ValidationFailed(NO_RESULTS.format(procedure=found.get_code_display(), year=label))
    totals = AssessmentResult.objects.filter(year=year, procedure=found, **_in(municipality)).aggregate(
        schools=Count("school", distinct=True), participants=Sum("participants")
    )
    name = found.get_code_display()
    summary = [
        f"В {label} учебном году в процедуре {name} приняли участие "
        f"{formatting.number(totals['participants'], grouping=True)} обучающихся "
        f"{formatting.counted(totals['schools'], ORGANISATION_OF, ORGANISATIONS_OF, ORGANISATIONS_OF)}.",
        f"Результаты приведены по {formatting.counted(len(rows), 'предмету', 'предметам', 'предметам')} и "
        "классам; доли — от числа участников.",
    ]
    summary.append(_worst_line(rows))
    return {
        "heading": "АНАЛИТИЧЕСКАЯ СПРАВКА",
        "title": f"по результатам {name} в {label} учебном году",
        "preamble": "",
        "items": [],
        "appendices": [_appendix(f"Результаты {name} по предметам и классам, {label} учебный год", rows)],
        "procedure": name,
        "summary": summary,
    }


def _worst_line(rows: list[dict]) -> str:
    """The subject and grade with the largest share below the minimum (ОГЭ, ЕГЭ) or of «2» (ВПР…)."""
    key = "below_min" if any(r["below_min"] != "—" for r in rows) else "mark2"
    worst = max(rows, key=lambda r: _as_float(r[key]))
    what = "результатов ниже минимального порога" if key == "below_min" else "отметок «2»"
    return f"Наибольшая доля {what} — {worst['subject']}, {worst['grade']} класс: {worst[key]}\u00a0%."


ORGANISATION_OF, ORGANISATIONS_OF = "общеобразовательной организации", "общеобразовательных организаций"


def _as_float(text: str) -> float:
    try:
        return float(text.replace(",", ".").replace("\u00a0", ""))
    except ValueError:
        return -1.0


# --- protocol --------------------------------------------------------------------------------------


def _protocol(year: int, params: dict | None = None, **_) -> dict:
    params = params or {}
    decisions = params.get("decisions", [])
    items = [
        _item(
            n, d["text"], d.get("responsible", ""), formatting.date(_parse_iso(d.get("deadline")), empty="")
        )
        for n, d in enumerate(decisions, start=1)
    ]
    return {
        "heading": "ПРОТОКОЛ",
        "title": params.get("meeting") or "совещания по вопросам управления качеством образования",
        "preamble": "",
        "items": items,
        "appendices": [],
        "chair": params.get("chair", ""),
        "secretary": params.get("secretary", ""),
        "attendees": params.get("attendees", ""),
        "agenda": [
            {"number": str(n), "text": text} for n, text in enumerate(params.get("agenda", []), start=1)
        ],
        "summary": [],
    }


def _parse_iso(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# --- calendar --------------------------------------------------------------------------------------


def calendar_events(*, year: int) -> list[dict]:
    """Every dated event of school year `year` (1 September – 31 August), earliest first: campaign
    stages, terms of municipal roadmap items, and the events staff keep (procedure dates, meetings)."""
    start, end = datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)
    events = []
    in_year = Q(self_assessment_due__range=(start, end)) | Q(evaluation_due__range=(start, end))
    for campaign in Campaign.objects.filter(in_year).order_by("pk"):
        for due, what, who in (
            (
                campaign.self_assessment_due,
                "самооценка руководителей ОО (экспертная карта)",
                "руководители ОО",
            ),
            (campaign.verification_due, "проверка объективности самооценки", "методический центр"),
            (campaign.evaluation_due, "оценка эффективности, итоги мониторинга", "управление образования"),
        ):
            if not start <= due <= end:
                continue
            events.append(
                {
                    "start": due,
                    "end": None,
                    "title": f"{campaign.title}: {what}",
                    "source": "мониторинг",
                    "responsible": who,
                    "uid": f"campaign-{campaign.pk}-{what[:12]}",
                }
            )
    items = (
        Roadmap.objects.filter(kind=Roadmap.Kind.MUNICIPAL)
        .values_list("items__pk", "items__title", "items__due_date", "items__responsible", "title")
        .filter(items__due_date__range=(start, end), items__is_archived=False)
    )
    for pk, title, due, responsible, roadmap_title in items:
        events.append(
            {
                "start": due,
                "end": None,
                "title": title,
                "source": f"дорожная карта «{roadmap_title}»",
                "responsible": responsible or "",
                "uid": f"roadmap-item-{pk}",
            }
        )
    procedures = dict(Procedure.Code.choices)
    for event in CalendarEvent.objects.filter(year=year):
        events.append(
            {
                "start": event.starts_on,
                "end": event.ends_on,
                "title": event.title,
                "source": procedures.get(event.procedure, event.procedure) or "событие",
                "responsible": event.responsible,
                "uid": f"event-{event.pk}",
            }
        )
    return sorted(events, key=lambda e: (e["start"], e["title"]))


def _calendar(year: int, **_) -> dict:
    label = formatting.school_year(year)
    events = calendar_events(year=year)
    if not events:
        raise ValidationFailed(NOTHING_IN_CALENDAR.format(year=label))
    rows = [
        {
            "month": f"{MONTHS[e['start'].month - 1]} {e['start'].year}",
            "dates": formatting.date(e["start"]) + (f" – {formatting.date(e['end'])}" if e["end"] else ""),
            "title": e["title"],
            "source": e["source"],
            "responsible": e["responsible"] or "—",
            "start": e["start"].isoformat(),
            "end": e["end"].isoformat() if e["end"] else "",
            "uid": e["uid"],
        }
        for e in events
    ]
    items = [
        _item(
            1,
            f"Утвердить циклограмму мероприятий по управлению качеством образования на {label} учебный "
            "год (приложение № 1).",
        ),
        _item(
            2,
            "Ответственным исполнителям обеспечить проведение мероприятий в сроки, указанные в циклограмме.",
            "ответственные исполнители",
            "в течение учебного года",
        ),
    ]
    return {
        "title": f"Об утверждении циклограммы мероприятий на {label} учебный год",
        "preamble": "В целях планомерной организации оценочных процедур и мониторингов качества образования",
        "items": items,
        "appendices": [_appendix(f"Циклограмма мероприятий на {label} учебный год", rows)],
        "summary": [],
    }


BUILDERS = {
    DocumentKind.LISTS: _lists,
    DocumentKind.MONITORING: _monitoring,
    DocumentKind.ROADMAP: _roadmap,
    DocumentKind.SPRAVKA: _spravka,
    DocumentKind.PROTOCOL: _protocol,
    DocumentKind.CALENDAR: _calendar,
}


def draft_content(
    kind: str,
    *,
    year: int,
    campaign: Campaign | None = None,
    roadmap: Roadmap | None = None,
    procedure: str = "",
    params: dict | None = None,
    municipality: Municipality | None = None,
) -> dict:
    content = BUILDERS[kind](
        year,
        campaign=campaign,
        roadmap=roadmap,
        procedure=procedure,
        params=params,
        municipality=municipality,
    )
    content.setdefault("heading", "ПРИКАЗ")
    content["year_label"] = formatting.school_year(year)
    return content


def document_context(order: Order) -> dict:
    """The snapshot plus the order's requisites: the whole context of a .docx template and the PDF."""
    data = dict(order.data)
    number = order.number or "____"
    date = formatting.date(order.date)
    items = list(data.get("items", []))
    control = ""
    if data.get("heading", "ПРИКАЗ") == "ПРИКАЗ" and order.control_person:
        control = f"Контроль за исполнением приказа возложить на {order.control_person}."
    elif data.get("heading", "ПРИКАЗ") == "ПРИКАЗ":
        control = "Контроль за исполнением приказа оставляю за собой."
    appendices = [
        {
            **appendix,
            "number": str(n),
            "heading": f"Приложение № {n}",
            "reference": f"к приказу от {date} № {number}"
            if data.get("heading", "ПРИКАЗ") == "ПРИКАЗ"
            else "",
        }
        for n, appendix in enumerate(data.get("appendices", []), start=1)
    ]
    return {
        **data,
        "authority": settings.PORTAL_OWNER,
        "number": number,
        "date": date,
        "place": order.place,
        "title": order.title or data.get("title", ""),
        "preamble": order.preamble or data.get("preamble", ""),
        "items": items,
        "control": control,
        "control_number": str(len(items) + 1),
        "signatory_position": order.signatory_position,
        "signatory_name": order.signatory_name,
        "executor_name": order.executor_name,
        "executor_phone": order.executor_phone,
        "appendices": appendices,
        "summary": data.get("summary", []),
    }


def related_item(order: Order) -> dict | None:
    """The one item of a correction or a withdrawal naming the original order."""
    original = order.related_order
    if original is None:
        return None
    if order.relation == Order.Relation.WITHDRAWS:
        return _item(1, f"Признать утратившим силу приказ {original.reference} «{original.title}».")
    return _item(
        1,
        f"Внести изменения в приказ {original.reference} «{original.title}», изложив приложения "
        "в редакции приложений к настоящему приказу.",
    )

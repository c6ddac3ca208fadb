"""Individual routes (ИОМ) of the teachers at the low level of the subject diagnostics (DESIGN §7.4): one
item of the school's support programme per teacher code and subject, made by one staff action.

Idempotent: each item remembers its source (`RoadmapItem.source_ref`), so running the action again adds
only the routes of teacher codes that have none yet, in whichever of the school's programmes they were
made, archived or not.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators.teacher_diagnostics import latest_low_level_year, low_level_teachers
from schools import formatting
from schools.errors import ValidationFailed
from schools.models import School

from ..models import CycleStage, Direction, Roadmap, RoadmapItem
from ..rules import route_source_ref
from .core import _require_staff

NUMBER_PREFIX = "ИОМ-"
SECTION = "Индивидуальные образовательные маршруты педагогов (по итогам диагностики предметных компетенций)"
DIRECTION = "2.3"  # «Система обеспечения профессионального развития педагогических работников»
STAGE = 5  # «Меры и управленческие решения»
TITLE = (
    "Индивидуальный образовательный маршрут (ИОМ) педагога с кодом {teacher} по предмету «{subject}»: "
    "устранение профессиональных дефицитов, выявленных диагностикой предметных компетенций "
    "{year} учебного года (низкий уровень)"
)
RESPONSIBLE = "Руководитель ОО, руководитель школьного методического объединения"
RESULT = "ИОМ педагога, утверждённый руководителем ОО; повторная диагностика предметных компетенций"
TERM = "в течение {year} учебного года"
PROGRAMME_TITLE = "Программа помощи «{school}»"
PROGRAMME_NOTE = "Создана при формировании ИОМ педагогов по итогам диагностики предметных компетенций."

NO_DIAGNOSTICS = "Для школы не загружена диагностика предметных компетенций педагогов."
NO_LOW_LEVEL = "В диагностике {year} учебного года у школы нет педагогов низкого уровня: ИОМ не нужны."
NO_STAGES = "Не заполнен справочник этапов управленческого цикла: выполните seed_reference."


@dataclass
class RoutesOutcome:
    roadmap: Roadmap
    year: int
    created: int
    existing: int

    def text(self) -> str:
        made = formatting.counted(self.created, "ИОМ создан", "ИОМ создано", "ИОМ создано")
        return (
            f"Диагностика {formatting.school_year(self.year)} учебного года: {made} в программе "
            f"«{self.roadmap.title}», уже были раньше — {self.existing}."
        )


def _school_programme(school: School, year: int) -> Roadmap:
    """The school's current support programme (the latest one), or a new one when it has none."""
    programme = (
        Roadmap.objects.filter(kind=Roadmap.Kind.SCHOOL, school=school)
        .order_by("-period_end", "-document_date", "-pk")
        .first()
    )
    if programme:
        return programme
    return Roadmap.objects.create(
        kind=Roadmap.Kind.SCHOOL,
        school=school,
        municipality_id=school.municipality_id,
        title=PROGRAMME_TITLE.format(school=school.display_name)[:500],
        period_start=date(year, 9, 1),
        period_end=date(year + 1, 8, 31),
        notes=PROGRAMME_NOTE,
    )


def _next_number(roadmap: Roadmap) -> int:
    numbers = RoadmapItem.all_objects.filter(roadmap=roadmap, number__startswith=NUMBER_PREFIX).values_list(
        "number", flat=True
    )
    taken = [int(n[len(NUMBER_PREFIX) :]) for n in numbers if n[len(NUMBER_PREFIX) :].isdigit()]
    return max(taken, default=0) + 1


def route_school_year(*, year: int, today: date) -> int:
    """The school year a route runs in: the diagnostics' own, or the current one if that has passed (a
    route made in November 2026 from the 2025/2026 diagnostics runs in 2026/2027, not already overdue)."""
    current = today.year if today.month >= 9 else today.year - 1
    return max(year, current)


@transaction.atomic
def individual_routes_create(
    *, school: School, user: User | None, year: int | None = None, today: date | None = None
) -> RoutesOutcome:
    """Add an ИОМ item per low-level teacher code and subject of the school's diagnostics of `year` (the
    latest by default) to the school's support programme; codes that already have one are skipped. Each
    route is due by 31 May of the school year it runs in (`route_school_year`)."""
    _require_staff(user)
    today = today or timezone.localdate()
    year = year if year is not None else latest_low_level_year(school=school)
    if year is None:
        raise ValidationFailed(NO_DIAGNOSTICS)
    teachers = low_level_teachers(school=school, year=year)
    if not teachers:
        raise ValidationFailed(NO_LOW_LEVEL.format(year=formatting.school_year(year)))
    stage = CycleStage.objects.filter(number=STAGE).first()
    if stage is None:
        raise ValidationFailed(NO_STAGES)
    refs = {route_source_ref(teacher): teacher for teacher in teachers}
    made_before = set(
        RoadmapItem.all_objects.filter(roadmap__school=school, source_ref__in=list(refs)).values_list(
            "source_ref", flat=True
        )
    )
    roadmap = _school_programme(school, year)
    direction = Direction.objects.filter(code=DIRECTION).first()
    number = _next_number(roadmap)
    last = roadmap.items.order_by("-position").values_list("position", flat=True).first() or 0
    label = formatting.school_year(year)
    runs_in = route_school_year(year=year, today=today)
    new: list[RoadmapItem] = []
    for ref, teacher in refs.items():
        if ref in made_before:
            continue
        new.append(
            RoadmapItem(
                roadmap=roadmap,
                stage=stage,
                direction=direction,
                section=SECTION,
                number=f"{NUMBER_PREFIX}{number + len(new)}",
                position=last + len(new) + 1,
                title=TITLE.format(
                    teacher=teacher["teacher_code"], subject=teacher["subject__name"], year=label
                ),
                term=TERM.format(year=formatting.school_year(runs_in)),
                due_date=date(runs_in + 1, 5, 31),
                responsible=RESPONSIBLE,
                result=RESULT,
                source_ref=ref,
            )
        )
    if new:
        bulk_create_with_history(new, RoadmapItem, default_user=user if getattr(user, "pk", None) else None)
        if direction:
            roadmap.directions.add(direction)
    return RoutesOutcome(roadmap=roadmap, year=year, created=len(new), existing=len(made_before))

"""The work that follows a school's objectivity markers (DESIGN §8): a targeted recommendation or an item
of the school's support programme, each in one action and each made once per school and year.

The measures proposed are those of procedure conduct (observers, video, re-check) that the rows behind
the markers did not have, then the review of current marking. Markers describe results, never teachers.
"""

from django.contrib.auth.models import User
from django.db import transaction

from indicators.objectivity import MARKERS
from indicators.objectivity_selectors import objectivity_status_get
from schools import formatting
from schools.errors import ValidationFailed
from schools.models import School

from ..models import CycleStage, Direction, Recommendation, Roadmap, RoadmapItem
from ..sources import recommendation_source_text
from .core import _require_staff, roadmap_item_save, roadmap_save
from .recommendations import recommendation_draft_once

OBJECTIVITY_DIRECTION = "2.1"  # «Система обеспечения объективности процедур оценки качества…» (§4.1)
MEASURES_STAGE = 5  # «Меры и управленческие решения»
NO_MARKERS = "У школы нет признаков необъективности результатов за {year} учебный год: рекомендовать нечего."
MEASURES = {
    "observers": "присутствие общественных наблюдателей в аудиториях",
    "video": "видеонаблюдение при проведении",
    "recheck": "перепроверку работ муниципальной предметной комиссией",
}
REVIEW = "сопоставить текущие (журнальные) отметки с результатами процедур на методическом объединении"


def objectivity_source_ref(year: int) -> str:
    return f"list:objectivity:{year}"


def _finding(school: School, year: int):
    status = objectivity_status_get(school=school, year=year)
    if status is None or not status.markers:
        raise ValidationFailed(NO_MARKERS.format(year=formatting.school_year(year)))
    return status


def objectivity_measures(status) -> list[str]:
    """The conduct measures missing (False or no data) in at least one row behind the school's markers."""
    rows = [row for code in status.markers for row in status.figures.get(code, {}).get("rows", [])]
    missing = [key for key in MEASURES if any(row.get("conduct", {}).get(key) is not True for row in rows)]
    return [MEASURES[key] for key in (missing or list(MEASURES))] + [REVIEW]


def _texts(status) -> tuple[str, str]:
    year = formatting.school_year(status.year)
    titles = "; ".join(MARKERS[code] for code in status.markers)
    problem = f"Признаки необъективности результатов за {year} учебный год: {titles}"
    measures = "; ".join(objectivity_measures(status))
    text = (
        f"По результатам оценочных процедур {year} учебного года у школы признаки необъективности "
        f"результатов ({titles}). На следующих процедурах обеспечить: {measures}. "
        "Признаки описывают результаты процедур школы, а не работу отдельных учителей; пороги муниципальные."
    )
    return problem[:500], text


@transaction.atomic
def recommendation_from_objectivity(*, school: School, year: int, user: User) -> tuple[Recommendation, bool]:
    """A draft recommendation to the school about its markers of `year`, or the one drafted before."""
    _require_staff(user)
    status = _finding(school, year)
    return recommendation_draft_once(
        school=school,
        source_ref=objectivity_source_ref(year),
        texts=lambda: _texts(status),
        source_kind=Recommendation.SourceKind.LIST,
        direction_code=OBJECTIVITY_DIRECTION,
        year=year,
        user=user,
    )


def _programme(school: School, user: User) -> Roadmap:
    programme = (
        Roadmap.objects.filter(kind=Roadmap.Kind.SCHOOL, school=school)
        .order_by("-document_date", "-pk")
        .first()
    )
    if programme is None:
        programme = roadmap_save(
            roadmap=Roadmap(
                kind=Roadmap.Kind.SCHOOL, school=school, title=f"Программа помощи: {school.display_name}"
            ),
            user=user,
        )
    return programme


def _next_number(programme: Roadmap) -> str:
    numbers = set(RoadmapItem.all_objects.filter(roadmap=programme).values_list("number", flat=True))
    n = len(numbers) + 1
    while str(n) in numbers:
        n += 1
    return str(n)


@transaction.atomic
def programme_item_from_objectivity(*, school: School, year: int, user: User) -> tuple[RoadmapItem, bool]:
    """An item «ensure objective procedures» in the school's support programme (created if it has none),
    stage 5, direction 2.1; the one made before for the same year is returned instead of a second."""
    _require_staff(user)
    status = _finding(school, year)
    programme = _programme(school, user)
    source_ref = objectivity_source_ref(year)
    existing = RoadmapItem.all_objects.filter(roadmap=programme, source_ref=source_ref).first()
    if existing:
        return existing, False
    item = RoadmapItem(
        roadmap=programme,
        source_ref=source_ref,
        stage=CycleStage.objects.get(number=MEASURES_STAGE),
        direction=Direction.objects.filter(code=OBJECTIVITY_DIRECTION).first(),
        number=_next_number(programme),
        title="Обеспечить объективность оценочных процедур: " + "; ".join(objectivity_measures(status)) + ".",
        term="на оценочных процедурах следующего учебного года",
        responsible="Руководитель ОО",
        result="Отчёт школы о проведении процедур; отсутствие признаков необъективности в следующем году",
        notes=f"Основание: {_texts(status)[0]} ({recommendation_source_text(source_ref, {})})",
    )
    return roadmap_item_save(item=item, user=user), True

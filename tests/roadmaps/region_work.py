"""The work of the hand-worked region (tests/indicators/region.py) that the region dashboard and the
assessment of municipal mechanisms count, with every figure worked out in the comments.

Lists (municipality scope, both years computed):
  ШНОР 2023: nobody by the rule (2022 has no data), plus A1 by an inspector's decision → Альфа {A1}.
  ШНОР 2024: A3, B4. → Альфа: entered A3, left A1; Бета: entered B4, left none.
  ШНСУ 2023: A4, B2, B4 by the rule, B4 excluded by a decision → {A4, B2}; 2024: A4, B2, B4.
      → Альфа: entered 0, left 0; Бета: entered B4, left 0.
ШНОР monitoring 2024 (self-assessment due 30.09.2025): A1 sent a day late (level medium), A3 sent on the
  due day (level high), B4 never sent. → Альфа 1 of 2 on time, Бета 0 of 1.
Programmes: A3 has one for 2024/2025; its items due in 2024/2025: 01.10.2024 done 30.09 (on time),
  01.11.2024 done 05.11 (late), 01.12.2024 in progress (late), 15.01.2025 cancelled (not counted);
  01.10.2025 belongs to 2025/2026. → Альфа 1 of 3 on time; B4 has none.
Recommendations 2024: A1 sent (no answer), A3 answered, A2 a draft (not counted), B1 closed, B2 sent.
  → Альфа 1 of 2 answered, Бета 1 of 2.
"""

from datetime import date, datetime, time

from django.utils import timezone

from indicators.services import statuses_compute
from indicators.services.overrides import status_override_create
from monitoring.models import CardTemplate, ExpertCard, Level
from monitoring.reference import BUILTIN_SLUG
from monitoring.reference import seed as seed_templates
from monitoring.services.campaigns import campaign_create
from roadmaps.models import CycleStage, ItemStatus, Recommendation, Roadmap, RoadmapItem
from roadmaps.reference import seed as seed_roadmaps
from tests.indicators.region import build as build_schools


def build() -> dict:
    schools = build_schools()
    for code, list_kind, decision, reason in (
        ("A1", "low_results", "include", "Решение комиссии"),
        ("B4", "unfavourable", "exclude", "Ошибка в данных"),
    ):
        status_override_create(
            school=schools[code], year=2023, list_kind=list_kind, decision=decision, reason=reason
        )
    for year in (2023, 2024):
        statuses_compute(year=year)
    seed_templates()
    seed_roadmaps()
    campaign = campaign_create(
        year=2024,
        template=CardTemplate.objects.get(slug=BUILTIN_SLUG),
        school_ids=[schools[c].pk for c in ("A1", "A3", "B4")],
    )
    due = campaign.self_assessment_due  # 30.09.2025
    tz = timezone.get_current_timezone()
    for code, sent, level in (("A1", date(2025, 10, 1), Level.MEDIUM), ("A3", due, Level.HIGH)):
        ExpertCard.objects.filter(campaign=campaign, school=schools[code]).update(
            status=ExpertCard.Status.EVALUATED,
            submitted_at=datetime.combine(sent, time(23, 30), tzinfo=tz),
            level=level,
        )
    programme = Roadmap.objects.create(
        kind=Roadmap.Kind.SCHOOL,
        school=schools["A3"],
        title="Программа помощи А3",
        period_start=date(2024, 9, 1),
        period_end=date(2025, 8, 31),
    )
    stage = CycleStage.objects.get(number=5)
    for number, (due_date, status, completed) in enumerate(
        [
            (date(2024, 10, 1), ItemStatus.DONE, date(2024, 9, 30)),
            (date(2024, 11, 1), ItemStatus.DONE, date(2024, 11, 5)),
            (date(2024, 12, 1), ItemStatus.IN_PROGRESS, None),
            (date(2025, 1, 15), ItemStatus.CANCELLED, None),
            (date(2025, 10, 1), ItemStatus.DONE, date(2025, 9, 1)),
        ],
        start=1,
    ):
        RoadmapItem.objects.create(
            roadmap=programme,
            stage=stage,
            number=str(number),
            position=number,
            title=f"Мероприятие {number}",
            due_date=due_date,
            status=status,
            completed_on=completed,
        )
    for code, status in (
        ("A1", Recommendation.Status.SENT),
        ("A3", Recommendation.Status.ANSWERED),
        ("A2", Recommendation.Status.DRAFT),
        ("B1", Recommendation.Status.CLOSED),
        ("B2", Recommendation.Status.SENT),
    ):
        Recommendation.objects.create(
            school=schools[code], year=2024, problem_area=f"Проблема {code}", text="Текст", status=status
        )
    return schools

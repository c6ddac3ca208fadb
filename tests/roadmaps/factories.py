import datetime

import factory

from roadmaps.models import CycleStage, ManagementDecision, Recommendation, Roadmap, RoadmapItem
from tests.factories import SchoolFactory


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    kind = Roadmap.Kind.MUNICIPAL
    title = factory.Sequence(lambda n: f"Дорожная карта {n}")


class ProgrammeFactory(RoadmapFactory):
    kind = Roadmap.Kind.SCHOOL
    school = factory.SubFactory(SchoolFactory)
    title = factory.LazyAttribute(lambda o: f"Программа помощи {o.school.code}")


class RoadmapItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapItem

    roadmap = factory.SubFactory(RoadmapFactory)
    stage = factory.LazyFunction(lambda: CycleStage.objects.get(number=3))
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Мероприятие {n}")
    term = "ежегодно"
    responsible = "Отдел образования"
    due_date = datetime.date(2026, 3, 10)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    school = factory.SubFactory(SchoolFactory)
    problem_area = "Доля отметок «2» по ВПР"
    text = "Организовать индивидуальные занятия."
    source_kind = Recommendation.SourceKind.INDICATOR
    source_ref = "indicator:vpr_fail_share:2025"
    status = Recommendation.Status.SENT


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManagementDecision

    kind = ManagementDecision.Kind.TRAINING
    title = factory.Sequence(lambda n: f"Решение {n}")
    year = 2025

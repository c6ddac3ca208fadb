import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from indicators.models import ComputationRun, SchoolStatus
from roadmaps.models import CycleStage, ItemStatus, Recommendation, Roadmap, RoadmapItem
from roadmaps.services import recommendation_create
from roadmaps.services.recommendations import RECOMMENDATION_ONE_ADDRESSEE
from tests.roadmaps.factories import RoadmapFactory


def test_recommendation_create_drafts_from_a_rejected_card_criterion(school_a, inspector):
    recommendation = recommendation_create(
        school=school_a,
        text="Подтвердите динамику ВПР протоколами.",
        problem_area="Критерий 1.5: ВПР русский язык, 5 класс",
        source_kind="campaign",
        source_ref="campaign:3/card:17/criterion:1.5",
        due_date=datetime.date(2025, 12, 1),
        author=inspector,
    )

    stored = Recommendation.objects.get(pk=recommendation.pk)
    assert (stored.school, stored.status, stored.source_kind, stored.source_ref, stored.author) == (
        school_a,
        "draft",
        "campaign",
        "campaign:3/card:17/criterion:1.5",
        inspector,
    )
    assert (
        "recommendation_create(*, school=None, text, problem_area, source_kind"
        in recommendation_create.__doc__
    )


def test_recommendation_needs_exactly_one_addressee(school_a):
    with pytest.raises(ValidationError) as error:
        recommendation_create(
            school=school_a,
            target_group="parents",
            text="т",
            problem_area="п",
            source_kind="other",
            source_ref="",
            due_date=None,
            author=None,
        )
    assert error.value.message_dict == {"school": [RECOMMENDATION_ONE_ADDRESSEE]}
    with pytest.raises(ValidationError):
        recommendation_create(
            text="т", problem_area="п", source_kind="other", source_ref="", due_date=None, author=None
        )
    assert not Recommendation.objects.exists()


def test_staff_keep_a_roadmap_in_the_browser_with_russian_validation(client_for, inspector, school_a):
    client = client_for(inspector)

    bad = client.post(
        "/roadmaps/new/",
        {"kind": "school", "title": "Программа", "period_start": "2025-09-01", "period_end": "2025-01-01"},
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors == {
        "school": ["Для программы помощи ОО укажите школу."],
        "period_end": ["Окончание периода раньше его начала."],
    }
    created = client.post(
        "/roadmaps/new/",
        {
            "kind": "school",
            "title": "Программа",
            "school": school_a.pk,
            "document_number": "301-о",
            "document_date": "2025-09-15",
        },
    )
    roadmap = Roadmap.objects.get()
    assert created.status_code == 302
    item_url = f"/roadmaps/{roadmap.pk}/items/new/"
    form = {
        "stage": CycleStage.objects.get(number=3).pk,
        "number": "1",
        "title": "Диагностика",
        "term": "октябрь",
        "due_date": "2025-10-31",
        "status": "planned",
        "evidence": "",
        "completed_on": "2025-10-01",
    }
    bad_item = client.post(item_url, form)
    assert bad_item.context["form"].errors == {
        "completed_on": ["Дата выполнения указывается только для выполненного мероприятия."]
    }
    client.post(item_url, {**form, "completed_on": ""})
    duplicate = client.post(item_url, {**form, "completed_on": "", "title": "Другое"})
    assert duplicate.context["form"].errors == {"number": ["Мероприятие № 1 уже есть в этой дорожной карте."]}
    item = RoadmapItem.objects.get()
    assert (item.title, item.term, item.due_date, item.status, item.position) == (
        "Диагностика",
        "октябрь",
        datetime.date(2025, 10, 31),
        ItemStatus.PLANNED,
        1,
    )
    page = client.get(f"/roadmaps/{roadmap.pk}/").content.decode()
    assert "3. Мониторинг" in page and "Диагностика" in page


def test_staff_issue_a_recommendation_and_a_decision_in_the_browser(client_for, inspector, school_a):
    run = ComputationRun.objects.create(year=2025, started_at=timezone.now())
    SchoolStatus.objects.create(
        run=run, school=school_a, year=2025
    )  # the decision form offers computed years
    client = client_for(inspector)

    client.post(
        "/roadmaps/recommendations/new/",
        {
            "school": school_a.pk,
            "problem_area": "ОГЭ математика",
            "text": "Индивидуальные консультации",
            "source_kind": "indicator",
            "source_ref": "indicator:oge_below_min_share:2025",
            "status": "sent",
            "due_date": "2025-12-01",
        },
    )
    recommendation = Recommendation.objects.get()
    response = client.post(
        "/roadmaps/decisions/new/",
        {
            "kind": "methodical",
            "title": "Наставничество",
            "year": 2025,
            "status": "planned",
            "schools": [school_a.pk],
            "recommendations": [recommendation.pk],
        },
    )
    assert response.status_code == 302
    assert list(recommendation.decisions.values_list("title", flat=True)) == ["Наставничество"]
    listing = client.get("/roadmaps/recommendations/?state=unanswered").content.decode()
    assert "ОГЭ математика" in listing and "нет ответа" in listing
    assert "ОГЭ математика" not in client.get("/roadmaps/recommendations/?state=answered").content.decode()


def test_municipal_roadmap_refuses_a_school(school_a):
    from roadmaps.services import roadmap_save

    with pytest.raises(ValidationError) as error:
        roadmap_save(roadmap=RoadmapFactory.build(school=school_a))
    assert error.value.message_dict == {"school": ["У муниципальной дорожной карты не указывается школа."]}

"""«Создать ИОМ для педагогов низкого уровня» (DESIGN §7.4): one item of the school's programme per
low-level teacher code and subject, idempotent, for staff only."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Subject, TeacherDiagnostic
from indicators.reference import seed as seed_indicators
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.reference import seed as seed_roadmaps
from roadmaps.services import roadmap_item_archive
from roadmaps.services.routes import NO_LOW_LEVEL, individual_routes_create


def result(school, subject, code, score, max_score=50, year=2025):
    return TeacherDiagnostic.objects.create(
        school=school,
        year=year,
        subject=Subject.objects.get(name=subject),
        teacher_code=code,
        score=Decimal(score),
        max_score=Decimal(max_score),
    )


@pytest.fixture
def diagnosed(db, school_a, school_b):
    seed_indicators()
    seed_roadmaps()
    result(school_a, "Математика", "Т-01", 45)  # 90 %: high
    result(school_a, "Математика", "Т-02", 20)  # 40 %: low
    result(school_a, "Русский язык", "Т-03", 10)  # 20 %: low
    result(school_a, "Математика", "Т-09", 5, year=2024)  # low, but an older year: not this time
    result(school_b, "Математика", "Т-01", 10)  # another school's low teacher


def url(code="A001"):
    return reverse("roadmaps:school-routes-create", args=[code])


def items(school_code="A001"):
    return list(
        RoadmapItem.all_objects.filter(roadmap__school__code=school_code)
        .order_by("number")
        .values_list("number", "source_ref", "stage__number", "direction__code")
    )


def test_staff_create_one_route_per_low_level_teacher_and_repeating_adds_nothing(
    diagnosed, client_for, inspector, school_a
):
    client = client_for(inspector)

    first = client.post(url())

    programme = Roadmap.objects.get(school=school_a)
    assert first.status_code == 302 and first.url == programme.get_absolute_url()
    assert (programme.kind, programme.title, programme.municipality) == (
        "school",
        f"Программа помощи «{school_a.display_name}»",
        school_a.municipality,
    )
    assert items() == [
        ("ИОМ-1", "teacher-diagnostics:2025:math:Т-02", 5, "2.3"),
        ("ИОМ-2", "teacher-diagnostics:2025:russian:Т-03", 5, "2.3"),
    ]
    title = RoadmapItem.objects.get(number="ИОМ-1").title
    assert "педагога с кодом Т-02 по предмету «Математика»" in title and "2025/2026" in title
    assert "Диагностика 2025/2026 учебного года: 2 ИОМ создано" in client.get(first.url).content.decode()

    again = client.post(url(), follow=True)

    assert len(items()) == 2 and items("B001") == []
    assert "0 ИОМ создано" in again.content.decode() and "уже были раньше — 2" in again.content.decode()


def test_an_archived_route_is_not_made_again_and_a_new_low_teacher_gets_the_next_number(
    diagnosed, client_for, inspector, school_a
):
    client = client_for(inspector)
    client.post(url())
    roadmap_item_archive(item=RoadmapItem.objects.get(number="ИОМ-1"), user=inspector)
    result(school_a, "Русский язык", "Т-04", 12)  # 24 %: low

    client.post(url())

    assert [(number, ref) for number, ref, *_ in items()] == [
        ("ИОМ-1", "teacher-diagnostics:2025:math:Т-02"),
        ("ИОМ-2", "teacher-diagnostics:2025:russian:Т-03"),
        ("ИОМ-3", "teacher-diagnostics:2025:russian:Т-04"),
    ]


@pytest.mark.parametrize(
    "today, due, term",
    [
        (date(2026, 3, 10), date(2026, 5, 31), "в течение 2025/2026 учебного года"),  # within the year
        (date(2026, 11, 29), date(2027, 5, 31), "в течение 2026/2027 учебного года"),  # the year has passed
    ],
)
def test_a_route_is_due_by_the_end_of_the_school_year_it_runs_in(
    diagnosed, inspector, school_a, today, due, term
):
    outcome = individual_routes_create(school=school_a, user=inspector, today=today)

    assert (outcome.year, outcome.created) == (2025, 2)
    assert {(i.due_date, i.term) for i in RoadmapItem.objects.all()} == {(due, term)}


def test_the_existing_school_programme_receives_the_routes(diagnosed, client_for, inspector, school_a):
    seeded = Roadmap.objects.create(
        kind="school", school=school_a, title="Программа помощи на 2025–2027 годы"
    )

    client_for(inspector).post(url())

    assert Roadmap.objects.filter(school=school_a).count() == 1
    assert seeded.items.count() == 2


def test_a_school_without_low_level_teachers_is_told_so(diagnosed, client_for, inspector, school_a):
    TeacherDiagnostic.objects.filter(school=school_a, score__lt=25).update(score=Decimal(30))

    page = client_for(inspector).post(url(), follow=True).content.decode()

    assert NO_LOW_LEVEL.format(year="2025/2026") in page
    assert RoadmapItem.all_objects.count() == 0 and Roadmap.objects.count() == 0


@pytest.mark.parametrize(
    "actor, code, status",
    [
        ("principal_a", "A001", 403),
        ("principal_b", "A001", 403),
        ("inspector", "Z999", 404),
        (None, "A001", 302),
    ],
)
def test_only_staff_may_create_routes_and_a_refusal_changes_nothing(
    diagnosed, request, client_for, actor, code, status
):
    user = request.getfixturevalue(actor) if actor else None

    response = client_for(user).post(url(code))

    assert response.status_code == status
    assert RoadmapItem.all_objects.count() == 0 and Roadmap.objects.count() == 0


def test_the_action_is_offered_to_staff_on_the_school_page_only(
    diagnosed, client_for, inspector, principal_a
):
    staff_page = client_for(inspector).get("/schools/A001/").content.decode()
    principal_page = client_for(principal_a).get("/schools/A001/").content.decode()

    assert "Создать ИОМ для педагогов низкого уровня" in staff_page
    assert "педагогов низкого уровня: 2, ИОМ в программе помощи: 0" in staff_page
    assert "Создать ИОМ" not in principal_page


def test_an_inspector_of_another_municipality_neither_sees_nor_acts_on_the_school(
    diagnosed, client_for, roles
):
    from schools.models import Municipality, Profile
    from schools.roles import INSPECTOR
    from tests.factories import UserFactory

    elsewhere = Municipality.objects.create(name="Другой округ", code="other")
    outsider = UserFactory(username="inspector_elsewhere", groups=[roles[INSPECTOR]])
    Profile.objects.update_or_create(user=outsider)[0].municipalities.add(elsewhere)
    client = client_for(outsider)

    assert client.get("/schools/A001/").status_code == 404
    assert client.post(url()).status_code == 404
    assert RoadmapItem.all_objects.count() == 0

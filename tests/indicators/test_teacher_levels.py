"""Levels of the teachers' diagnostics by the bands in force, low shares per school, year and subject
(worked out by hand), and who sees what on the school page (DESIGN §7.4)."""

from decimal import Decimal

import pytest

from indicators.defaults import TEACHER_BANDS_INVALID
from indicators.models import Subject, TeacherDiagnostic, TeacherLevelRules
from indicators.reference import seed as seed_indicators
from indicators.teacher_diagnostics import teacher_level_summary, teacher_subject_totals, with_levels
from schools.models import School
from tests.factories import SchoolFactory


def diagnostics(school, year, subject, *results):
    for number, (score, max_score) in enumerate(results, start=1):
        TeacherDiagnostic.objects.create(
            school=school,
            year=year,
            subject=Subject.objects.get(name=subject),
            teacher_code=f"Т-{number:02d}",
            score=Decimal(str(score)),
            max_score=Decimal(str(max_score)),
        )


@pytest.fixture
def results(db, school_a, school_b):
    seed_indicators()  # bands from 2000/2001: < 50 % low, 50–79 % medium, ≥ 80 % high
    # A001 mathematics 2025: 40/50 = 80 % high, 39.5/50 = 79 % medium, 25/50 = 50 % medium, 24.5/50 = 49 % low
    diagnostics(school_a, 2025, "Математика", (40, 50), (39.5, 50), (25, 50), (24.5, 50))
    # A001 Russian 2024: 10/40 = 25 % low, 36/40 = 90 % high
    diagnostics(school_a, 2024, "Русский язык", (10, 40), (36, 40))
    # B001 mathematics 2025: 0/30 low, 15/30 = 50 % medium, 29/30 ≈ 96,7 % high
    diagnostics(school_b, 2025, "Математика", (0, 30), (15, 30), (29, 30))


def test_levels_follow_the_default_bands_at_their_boundaries(results):
    levels = {
        (d.school.code, d.year, d.teacher_code): d.level
        for d in with_levels(TeacherDiagnostic.objects.select_related("school"))
    }

    assert levels == {
        ("A001", 2025, "Т-01"): "high",
        ("A001", 2025, "Т-02"): "medium",
        ("A001", 2025, "Т-03"): "medium",
        ("A001", 2025, "Т-04"): "low",
        ("A001", 2024, "Т-01"): "low",
        ("A001", 2024, "Т-02"): "high",
        ("B001", 2025, "Т-01"): "low",
        ("B001", 2025, "Т-02"): "medium",
        ("B001", 2025, "Т-03"): "high",
    }


def test_low_shares_per_school_year_and_subject_in_one_grouped_query(results, django_assert_num_queries):
    with django_assert_num_queries(2):  # the bands, the grouped counts
        summary = teacher_level_summary(schools=School.objects.all())

    assert [
        (r["school__code"], r["year"], r["subject__name"], r["teachers"], r["low"], r["medium"], r["high"])
        for r in summary
    ] == [
        ("A001", 2025, "Математика", 4, 1, 2, 1),
        ("A001", 2024, "Русский язык", 2, 1, 0, 1),
        ("B001", 2025, "Математика", 3, 1, 1, 1),
    ]
    # 1 of 4 = 25 %, 1 of 2 = 50 %, 1 of 3 = 33,3… %
    assert [r["low_share"] for r in summary] == [25.0, 50.0, pytest.approx(100 / 3)]
    # per subject in 2025: mathematics in 2 schools, 7 teachers, 2 low → 28,57… %
    totals = teacher_subject_totals(year=2025)
    assert [(t["subject__name"], t["schools"], t["teachers"], t["low"]) for t in totals] == [
        ("Математика", 2, 7, 2)
    ]
    assert totals[0]["low_share"] == pytest.approx(200 / 7)


def test_the_query_count_does_not_grow_with_the_number_of_schools(results, django_assert_num_queries):
    for n in range(20):
        diagnostics(SchoolFactory(code=f"X{n:03d}"), 2025, "Математика", (10, 50), (45, 50))

    with django_assert_num_queries(2):
        summary = teacher_level_summary(schools=School.objects.all(), years=[2025])

    assert len(summary) == 22


def test_edited_bands_apply_from_their_year_and_earlier_years_keep_theirs(results):
    TeacherLevelRules.objects.create(valid_from=2025, medium_from=Decimal("60"), high_from=Decimal("90"))

    summary = {(r["school__code"], r["year"]): r for r in teacher_level_summary(schools=School.objects.all())}

    # 2025 with 60/90: A001 80 % medium, 79 % medium, 50 % low, 49 % low → low 2 of 4 = 50 %
    assert [summary[("A001", 2025)][k] for k in ("low", "medium", "high", "low_share")] == [2, 2, 0, 50.0]
    # 2024 still by the 2000 bands: 25 % low, 90 % high
    assert [summary[("A001", 2024)][k] for k in ("low", "medium", "high")] == [1, 0, 1]
    # B001 2025: 0 % low, 50 % low, 96,7 % high
    assert [summary[("B001", 2025)][k] for k in ("low", "medium", "high")] == [2, 0, 1]


@pytest.mark.parametrize(
    "actor, status, sees_aggregate, sees_teachers",
    [("inspector", 200, True, True), ("principal_a", 200, True, False), ("principal_b", 404, False, False)],
)
def test_the_school_page_shows_aggregates_to_its_principal_and_teacher_rows_to_staff_only(
    results, request, client_for, actor, status, sees_aggregate, sees_teachers
):
    response = client_for(request.getfixturevalue(actor)).get("/schools/A001/")
    page = response.content.decode()

    assert response.status_code == status
    assert ("Предметные компетенции педагогов" in page) is sees_aggregate
    assert ("25,0\u00a0%" in page) is sees_aggregate  # A001 mathematics 2025: 1 of 4 at the low level
    assert ("Т-04" in page) is sees_teachers
    assert ("Результаты педагогов по кодам" in page) is sees_teachers


def test_anonymous_visitors_see_nothing_of_the_diagnostics(results, client_for):
    response = client_for(None).get("/schools/A001/")

    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_staff_edit_the_bands_as_a_new_version_and_disordered_bands_are_refused(
    results, client_for, inspector
):
    client = client_for(inspector)
    form = {"valid_from": 2025, "medium_from": "60", "high_from": "90", "comment": "Приказ № 12"}

    response = client.post("/indicators/rules/teachers/", form)

    assert response.status_code == 302
    bands = TeacherLevelRules.objects.get(valid_from=2025)
    assert (bands.medium_from, bands.high_from, bands.changed_by, bands.comment) == (
        Decimal("60"),
        Decimal("90"),
        inspector,
        "Приказ № 12",
    )
    summary = teacher_level_summary(schools=School.objects.filter(code="A001"), years=[2025])
    assert summary[0]["low"] == 2  # 50 % and 49 % are now below 60 %

    refused = client.post("/indicators/rules/teachers/", {**form, "valid_from": 2026, "medium_from": "95"})

    assert refused.status_code == 200
    assert TEACHER_BANDS_INVALID in refused.content.decode()
    assert not TeacherLevelRules.objects.filter(valid_from=2026).exists()

"""The annual report's section on teachers' subject competences (DESIGN §7.4): figures by hand in the
staff copy; in the published copy counts below k read «<10» and the shares based on them are hidden."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from indicators.models import Subject, TeacherDiagnostic
from reports.services import report_build, report_create, report_publish
from schools.models import School
from tests.reports.test_annual import flat, pdf_text


def scores(code, subject, *values):
    school = School.objects.get(code=code)
    for number, score in enumerate(values, start=1):
        TeacherDiagnostic.objects.create(
            school=school,
            year=2025,
            subject=Subject.objects.get(name=subject),
            teacher_code=f"Т-{number:02d}",
            score=Decimal(score),
            max_score=Decimal(10),
        )


@pytest.fixture
def built(computed):
    # S1 mathematics: low 2, 3, 4 (< 5 of 10); medium 5, 6, 7, 7, 7; high 8, 9, 9, 10 → 12 teachers, 3 low
    scores("S1", "Математика", 2, 3, 4, 5, 6, 7, 7, 7, 8, 9, 9, 10)
    # S2 mathematics: low 1; medium 5, 6; high 8 → 4 teachers, 1 low
    scores("S2", "Математика", 1, 5, 6, 8)
    # S1 Russian: low 1, 2; high 9 → 3 teachers, 2 low
    scores("S1", "Русский язык", 1, 2, 9)
    return report_build(report_id=report_create(kind="annual", year=2025).pk)


def sheet(field, name):
    return list(load_workbook(io.BytesIO(field.open("rb").read()))[name].iter_rows(values_only=True))


def test_the_staff_copy_has_the_figures_and_the_published_one_suppresses_small_counts(built):
    # mathematics: 2 schools, 12 + 4 = 16 teachers, 3 + 1 = 4 low (25 %), 5 + 2 = 7 medium, 4 + 1 = 5 high
    # Russian: 1 school, 3 teachers, 2 low (66,7 %), 0 medium, 1 high
    assert sheet(built.xlsx, "Педагоги")[1:] == [
        ("Математика", 2, 16, 4, 7, 5, 25),
        ("Русский язык", 1, 3, 2, 0, 1, 66.7),
    ]
    assert "Предметные компетенции педагогов" in flat(pdf_text(built.pdf))

    published = report_publish(report_id=built.pk)

    # 16 ≥ 10 stays; 4, 7, 5, 3, 2, 1 read «<10»; 0 discloses nobody; both low shares rest on a small count
    assert sheet(published.public_xlsx, "Педагоги")[1:] == [
        ("Математика", 2, 16, "<10", "<10", "<10", "скрыто"),
        ("Русский язык", 1, "<10", "<10", 0, "<10", "скрыто"),
    ]
    assert sheet(published.public_xlsx, "Педагоги по ОО")[1:] == [
        ("S1", "Школа S1", "Математика", 12, "<10", "<10", "<10", "скрыто"),
        ("S1", "Школа S1", "Русский язык", "<10", "<10", 0, "<10", "скрыто"),
        ("S2", "Школа S2", "Математика", "<10", "<10", "<10", "<10", "скрыто"),
    ]
    public_text = flat(pdf_text(published.public_pdf))
    assert "Предметные компетенции педагогов" in public_text and "Т-01" not in public_text

"""The annual report: built from the computed year, with the expected figures in its PDF text."""

import io

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from reports.models import Report
from reports.services import report_build, report_create, report_publish


def pdf_text(field_or_bytes) -> str:
    data = field_or_bytes if isinstance(field_or_bytes, bytes) else field_or_bytes.open("rb").read()
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture
def annual(computed):
    report = report_create(kind="annual", year=2025)
    return report_build(report_id=report.pk)


def test_annual_report_pdf_has_headings_lists_and_figures(annual):
    text = flat(pdf_text(annual.pdf))

    assert annual.status == Report.Status.DONE
    assert "Содержание" in text
    for heading in (
        "Методы сбора и обработки информации",
        "Списки ШНОР и ШНСУ и их динамика",
        "Показатели по кластерам и муниципалитету",
        "Рейтинг образовательных организаций",
        "Адресные рекомендации",
        "Принятые управленческие решения",
        "Выводы",
    ):
        assert heading in text
    # ОГЭ below-minimum shares of 2025: S1 13/80 = 16,25 %, S2 3/60 = 5 %, S3 1/5 = 20 %:
    # median 16,3, mean 13,8
    assert "16,3" in text and "13,8" in text and "5,0" in text and "20,0" in text
    # S1 entered the ШНОР list in 2025 (not listed in 2024)
    assert "вошла в список" in text
    assert "Стр. 1 из" not in text  # the title page carries no running footer
    assert "Стр. 2 из" in text


def test_annual_report_drafts_conclusions_from_rules(annual):
    # municipal median of ОГЭ below minimum: 10,0 % (4/40, 2/50, 1/5) → 16,25 % (13/80, 3/60, 1/5)
    assert annual.conclusions.splitlines() == [
        "В 2025/2026 учебном году в список ШНОР включено 1 ОО (в 2024/2025 — 0), в список ШНСУ — 1 ОО.",
        "Медиана показателя «Ниже минимума ОГЭ» по муниципалитету выросла на 6,3\u00a0п.п. "
        "(с 10,0\u00a0% до 16,3\u00a0%) — отрицательная динамика.",
    ]


def test_annual_report_xlsx_has_tables_and_about_sheet(annual):
    workbook = load_workbook(io.BytesIO(annual.xlsx.open("rb").read()))
    about = {row[0]: row[1] for row in workbook["Сведения"].iter_rows(values_only=True)}

    assert about["Учебный год"] == "2025/2026"
    assert about["Версия методики"].startswith("правила с 2021/2022")
    assert "Дата построения" in about
    values = list(workbook["Значения показателей"].iter_rows(values_only=True))
    assert values[0] == ("Код", "ОО", "Показатель", "Числитель", "Знаменатель", "Значение, %")
    assert ("S3", "Школа S3", "Ниже минимума ОГЭ", 1, 5, 20.0) in values


def test_published_pdf_and_xlsx_mask_small_counts(annual):
    published = report_publish(report_id=annual.pk)
    public_text = flat(pdf_text(published.public_pdf))
    internal_text = flat(pdf_text(published.pdf))

    # S3 has 7 students: the internal annex shows 7, the published one «<10»
    assert "Школа S3" in public_text and "<10" in public_text
    assert "<10" not in internal_text
    workbook = load_workbook(io.BytesIO(published.public_xlsx.open("rb").read()))
    values = list(workbook["Значения показателей"].iter_rows(values_only=True))
    assert ("S3", "Школа S3", "Ниже минимума ОГЭ", "<10", "<10", "скрыто") in values
    assert ("S1", "Школа S1", "Ниже минимума ОГЭ", 13, 80, 16.25) in values
    schools = list(workbook["ОО"].iter_rows(values_only=True))
    assert [row[3] for row in schools[1:]] == [300, 250, "<10"]


@pytest.mark.slow
def test_build_report_command_writes_the_pdf(computed, tmp_path):
    out = tmp_path / "annual.pdf"

    call_command("build_report", "annual", "--year", "2025", "--out", str(out))

    assert "Списки ШНОР и ШНСУ" in flat(pdf_text(out.read_bytes()))


def test_build_report_command_fails_without_data(catalogue, tmp_path):
    with pytest.raises(CommandError, match="нет рассчитанных показателей"):
        call_command("build_report", "annual", "--year", "2019", "--out", str(tmp_path / "x.pdf"))

    assert not (tmp_path / "x.pdf").exists()
    assert Report.objects.get().status == Report.Status.FAILED

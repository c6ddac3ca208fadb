"""The annual report of a region (a section per municipality), of one municipality (`--municipality`), the
municipal reports fanned out one job each, and the per-school annex moved to the xlsx for large reports
(issue 18 item 5). The region of tests/roadmaps/region_work.py: Альфа (ALF) A1–A4, Бета (BET) B1–B4;
2024 ШНОР A3, B4; ШНСУ A4, B2, B4."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from reports.models import Report
from reports.services import report_build, report_create, reports_request_municipal
from schools.models import Job
from tests.reports.test_annual import flat, pdf_text
from tests.roadmaps.region_work import build


@pytest.fixture
def work(db):
    from indicators.reference import seed
    from roadmaps.reference import seed as seed_roadmaps

    seed()
    seed_roadmaps()
    return build()


@pytest.mark.slow
def test_the_region_report_has_a_section_per_municipality(work):
    report = report_build(report_id=report_create(kind="annual", year=2024).pk)
    sections = [s["title"] for s in report.data["sections"]]
    text = flat(pdf_text(report.pdf))

    assert sections[3:6] == ["Муниципалитеты", "Муниципалитет: Альфа", "Муниципалитет: Бета"]
    # Альфа: 4 ОО, ШНОР 1 (25 %), ШНСУ 1 (25 %), entered A3, left A1
    assert report.data["tables"]["municipalities"]["rows"][0][:8] == ["Альфа", 4, 1, 25.0, 1, 25.0, 1, 1]
    assert "В мониторинге 4 ОО в 2 кластерах; в списке ШНОР 1, в списке ШНСУ 2 ОО." in text  # Бета
    assert "ШНОР и ШНСУ: Бета" in text
    workbook = load_workbook(io.BytesIO(report.xlsx.open("rb").read()), read_only=True)
    assert "Муниципалитеты" in workbook.sheetnames
    assert not [name for name in workbook.sheetnames if name.startswith("ШНОР и ШНСУ")]  # PDF-only parts


def _build_report(kind, municipality, out, *options):
    """`manage.py build_report <kind> --year 2024 --municipality <code> --out <out> <options>`."""
    call_command(
        "build_report", kind, "--year", "2024", "--municipality", municipality, "--out", str(out), *options
    )


@pytest.mark.slow
def test_build_report_for_one_municipality(work, tmp_path):
    out, xlsx = tmp_path / "alpha.pdf", tmp_path / "alpha.xlsx"

    _build_report("annual", "ALF", out, "--xlsx", str(xlsx))

    report = Report.objects.get()
    assert report.title.endswith(": Альфа")
    assert report.params["municipality"] == "ALF"
    assert report.data["figures"] == {"schools": 4, "low_results": 1, "unfavourable": 1, "municipalities": 1}
    rows = list(load_workbook(xlsx, read_only=True)["ОО"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["A1", "A2", "A3", "A4"]
    assert "Муниципалитет: Альфа" not in flat(pdf_text(out.read_bytes()))  # one municipality: no sections


def test_build_report_refuses_an_unknown_municipality(work, tmp_path):
    with pytest.raises(CommandError, match="Муниципалитета с кодом «ZZZ» нет."):
        _build_report("annual", "ZZZ", tmp_path / "x.pdf")

    assert not Report.objects.exists()
    assert not (tmp_path / "x.pdf").exists()


def test_municipality_only_for_the_annual_report(work, tmp_path):
    with pytest.raises(CommandError, match="только для годового отчёта"):
        _build_report("roadmap", "ALF", tmp_path / "x.pdf")

    assert not Report.objects.exists()


@pytest.mark.slow
def test_municipal_reports_fan_out_one_job_each(work, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as sent:
        reports = reports_request_municipal(year=2024)

    assert len(sent) == 2  # one task per municipality, sent when the request commits

    assert [r.params["municipality"] for r in reports] == ["ALF", "BET"]
    assert len({r.job_id for r in reports}) == 2
    for report in Report.objects.filter(pk__in=[r.pk for r in reports]):
        assert report.status == Report.Status.DONE  # eager here; a worker on the `reports` queue otherwise
        assert report.job.status == Job.Status.DONE
        assert report.job.params["task"] == "reports.tasks.report_build_task"
    assert settings.CELERY_TASK_ROUTES["reports.tasks.*"] == {"queue": "reports"}
    assert [r.data["figures"]["schools"] for r in Report.objects.order_by("pk")] == [4, 4]


@pytest.mark.slow
def test_a_large_report_keeps_the_per_school_annex_in_the_xlsx(work, settings):
    settings.REPORT_PDF_ANNEX_MAX_SCHOOLS = 7  # the region has 8 schools

    report = report_build(report_id=report_create(kind="annual", year=2024).pk)

    assert report.data["annex"] == []
    text = flat(pdf_text(report.pdf))
    assert "Сводная таблица по 8 образовательным организациям" in text
    assert "Приложение. Таблицы по образовательным организациям" not in text
    workbook = load_workbook(io.BytesIO(report.xlsx.open("rb").read()), read_only=True)
    assert [row[0] for row in workbook["ОО"].iter_rows(min_row=2, values_only=True)] == [
        "A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4",
    ]  # fmt: skip

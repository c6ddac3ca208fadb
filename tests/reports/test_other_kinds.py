"""Each other report kind builds from its app's data and prints the expected figures."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.services import report_build, report_create
from tests.reports.test_annual import flat, pdf_text


def build(kind, year=2025, **params):
    return report_build(report_id=report_create(kind=kind, year=year, params=params).pk)


@pytest.mark.slow
def test_school_profile_shows_the_school_against_its_cluster(computed):
    report = build("school", school="S1")
    text = flat(pdf_text(report.pdf))

    assert "Профиль ОО: Школа S1" in text
    # S1: 13 of 80 below minimum on ОГЭ = 16,3 %, cluster median of 16,25 / 5 / 20 = 16,3
    assert "Ниже минимума ОГЭ 13 80 16,3 16,3" in text
    assert "1 из 3" in text and "ШНОР" in text


def test_school_profile_needs_a_known_school(computed):
    from reports.builders import BuildError

    with pytest.raises(BuildError, match="«NOPE» не найдена"):
        report_create(kind="school", year=2025, params={"school": "NOPE"})


@pytest.mark.slow
def test_effectiveness_compares_with_the_previous_year(computed):
    report = build("effectiveness")
    text = flat(pdf_text(report.pdf))

    assert "Анализ эффективности принятых мер" in text
    # ОГЭ below minimum: S1 10 → 16,25 worse, S2 4 → 5 worse, S3 20 → 20 same
    assert "Ниже минимума ОГЭ 0 2 1 0" in text
    assert "ШНОР 1 0 Школа S1" in text


@pytest.mark.slow
def test_roadmap_execution_counts_done_and_overdue(catalogue):
    from roadmaps.models import CycleStage, Roadmap, RoadmapItem

    roadmap = Roadmap.objects.create(
        title="Дорожная карта ШНОР", document_number="50-0", document_date=datetime.date(2021, 5, 27)
    )
    stage = CycleStage.objects.get(number=5)
    for number, title, status, completed_on in (
        ("5.1", "Курсы для учителей", "planned", None),
        ("5.2", "Семинар директоров", "done", datetime.date(2019, 12, 1)),
    ):
        RoadmapItem.objects.create(
            roadmap=roadmap,
            stage=stage,
            number=number,
            title=title,
            due_date=datetime.date(2020, 1, 1),
            status=status,
            completed_on=completed_on,
        )

    text = flat(pdf_text(build("roadmap").pdf).replace("\u2010\n", ""))

    assert "Мероприятий: 2, выполнено: 1, просрочено" in text
    assert "5.1" in text and "Курсы для учителей" in text and "(просрочено)" in text


@pytest.mark.slow
def test_campaign_results_show_cards_and_levels(computed):
    from monitoring.models import CardTemplate
    from monitoring.reference import seed as seed_monitoring
    from monitoring.services.campaigns import campaign_create
    from schools.models import School

    seed_monitoring()
    campaign = campaign_create(
        year=2025,
        template=CardTemplate.objects.get(slug="lesosibirsk-shnor"),
        school_ids=list(School.objects.filter(code__in=["S1", "S2"]).values_list("pk", flat=True)),
    )

    text = flat(pdf_text(build("campaign").pdf))

    assert f"Результаты мониторинга «{campaign.title}»" in text
    assert "участвовали 2 ОО" in text and "Школа S1" in text and "Школа S2" in text


def test_build_report_command_exits_non_zero_for_a_missing_campaign(catalogue, tmp_path):
    with pytest.raises(CommandError, match="нет мониторинга"):
        call_command("build_report", "campaign", "--year", "2025", "--out", str(tmp_path / "c.pdf"))

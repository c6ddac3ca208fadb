"""Data for report tests: a computed year (statuses, values) written directly, with hand-picked figures."""

from django.urls import reverse
from django.utils import timezone

from indicators.models import ComputationRun, Indicator, IndicatorValue, SchoolStatus
from schools.models import SchoolContext
from tests.factories import SchoolFactory

CLUSTER = "Тестовый МО × город × 100–499"


def seed_catalogue() -> None:
    from indicators.reference import seed as seed_indicators
    from roadmaps.reference import seed as seed_roadmaps

    seed_indicators()
    seed_roadmaps()


def computed_year(year: int, rows: list[dict]) -> ComputationRun:
    """rows: {"code", "students", "results_index", "rank", "low", "unf", "oge": (numerator, denominator)}"""
    run = ComputationRun.objects.create(
        year=year,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        rules_snapshot={"valid_from": 2021, "size_edges": [100, 500], "q": "0.1", "n": 2, "p": "0.1"},
    )
    oge = Indicator.objects.get(code="oge_below_min_share")
    for row in rows:
        school = SchoolFactory(code=row["code"], short_name=f"Школа {row['code']}")
        SchoolContext.objects.update_or_create(
            school=school, year=year, defaults={"students": row["students"], "teachers": 20}
        )
        computed = {"run": run, "school": school, "year": year}
        SchoolStatus.objects.create(
            **computed,
            has_context=True,
            cluster=CLUSTER,
            cluster_size=len(rows),
            results_index=row["results_index"],
            social_index=row.get("social_index", 50.0),
            rank_in_cluster=row["rank"],
            low_results_year=row["low"],
            low_results=row["low"],
            unfavourable=row.get("unf", False),
        )
        numerator, denominator = row["oge"]
        IndicatorValue.objects.create(
            **computed,
            indicator=oge,
            numerator=numerator,
            denominator=denominator,
            value=numerator / denominator * 100,
        )
    return run


def two_years() -> None:
    """Three schools; «S1» is ШНОР in 2025 with its ОГЭ below-minimum share up from 10 % to 16,2 %."""
    computed_year(
        2024,
        [
            {"code": "S1", "students": 300, "results_index": 20.0, "rank": 1, "low": False, "oge": (4, 40)},
            {"code": "S2", "students": 250, "results_index": 60.0, "rank": 2, "low": False, "oge": (2, 50)},
            {"code": "S3", "students": 7, "results_index": 80.0, "rank": 3, "low": False, "oge": (1, 5)},
        ],
    )
    computed_year(
        2025,
        [
            {
                "code": "S1",
                "students": 300,
                "results_index": 10.0,
                "rank": 1,
                "low": True,
                "oge": (13, 80),
                "unf": True,
            },
            {"code": "S2", "students": 250, "results_index": 70.0, "rank": 2, "low": False, "oge": (3, 60)},
            {"code": "S3", "students": 7, "results_index": 90.0, "rank": 3, "low": False, "oge": (1, 5)},
        ],
    )


def document_post(client, *, title, kind, stage, upload, **fields):
    """The staff registry form: a document of direction 1.2 at cycle stage number `stage`, file `upload`."""
    from roadmaps.models import CycleStage, Direction

    return client.post(
        reverse("reports:document-create"),
        {
            "title": title,
            "kind": kind,
            "direction": Direction.objects.get(code="1.2").pk,
            "stage": CycleStage.objects.get(number=stage).pk,
            "upload": upload,
            **fields,
        },
    )

"""Objects that URL kwargs point at: school A (principal A's) and school B, and each app's objects of A."""

from django.apps import apps

from schools.jobs import job_create
from schools.models import ImportBatch
from tests.factories import SchoolContextFactory


def build_world(actors) -> dict:
    """A dict of named objects; apps that are not built yet simply add nothing."""
    principal_a = actors["principal_a"]
    school_a = principal_a.profile.school
    school_b = actors["principal_b"].profile.school
    world = {
        "school_a": school_a,
        "school_b": school_b,
        "context_a": SchoolContextFactory(school=school_a, year=2024),
        "job_a": job_create(kind="import:schools", title="Импорт", user=principal_a),
        "batch": ImportBatch.objects.create(kind="schools", file_name="schools.xlsx", sha256="0" * 64),
    }
    for extend in _EXTENSIONS:
        extend(world, actors)
    return world


def _app_ready(label: str, *models: str) -> bool:
    try:
        for model in models:
            apps.get_model(label, model)
    except LookupError:
        return False
    return True


def _indicators(world, actors) -> None:
    from django.utils import timezone

    from indicators.models import ComputationRun, Indicator, IndicatorValue, ObjectivityStatus, SchoolStatus
    from indicators.reference import seed
    from tests.indicators.factories import result

    seed()
    school = world["school_a"]
    run = ComputationRun.objects.create(year=2025, started_at=timezone.now(), finished_at=timezone.now())
    indicator = Indicator.objects.get(code="oge_below_min_share")
    world["result_a"] = result(school, 2025, "OGE", "math", 9, 40, below_min=4)
    world["indicator"] = indicator
    world["status_a"] = SchoolStatus.objects.create(run=run, school=school, year=2025, has_context=True)
    world["value_a"] = IndicatorValue.objects.create(
        run=run, school=school, year=2025, indicator=indicator, numerator=4, denominator=40, value=10
    )
    lowered = {"subject": "Математика", "grade": 5, "participants": 20, "count": 8, "share": 40.0}
    world["objectivity_a"] = ObjectivityStatus.objects.create(
        run=run,
        school=school,
        year=2025,
        markers=["vpr_lowered", "medalists_unconfirmed"],
        marker_count=2,
        in_list=True,
        figures={
            "vpr_lowered": {"present": True, "min_rows": 2, "rows": [lowered, lowered]},
            "medalists_unconfirmed": {"present": True, "candidates": 4, "unconfirmed": 2, "share": 50.0},
        },
    )


def _monitoring(world, actors) -> None:
    from monitoring.models import ExpertCard
    from tests.monitoring.factories import builtin_template, make_campaign

    world["template"] = builtin_template()
    world["campaign"] = make_campaign(
        schools=[world["school_a"], world["school_b"]], user=actors["inspector"]
    )
    world["card_a"] = ExpertCard.objects.get(campaign=world["campaign"], school=world["school_a"])
    world["criterion_code"] = world["card_a"].answers.order_by("pk").first().criterion_code


def _roadmaps(world, actors) -> None:
    from roadmaps.models import Direction, StageDuty
    from roadmaps.reference import seed
    from tests.roadmaps.factories import (
        DecisionFactory,
        ProgrammeFactory,
        RecommendationFactory,
        RoadmapItemFactory,
    )

    seed()
    world["roadmap_a"] = ProgrammeFactory(school=world["school_a"])
    world["item_a"] = RoadmapItemFactory(roadmap=world["roadmap_a"])
    world["recommendation_a"] = RecommendationFactory(school=world["school_a"])
    world["decision"] = DecisionFactory()
    world["decision"].schools.add(world["school_a"])
    world["direction"] = Direction.objects.order_by("pk").first()
    world["duty"] = StageDuty.objects.order_by("pk").first()


def _reports(world, actors) -> None:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import Document, Report

    direction, stage = world["direction"], world["item_a"].stage
    world["document_draft"] = Document.objects.create(
        title="Проект положения", kind="procedural", direction=direction, stage=stage, text="Текст проекта"
    )
    world["document_public"] = Document.objects.create(
        title="Положение",
        kind="procedural",
        direction=direction,
        stage=stage,
        is_published=True,
        file_type="pdf",
        published_at=timezone.now(),
        file=ContentFile(b"%PDF-1.4 doc", name="d.pdf"),
    )
    world["report_draft"] = Report.objects.create(
        kind="annual",
        year=2025,
        title="Отчёт (черновик)",
        status="done",
        pdf=ContentFile(b"%PDF-1.4 draft", name="r.pdf"),
    )
    world["report_public"] = Report.objects.create(
        kind="annual",
        year=2024,
        title="Отчёт",
        status="done",
        is_published=True,
        published_at=timezone.now(),
        pdf=ContentFile(b"%PDF-1.4 full", name="r.pdf"),
        public_pdf=ContentFile(b"%PDF-1.4 public", name="p.pdf"),
        xlsx=ContentFile(b"PK", name="r.xlsx"),
        public_xlsx=ContentFile(b"PK", name="p.xlsx"),
    )


def _documents(world, actors) -> None:
    import datetime

    from documents.services import builtin_template, order_draft_create, order_sign

    inspector = actors["inspector"]
    world["order_draft"] = order_draft_create(user=inspector, document_kind="lists", year=2025)
    signed = order_draft_create(user=inspector, document_kind="lists", year=2025)
    world["order_signed"] = order_sign(
        order=signed, user=inspector, number="01-03/1", date=datetime.date(2025, 9, 1)
    )
    world["document_template"] = builtin_template("lists")


_EXTENSIONS: list = []
for _label, _models, _extend in [
    ("indicators", ("ComputationRun", "SchoolStatus", "IndicatorValue"), _indicators),
    ("monitoring", ("Campaign", "ExpertCard"), _monitoring),
    ("roadmaps", ("Roadmap", "RoadmapItem", "Recommendation", "ManagementDecision"), _roadmaps),
    ("reports", ("Document", "Report"), _reports),
    ("documents", ("Order", "ApprovedSchool"), _documents),
]:
    if _app_ready(_label, *_models):
        _EXTENSIONS.append(_extend)

"""Reads of the reports app: what a user may see of the registry and the reports, the public grid, and
the set-based reads the report builders need from the other apps' models (a fixed number of queries,
whatever the number of schools)."""

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from roadmaps.models import CycleStage, Direction
from schools import formatting
from schools.roles import is_staff_member
from schools.selectors import scope_municipality_ids

from .models import Document, Report


# --- visibility -------------------------------------------------------------------------------------
def document_list_visible_to(*, user: User) -> QuerySet[Document]:
    documents = Document.objects.select_related("direction", "stage")
    return documents if is_staff_member(user) else documents.filter(is_published=True)


def report_list_visible_to(*, user: User) -> QuerySet[Report]:
    """Staff see the reports about their municipalities (a report about the whole installation only when
    they see all of it) and every published one; everybody else the published ones."""
    reports = Report.objects.select_related("direction", "stage", "job", "municipality")
    if not is_staff_member(user):
        return reports.filter(is_published=True)
    ids = scope_municipality_ids(user)
    if ids is None:
        return reports
    return reports.filter(Q(municipality_id__in=ids) | Q(is_published=True))


def document_get_visible(*, user: User, pk: int) -> Document:
    try:
        return document_list_visible_to(user=user).get(pk=pk)
    except Document.DoesNotExist:
        raise Http404("Документ не найден")


def report_get_visible(*, user: User, pk: int) -> Report:
    try:
        return report_list_visible_to(user=user).get(pk=pk)
    except Report.DoesNotExist:
        raise Http404("Отчёт не найден")


def published_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(is_published=True)
        .select_related("direction", "stage")
        .order_by("-published_at")
    )


# --- the directions × stages grid -------------------------------------------------------------------
def quality_grid(*, user: User, public: bool) -> dict:
    """Directions (rows) × cycle stages (columns) with the documents and reports of each cell.

    `public` shows published material only; staff get every item and see the empty cells as gaps.
    Three queries whatever the size of the registry.
    """
    directions = list(Direction.objects.order_by("order", "code"))
    stages = list(CycleStage.objects.order_by("number"))
    documents = Document.objects.select_related("direction", "stage").order_by("-date", "title")
    reports = Report.objects.filter(direction__isnull=False, stage__isnull=False, status=Report.Status.DONE)
    if public or not is_staff_member(user):
        documents = documents.filter(is_published=True)
        reports = reports.filter(is_published=True)
    cells: dict[tuple[int, int], dict] = {
        (d.pk, s.pk): {"documents": [], "reports": []} for d in directions for s in stages
    }
    for document in documents:
        cells.setdefault((document.direction_id, document.stage_id), {"documents": [], "reports": []})[
            "documents"
        ].append(document)
    for report in reports.order_by("-year", "-published_at"):
        cells.setdefault((report.direction_id, report.stage_id), {"documents": [], "reports": []})[
            "reports"
        ].append(report)
    rows = []
    gaps = 0
    for direction in directions:
        row_cells = []
        for stage in stages:
            cell = cells[(direction.pk, stage.pk)]
            cell["empty"] = not (cell["documents"] or cell["reports"])
            gaps += cell["empty"]
            cell["stage"] = stage
            row_cells.append(cell)
        rows.append({"direction": direction, "cells": row_cells})
    return {"stages": stages, "rows": rows, "gaps": gaps, "cells_total": len(directions) * len(stages)}


def report_kind_counts() -> dict:
    return {
        "total": Report.objects.count(),
        "published": Report.objects.filter(is_published=True).count(),
        "failed": Report.objects.filter(status=Report.Status.FAILED).count(),
        "running": Report.objects.filter(
            Q(status=Report.Status.RUNNING) | Q(status=Report.Status.QUEUED)
        ).count(),
    }


# --- reads for the report builders (set-based, against the other apps' models) ----------------------
def indicator_catalogue() -> list[Mapping[str, Any]]:
    from indicators.models import Indicator

    return list(
        Indicator.objects.order_by("order", "code").values(
            "code", "name", "short_name", "group", "kind", "index", "polarity", "unit", "formula"
        )
    )


def methodology_for_year(*, year: int) -> dict:
    """The rules snapshot of the latest computation of the year, with a version label; {} if none."""
    from indicators.models import ComputationRun

    run = ComputationRun.objects.filter(year=year, finished_at__isnull=False).order_by("-finished_at").first()
    if run is None:
        return {}
    snapshot = dict(run.rules_snapshot or {})
    valid_from = snapshot.get("valid_from")
    version = f"правила с {formatting.school_year(valid_from)}" if valid_from else "правила по умолчанию"
    snapshot["version"] = f"{version}; расчёт от {formatting.date(run.finished_at)}"
    snapshot["run_id"] = run.pk
    return snapshot


def effective_overrides(*, years: Iterable[int]) -> dict[tuple[int, int, str], bool | None]:
    """(school_id, year, list) → the effective inspector decision.

    True: include, False: exclude, None: revert.
    """
    from indicators.models import StatusOverride

    latest: dict[tuple[int, int, str], bool | None] = {}
    for row in (
        StatusOverride.objects.filter(year__in=list(years))
        .order_by("-created_at", "-pk")
        .values("school_id", "year", "list_kind", "decision")
    ):
        key = (row["school_id"], row["year"], row["list_kind"])
        if key not in latest:
            latest[key] = {"include": True, "exclude": False}.get(row["decision"])
    return latest


def school_statuses(*, years: Iterable[int]) -> list[dict]:
    """Statuses of every school for the years, with the inspectors' overrides applied to the lists."""
    from indicators.models import SchoolStatus

    years = list(years)
    overrides = effective_overrides(years=years)
    rows: list[dict[str, Any]] = cast(
        list[dict[str, Any]],
        list(
            SchoolStatus.objects.filter(year__in=years)
            .order_by("year", "school__code")
            .values(
                "school_id",
                "school__code",
                "school__short_name",
                "school__name",
                "year",
                "has_context",
                "cluster",
                "cluster_size",
                "results_index",
                "social_index",
                "rank_in_cluster",
                "social_rank",
                "social_population",
                "low_results_year",
                "low_results",
                "unfavourable",
                "reasons",
                "objectivity_flags",
            )
        ),
    )
    for row in rows:
        for list_kind in ("low_results", "unfavourable"):
            decision = overrides.get((row["school_id"], row["year"], list_kind))
            row[f"{list_kind}_computed"] = row[list_kind]
            if decision is not None:
                row[list_kind] = decision
        row["school_label"] = row["school__short_name"] or row["school__name"]
    return rows


def population_stats(*, years: Iterable[int]) -> list[Mapping[str, Any]]:
    from indicators.models import PopulationStat

    return list(
        PopulationStat.objects.filter(year__in=list(years)).values(
            "year",
            "indicator",
            "population_kind",
            "population",
            "count",
            "median",
            "mean",
            "minimum",
            "maximum",
        )
    )


def indicator_values(*, years: Iterable[int]) -> list[Mapping[str, Any]]:
    from indicators.models import IndicatorValue

    return list(
        IndicatorValue.objects.filter(year__in=list(years)).values(
            "school_id",
            "year",
            "indicator__code",
            "value",
            "numerator",
            "denominator",
            "is_low_data",
            "rank",
            "population_size",
        )
    )


def school_students(*, year: int) -> dict[int, int | None]:
    from schools.models import SchoolContext

    return dict(SchoolContext.objects.filter(year=year).values_list("school_id", "students"))


def recommendations_for_year(*, year: int) -> list[Mapping[str, Any]]:
    from roadmaps.models import Recommendation

    return list(
        Recommendation.objects.filter(year=year)
        .order_by("school__code", "pk")
        .values(
            "pk",
            "school__code",
            "school__short_name",
            "target_group",
            "problem_area",
            "text",
            "status",
            "due_date",
            "direction__code",
        )
    )


def decisions_for_year(*, year: int) -> list[dict]:
    from roadmaps.models import ManagementDecision

    decisions = list(
        ManagementDecision.objects.filter(year=year)
        .annotate(
            n_schools=Count("schools", distinct=True),
            n_recommendations=Count("recommendations", distinct=True),
        )
        .order_by("document_date", "pk")
        .values(
            "pk",
            "kind",
            "title",
            "document_number",
            "document_date",
            "responsible",
            "deadline",
            "status",
            "n_schools",
            "n_recommendations",
        )
    )
    return decisions


def teacher_diagnostics_for_year(*, year: int) -> dict:
    """The teachers' subject diagnostics of a year for the annual report: the bands in force, totals per
    subject and per school and subject (three queries)."""
    from indicators.teacher_diagnostics import bands_for_year, teacher_level_summary, teacher_subject_totals
    from schools.models import School

    return {
        "bands": bands_for_year(year).text,
        "subjects": teacher_subject_totals(year=year),
        "schools": teacher_level_summary(schools=School.objects.all(), years=[year]),
    }


def monitorings_for_year(*, year: int) -> list:
    """Every monitoring of the year against its previous campaign (monitoring.results), for the reports."""
    from monitoring.results import monitoring_effectiveness

    return monitoring_effectiveness(year=year)

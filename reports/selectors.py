"""Reads of the reports app: what a user may see of the registry and the reports, the public grid, and
the set-based reads the report builders need from the other apps' models (a fixed number of queries,
whatever the number of schools)."""

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from indicators.selectors import computed_years
from roadmaps.models import CycleStage, Direction
from schools import formatting
from schools.models import Municipality
from schools.panels import approval_summaries
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
    """Published reports without their data snapshots (megabytes for a region): pages list them."""
    return (
        Report.objects.filter(is_published=True)
        .select_related("direction", "stage", "municipality")
        .defer("data", "public_data", "public_html")
        .order_by("-published_at")
    )


def published_report_editions(*, municipality_id: int | None = None) -> list[Report]:
    """The current edition of every published report (of one municipality, if given), newest first, each
    with `editions`: all its published editions, newest first (the current one included). One query."""
    queryset = published_reports()
    if municipality_id is not None:
        queryset = queryset.filter(municipality_id=municipality_id)
    reports = list(queryset)
    series: dict[str, list[Report]] = {}
    for report in reports:
        series.setdefault(report.series or f"#{report.pk}", []).append(report)
    current = [r for r in reports if r.superseded_by_id is None]
    for report in current:
        editions = series[report.series or f"#{report.pk}"]
        editions.sort(key=lambda r: (r.edition or 0, r.published_at), reverse=True)
        setattr(report, "editions", editions)  # noqa: B010 (an attribute for the template, not a field)
    return current


def report_editions(*, report: Report) -> list[Report]:
    """Every published edition of the report's series, newest first."""
    if not report.series:
        return [report]
    return list(published_reports().filter(series=report.series).order_by("-edition", "-published_at"))


def public_document_search(*, query: str) -> list[Document]:
    """Published documents whose title, number, issuer, summary or text contain every word of the query.

    Case-folded in Python: SQLite's LIKE folds only Latin letters, and the registry is small."""
    words = query.casefold().split()
    if not words:
        return []
    found = []
    for document in Document.objects.filter(is_published=True).select_related("direction", "stage"):
        haystack = " ".join(
            [document.title, document.number, document.issuer, document.description, document.text]
        ).casefold()
        if all(word in haystack for word in words):
            found.append(document)
    return found


# --- the directions × stages grid -------------------------------------------------------------------
def quality_grid(*, user: User, public: bool, show_empty: bool = True) -> dict:
    """Directions (rows) × cycle stages (columns) with the documents and reports of each cell.

    `public` shows published material only; staff get every item and see the empty cells as gaps.
    `show_empty=False` leaves out the directions with nothing in any stage (`hidden_rows` counts them).
    Three queries whatever the size of the registry.
    """
    directions = list(Direction.objects.order_by("order", "code"))
    stages = list(CycleStage.objects.order_by("number"))
    documents = Document.objects.select_related("direction", "stage").order_by("-date", "title")
    reports = Report.objects.filter(
        direction__isnull=False, stage__isnull=False, status=Report.Status.DONE
    ).defer("data", "public_data", "public_html")
    if public or not is_staff_member(user):
        documents = documents.filter(is_published=True)
        reports = reports.filter(is_published=True, superseded_by__isnull=True)
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
    gaps = hidden_rows = 0
    for direction in directions:
        row_cells = []
        for stage in stages:
            cell = cells[(direction.pk, stage.pk)]
            cell["empty"] = not (cell["documents"] or cell["reports"])
            gaps += cell["empty"]
            cell["stage"] = stage
            row_cells.append(cell)
        if not show_empty and all(cell["empty"] for cell in row_cells):
            hidden_rows += 1
            continue
        rows.append({"direction": direction, "cells": row_cells})
    return {
        "stages": stages,
        "rows": rows,
        "gaps": gaps,
        "cells_total": len(directions) * len(stages),
        "hidden_rows": hidden_rows,
        "show_empty": show_empty,
    }


def report_kind_counts(*, user: User) -> dict:
    """The counters of the reports page over the reports the user may see (DESIGN §6), in one query."""
    return report_list_visible_to(user=user).aggregate(
        total=Count("pk"),
        published=Count("pk", filter=Q(is_published=True)),
        failed=Count("pk", filter=Q(status=Report.Status.FAILED)),
        running=Count("pk", filter=Q(status__in=[Report.Status.RUNNING, Report.Status.QUEUED])),
    )


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


def school_statuses(*, years: Iterable[int], municipality_id: int | None = None) -> list[dict]:
    """Statuses of every school (of one municipality when given) for the years, with the inspectors'
    overrides applied to the lists. Without the reasons: 5 years × 10,000 schools of them are 1 GB."""
    from indicators.models import STATUS_PLACE_FIGURES, SchoolStatus
    from indicators.selectors import list_decisions, listed

    years = list(years)
    decisions = list_decisions(years=years)
    statuses = SchoolStatus.objects.filter(year__in=years)
    if municipality_id is not None:
        statuses = statuses.filter(school__municipality_id=municipality_id)
    rows: list[dict[str, Any]] = cast(
        list[dict[str, Any]],
        list(
            statuses.order_by("year", "school__code").values(
                "school_id",
                "school__code",
                "school__short_name",
                "school__name",
                "school__municipality_id",
                "school__municipality__name",
                "year",
                *STATUS_PLACE_FIGURES,
                "low_results_year",
                "low_results",
                "unfavourable",
                "objectivity_flags",
            )
        ),
    )
    for row in rows:
        for list_kind in ("low_results", "unfavourable"):
            row[f"{list_kind}_computed"] = row[list_kind]
            row[list_kind] = listed(row[list_kind], decisions.get((row["school_id"], row["year"], list_kind)))
        row["school_label"] = row["school__short_name"] or row["school__name"]
    return rows


def population_stats(*, years: Iterable[int]) -> list[Mapping[str, Any]]:
    from indicators.models import POPULATION_STAT_FIELDS, PopulationStat

    return list(PopulationStat.objects.filter(year__in=list(years)).values(*POPULATION_STAT_FIELDS))


def indicator_values(*, years: Iterable[int], municipality_id: int | None = None) -> list[Mapping[str, Any]]:
    from indicators.models import IndicatorValue

    values = IndicatorValue.objects.filter(year__in=list(years))
    if municipality_id is not None:
        values = values.filter(school__municipality_id=municipality_id)
    return list(
        values.values(
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


def school_students(*, year: int, municipality_id: int | None = None) -> dict[int, int | None]:
    from schools.models import SchoolContext

    contexts = SchoolContext.objects.filter(year=year)
    if municipality_id is not None:
        contexts = contexts.filter(school__municipality_id=municipality_id)
    return dict(contexts.values_list("school_id", "students"))


def recommendations_for_year(*, year: int, municipality_id: int | None = None) -> list[Mapping[str, Any]]:
    """Recommendations of the year; of one municipality's schools when given (group ones have no school)."""
    from roadmaps.models import Recommendation

    recommendations = Recommendation.objects.filter(year=year)
    if municipality_id is not None:
        recommendations = recommendations.filter(school__municipality_id=municipality_id)
    return list(
        recommendations.order_by("school__code", "pk").values(
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


def decisions_for_year(*, year: int, municipality_id: int | None = None) -> list[dict]:
    """Decisions of the year; those concerning one municipality's schools when given."""
    from roadmaps.models import ManagementDecision

    chosen = ManagementDecision.objects.filter(year=year)
    if municipality_id is not None:
        chosen = chosen.filter(
            pk__in=ManagementDecision.objects.filter(schools__municipality_id=municipality_id).values("pk")
        )
    decisions = list(
        chosen.annotate(
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


# --- the public tab's addresses (sitemap.xml) --------------------------------------------------------
def public_addresses() -> list[tuple[str, Any]]:
    """(path, last change) of every public page: the tab, open data, each published report and document."""
    from django.urls import reverse

    from schools.models import Municipality

    from . import opendata

    addresses: list[tuple[str, Any]] = [
        (reverse("quality:index"), None),
        (reverse("quality:opendata"), None),
    ]
    addresses += [(reverse("quality:opendata-set", args=[s.identifier]), None) for s in opendata.DATA_SETS]
    addresses += [
        (reverse("quality:municipality", args=[code]), None)
        for code in Municipality.objects.exclude(code="").order_by("name").values_list("code", flat=True)
    ]
    addresses += [(r.get_public_url(), r.published_at) for r in published_reports()]
    addresses += [
        (reverse("quality:document-detail", args=[pk]), changed)
        for pk, changed in Document.objects.filter(is_published=True)
        .order_by("pk")
        .values_list("pk", "updated_at")
    ]
    return addresses


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


def objectivity_counts(*, years: list[int], municipality_id: int | None = None) -> dict:
    """Counts of schools for the annual report's objectivity section (DESIGN §8), never school names:
    {"markers": {year: {code: n}}, "history": {year: {"listed", "stable", "with_markers", "schools"}}}.
    A fixed number of queries (two per year at most)."""
    from indicators.objectivity_selectors import marker_counts, objectivity_history

    history = objectivity_history(municipality=municipality_id)
    return {
        "markers": {
            year: marker_counts(year=year, municipality=municipality_id) for year in years if year in history
        },
        "history": {year: history[year] for year in years if year in history},
    }


def public_list_approval() -> dict | None:
    """For the public tab: the latest computed year whose lists a signed order approved, and per order
    (one for the whole installation and/or one per municipality, the installation's first) the counts of
    schools it approved (a count of schools, not of students: no suppression applies)."""
    summaries = approval_summaries()
    for year in sorted(computed_years(), reverse=True):
        rows = [
            {
                "municipality": s.municipality,
                "text": s.text,
                "low_results": s.low_results,
                "unfavourable": s.unfavourable,
            }
            for s in sorted(
                (s for s in summaries if s.year == year), key=lambda s: (s.municipality != "", s.municipality)
            )
        ]
        if rows:
            return {"year_label": formatting.school_year(year), "rows": rows}
    return None


def municipality_names() -> QuerySet:
    """(code, name) of every municipality by name: the places an order may approve lists for."""
    return Municipality.objects.order_by("name").values_list("code", "name")


def monitorings_for_year(*, year: int, municipality_id: int | None = None) -> list:
    """Every monitoring of the year against its previous campaign (monitoring.results), for the reports;
    over one municipality's cards (about its schools or about itself) when given."""
    from monitoring.models import ExpertCard
    from monitoring.results import monitoring_effectiveness

    if municipality_id is None:
        return monitoring_effectiveness(year=year)
    cards = ExpertCard.objects.filter(
        Q(school__municipality_id=municipality_id) | Q(municipality_id=municipality_id)
    )
    return monitoring_effectiveness(year=year, visible=cards)

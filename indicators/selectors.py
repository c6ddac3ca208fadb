"""Reads of the indicators app, for its pages and API and for other apps (monitoring, roadmaps, reports).

Every function runs a fixed number of queries whatever the number of schools. The ШНОР/ШНСУ lists
are the *effective* ones: an inspector's override (the latest `StatusOverride` for the school, year
and list) wins over the computed flag, which stays on `SchoolStatus` beside it.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from schools.models import School
from schools.queries import distinct_years
from schools.selectors import rows_in_scope, school_ids_in_scope

from .models import (
    AssessmentResult,
    ComputationRun,
    Indicator,
    IndicatorValue,
    MethodologyRules,
    PopulationStat,
    SchoolStatus,
    StatusOverride,
)

LISTS = {"low_results": "ШНОР", "unfavourable": "ШНСУ"}


def computed_years() -> list[int]:
    """Years that have a computation, newest first."""
    return distinct_years(SchoolStatus.objects.all())


def latest_year() -> int | None:
    years = computed_years()
    return years[0] if years else None


def result_years() -> list[int]:
    return distinct_years(AssessmentResult.objects.all())


def latest_run(*, year: int) -> ComputationRun | None:
    return ComputationRun.objects.filter(year=year).select_related("started_by", "rules").first()


def rules_in_force(*, year: int) -> MethodologyRules | None:
    """The rules version that applies to `year` (None before the reference data is seeded)."""
    rules = MethodologyRules.objects.filter(valid_from__lte=year).order_by("-valid_from").first()
    return rules or MethodologyRules.objects.order_by("valid_from").first()


def indicator_catalogue() -> QuerySet[Indicator]:
    return Indicator.objects.all()


def overrides_latest(
    *, year: int, school_ids: Iterable[int] | None = None
) -> dict[tuple[int, str], StatusOverride]:
    """{(school id, list): the latest override} of a year; a «revert» decision counts as none."""
    overrides = (
        StatusOverride.objects.filter(year=year).select_related("created_by").order_by("created_at", "pk")
    )
    if school_ids is not None:
        overrides = overrides.filter(school_id__in=school_ids)
    latest = {}
    for override in overrides:
        latest[(override.school_id, override.list_kind)] = override
    return {key: o for key, o in latest.items() if o.decision != StatusOverride.Decision.REVERT}


def listed(computed: bool, decision: bool | None) -> bool:
    """The one rule of list membership: an inspector's decision (True include, False exclude) wins over
    the computed flag; no decision, or a «revert», leaves the computed status."""
    return computed if decision is None else decision


def list_decisions(
    *, years: Iterable[int], school_ids: Iterable[int] | None = None
) -> dict[tuple[int, int, str], bool | None]:
    """{(school id, year, list): the effect of its latest decision (`StatusOverride.effect_of`)}."""
    overrides = StatusOverride.objects.filter(year__in=list(years))
    if school_ids is not None:
        overrides = overrides.filter(school_id__in=school_ids)
    latest: dict[tuple[int, int, str], bool | None] = {}
    for school_id, year, kind, decision in overrides.order_by("created_at", "pk").values_list(
        "school_id", "year", "list_kind", "decision"
    ):
        latest[(school_id, year, kind)] = StatusOverride.effect_of(decision)
    return latest


def list_members(
    *, years: Iterable[int], school_ids: Iterable[int] | None = None
) -> dict[int, dict[str, dict[int, int]]]:
    """{year: {list: {school id: its municipality id}}}: the effective ШНОР/ШНСУ of each year (`listed`),
    of the given schools (a subquery of ids) or of all; three queries whatever the number of schools."""
    years = list(years)
    decisions = list_decisions(years=years, school_ids=school_ids)
    members: dict[int, dict[str, dict[int, int]]] = {year: {kind: {} for kind in LISTS} for year in years}
    # Only the computed members are read (a few per cent of the schools, by a partial index): a school
    # the computation left off a list joins it only by a decision, added below.
    statuses = SchoolStatus.objects.filter(year__in=years).filter(Q(low_results=True) | Q(unfavourable=True))
    if school_ids is not None:
        statuses = statuses.filter(school__in=school_ids)
    for year, school_id, municipality_id, *flags in statuses.order_by().values_list(
        "year", "school_id", "school__municipality_id", *LISTS
    ):
        for kind, computed in zip(LISTS, flags, strict=True):
            if listed(computed, decisions.get((school_id, year, kind))):
                members[year][kind][school_id] = municipality_id
    included = [key for key, decision in decisions.items() if decision]
    if included:
        municipality_of = dict(
            School.objects.filter(pk__in={school_id for school_id, _, _ in included}).values_list(
                "pk", "municipality_id"
            )
        )
        for school_id, year, kind in included:
            members[year][kind][school_id] = municipality_of[school_id]
    return members


def _with_effective(statuses: list[SchoolStatus], overrides: dict) -> list[SchoolStatus]:
    for status in statuses:
        for kind in LISTS:
            override = overrides.get((status.school_id, kind))
            setattr(status, f"{kind}_override", override)
            setattr(
                status,
                f"{kind}_effective",
                listed(getattr(status, kind), override.effective if override else None),
            )
    return statuses


def status_queryset(*, year: int, user: User | None = None, municipality: str = "") -> QuerySet[SchoolStatus]:
    """Statuses of a year, of the schools `user` may see, of one municipality (its code) when given."""
    statuses = SchoolStatus.objects.filter(year=year).select_related("school", "school__municipality")
    if user is not None:
        statuses = rows_in_scope(statuses, user=user)
    if municipality:
        statuses = statuses.filter(school__municipality__code=municipality)
    return statuses.order_by("school__code")


def status_list(
    *,
    year: int,
    list_kind: str | None = None,
    user: User | None = None,
    cluster: str = "",
    municipality: str = "",
    school_ids: Iterable[int] | None = None,
) -> list[SchoolStatus]:
    """Statuses of a year with `<list>_effective` and `<list>_override` set; only members of
    `list_kind` ("low_results" or "unfavourable") when given. Restricted to what `user` may see, to
    one municipality (its code) and to `school_ids` when given."""
    statuses = status_queryset(year=year, user=user, municipality=municipality).defer(
        "reasons", "objectivity_flags"
    )
    if cluster:
        statuses = statuses.filter(cluster=cluster)
    if school_ids is not None:
        school_ids = list(school_ids)
        statuses = statuses.filter(school_id__in=school_ids)
    rows = _with_effective(list(statuses), overrides_latest(year=year, school_ids=school_ids))
    if list_kind:
        rows = [s for s in rows if getattr(s, f"{list_kind}_effective")]
    return rows


SCOPE_TEXTS = {
    MethodologyRules.ClusterScope.MUNICIPALITY: {
        "title": "муниципалитет",
        "clusters": "кластеры — муниципалитет × тип поселения × численность обучающихся",
        "social": "в муниципалитете",
        "social_text": "место по индексу социального благополучия среди школ своего муниципалитета",
    },
    MethodologyRules.ClusterScope.REGION: {
        "title": "регион",
        "clusters": "кластеры — тип поселения × численность обучающихся по всем муниципалитетам региона",
        "social": "в регионе",
        "social_text": "место по индексу социального благополучия среди всех школ региона",
    },
}


def status_scope(status: SchoolStatus | None) -> dict:
    """Which population the status was computed in («почему школа в списке» states it): the rules'
    `cluster_scope` kept in the status reasons; a status computed before the rule existed is municipal."""
    scope = ((status.reasons or {}).get("rules") or {}).get("cluster_scope") if status else None
    if scope not in SCOPE_TEXTS:
        scope = MethodologyRules.ClusterScope.MUNICIPALITY
    return {"code": str(scope), **SCOPE_TEXTS[scope]}


def status_get(*, school: School, year: int) -> SchoolStatus | None:
    status = SchoolStatus.objects.filter(school=school, year=year).select_related("school", "run").first()
    if status is None:
        return None
    return _with_effective([status], overrides_latest(year=year, school_ids=[school.pk]))[0]


def _scoped_school_ids(user: User | None, municipality: str) -> QuerySet | None:
    """The schools a list is about (a subquery of ids): those `user` may see, of one municipality (code)
    when given; None when that is every school (nothing to narrow)."""
    visible = school_ids_in_scope(user=user) if user is not None else None
    if not municipality:
        return visible
    schools = School.objects.filter(municipality__code=municipality)
    if visible is not None:
        schools = schools.filter(pk__in=visible)
    return schools.values("pk")


def effective_members(*, year: int, user: User | None = None, municipality: str = "") -> dict[str, set[int]]:
    """{list: set of school ids on it in `year`} (effective, overrides applied), within what `user` may
    see and one municipality (code) when given."""
    members = list_members(years=[year], school_ids=_scoped_school_ids(user, municipality))[year]
    return {kind: set(ids) for kind, ids in members.items()}


def list_dynamics(
    *, year: int, user: User | None = None, municipality: str = "", schools: bool = True
) -> dict:
    """For each list: `current`, `entered` and `left` schools of `year` versus `year − 1` (lists of
    School ordered by code; with `schools=False` only their ids, `current_ids` and `left_ids` ordered by
    code and `entered_ids` — a region's lists run to thousands of schools, a page shows a hundred) and
    whether the previous year was computed; within what `user` may see and one municipality (code)."""
    both = list_members(years=[year - 1, year], school_ids=_scoped_school_ids(user, municipality))
    now, before = ({kind: set(ids) for kind, ids in both[y].items()} for y in (year, year - 1))
    had_previous = SchoolStatus.objects.filter(year=year - 1).exists()
    ids = set().union(*now.values(), *before.values())
    by_id = schools_by_id(ids) if schools else {}
    codes = (
        {pk: school.code for pk, school in by_id.items()}
        if schools
        else dict(School.objects.filter(pk__in=ids).values_list("pk", "code"))
    )

    def ordered(pks) -> list[int]:
        return sorted((pk for pk in pks if pk in codes), key=codes.__getitem__)

    dynamics: dict[str, dict[str, Any]] = {
        kind: {
            "title": title,
            "count": len(ordered(now[kind])),
            "current_ids": ordered(now[kind]),
            "entered_ids": now[kind] - before[kind] if had_previous else set(),
            "left_ids": ordered(before[kind] - now[kind]) if had_previous else [],
            "has_previous": had_previous,
        }
        for kind, title in LISTS.items()
    }
    if schools:
        for block in dynamics.values():
            block["current"] = [by_id[pk] for pk in block["current_ids"]]
            block["entered"] = [by_id[pk] for pk in block["current_ids"] if pk in block["entered_ids"]]
            block["left"] = [by_id[pk] for pk in block["left_ids"]]
    return dynamics


def schools_by_id(ids: Iterable[int]) -> dict[int, School]:
    """{id: School with its municipality} of the given schools, in one query."""
    return {s.pk: s for s in School.objects.filter(pk__in=set(ids)).select_related("municipality")}


def list_history(
    *, years: Iterable[int], user: User | None = None, municipality: str = ""
) -> dict[int, dict[str, dict[str, int | None]]]:
    """{year: {list: {"count": n, "entered": k, "left": m}}} for the computed `years` (ascending);
    entered/left are None when the previous year has no computation (nothing to compare with)."""
    years = sorted(years)
    by_year = list_members(years=years, school_ids=_scoped_school_ids(user, municipality))
    members = {year: {kind: set(ids) for kind, ids in lists.items()} for year, lists in by_year.items()}
    history = {}
    for year in years:
        before = members.get(year - 1)
        history[year] = {
            kind: {
                "count": len(ids),
                "entered": len(ids - before[kind]) if before is not None else None,
                "left": len(before[kind] - ids) if before is not None else None,
            }
            for kind, ids in members[year].items()
        }
    return history


def indicator_values(
    *, year: int, user: User | None = None, indicator: str = "", school: School | None = None
) -> QuerySet[IndicatorValue]:
    """Stored indicator values of a year (with school and indicator), limited to what `user` may see."""
    values = IndicatorValue.objects.filter(year=year).select_related("school", "indicator")
    if user is not None:
        values = rows_in_scope(values, user=user)
    if indicator:
        values = values.filter(indicator__code=indicator)
    if school is not None:
        values = values.filter(school=school)
    return values.order_by("school__code", "indicator__order")


def population_stats(
    *, year: int, population_kind: str = "", indicator: str = ""
) -> QuerySet[PopulationStat]:
    """Median, mean, min, max of every indicator and index per population (cluster, municipality, all)."""
    stats = PopulationStat.objects.filter(year=year)
    if population_kind:
        stats = stats.filter(population_kind=population_kind)
    if indicator:
        stats = stats.filter(indicator=indicator)
    return stats


def cluster_medians(
    *, year: int, clusters: Iterable[str] | None = None
) -> dict[tuple[str, str], float | None]:
    """{(cluster, indicator code): median} of a year, of the given clusters only when given (a country
    has thousands of clusters; a page needs the few of the schools it shows)."""
    stats = population_stats(year=year, population_kind=PopulationStat.Population.CLUSTER)
    if clusters is not None:
        stats = stats.filter(population__in=set(clusters))
    return {(s.population, s.indicator): s.median for s in stats.only("population", "indicator", "median")}


TABLE_SORTS = {
    "code": "school__code",
    "results_index": "results_index",
    "social_index": "social_index",
    "rank": "rank_in_cluster",
    "cluster": "cluster",
}


def status_table(
    *,
    year: int,
    user: User,
    cluster: str = "",
    list_kind: str = "",
    ordering: str = "school__code",
    municipality: str = "",
) -> QuerySet[SchoolStatus]:
    """Statuses of a year for the «all schools» table (queryset: sort, filter, paginate it in the view)."""
    statuses = with_decisions(status_queryset(year=year, user=user, municipality=municipality))
    if cluster:
        statuses = statuses.filter(cluster=cluster)
    if list_kind in LISTS:
        statuses = on_list(statuses, list_kind)
    return statuses.order_by(ordering, "school__code")


def clusters_of(*, year: int) -> list[str]:
    return list(
        SchoolStatus.objects.filter(year=year)
        .exclude(cluster="")
        .values_list("cluster", flat=True)
        .distinct()
        .order_by("cluster")
    )


def indicator_cells(*, year: int, statuses: Iterable[SchoolStatus]) -> tuple[list[Indicator], list[dict]]:
    """For a page of statuses: every indicator's value beside its cluster median, in 3 queries."""
    indicators = list(Indicator.objects.all())
    statuses = list(statuses)
    values: defaultdict[Any, dict] = defaultdict(dict)
    for value in IndicatorValue.objects.filter(year=year, school__in=[s.school_id for s in statuses]).only(
        "school_id", "indicator_id", "value", "is_low_data"
    ):
        values[value.school_id][value.indicator_id] = value
    medians = cluster_medians(year=year, clusters={s.cluster for s in statuses})
    rows = []
    for status in statuses:
        cells = []
        for indicator in indicators:
            value = values[status.school_id].get(indicator.pk)
            cells.append(
                {
                    "indicator": indicator,
                    "value": value.value if value else None,
                    "is_low_data": bool(value and value.is_low_data),
                    "median": medians.get((status.cluster, indicator.code)),
                }
            )
        rows.append(
            {
                "status": status,
                "cells": cells,
                "low_results": on_list_annotated(status, "low_results"),
                "unfavourable": on_list_annotated(status, "unfavourable"),
            }
        )
    return indicators, rows


def on_list_annotated(status: SchoolStatus, kind: str) -> bool:
    """Whether a status annotated by `with_decisions` is on list `kind` (`listed`, the one rule)."""
    return listed(getattr(status, kind), StatusOverride.effect_of(getattr(status, f"{kind}_decision", None)))


def school_indicator_series(*, school: School) -> dict:
    """Every indicator of a school over the years beside its cluster's median that year:
    {"years": [...], "series": [{"indicator": Indicator, "values": [...], "medians": [...]}],
     "statuses": {year: SchoolStatus}} — 4 queries."""
    statuses = {s.year: s for s in SchoolStatus.objects.filter(school=school).order_by("year")}
    values: defaultdict[Any, dict] = defaultdict(dict)
    for value in IndicatorValue.objects.filter(school=school).select_related("indicator"):
        values[value.indicator.code][value.year] = value.value
    clusters = {s.cluster for s in statuses.values() if s.cluster}
    medians = {
        (s.year, s.indicator): s.median
        for s in PopulationStat.objects.filter(
            population_kind=PopulationStat.Population.CLUSTER,
            population__in=clusters,
            year__in=list(statuses),
        )
        if s.population == statuses[s.year].cluster
    }
    years = sorted(statuses)
    series = [
        {
            "code": indicator.code,
            "title": indicator.short_name,
            "unit": indicator.unit,
            "indicator": indicator,
            "values": [values[indicator.code].get(y) for y in years],
            "medians": [medians.get((y, indicator.code)) for y in years],
        }
        for indicator in Indicator.objects.all()
    ]
    indices = [
        {
            "code": code,
            "title": title,
            "unit": "",
            "indicator": None,
            "values": [getattr(statuses[y], code) for y in years],
            "medians": [medians.get((y, code)) for y in years],
        }
        for code, title in (
            ("results_index", "Индекс результатов"),
            ("social_index", "Индекс социального благополучия"),
        )
    ]
    return {"years": years, "series": indices + series, "statuses": statuses}


def school_overrides(*, school: School) -> QuerySet[StatusOverride]:
    """The full history of inspectors' decisions on a school's lists, newest first."""
    return StatusOverride.objects.filter(school=school).select_related("created_by")


def school_results(*, school: School, year: int | None = None) -> QuerySet[AssessmentResult]:
    results = AssessmentResult.objects.filter(school=school).select_related("procedure", "subject")
    if year is not None:
        results = results.filter(year=year)
    return results.order_by("-year", "procedure__code", "subject__name", "grade")


def results_visible_to(*, user: User) -> QuerySet[AssessmentResult]:
    return (
        rows_in_scope(AssessmentResult.objects.all(), user=user)
        .select_related("school", "procedure", "subject")
        .order_by("school__code", "year", "procedure__code", "subject__name", "grade")
    )


def values_visible_to(*, user: User) -> QuerySet[IndicatorValue]:
    return (
        rows_in_scope(IndicatorValue.objects.all(), user=user)
        .select_related("school", "indicator")
        .order_by("school__code", "year", "indicator__order")
    )


def _latest_decision(kind: str):
    return Subquery(
        StatusOverride.objects.filter(school=OuterRef("school"), year=OuterRef("year"), list_kind=kind)
        .order_by("-created_at", "-pk")
        .values("decision")[:1]
    )


def with_decisions(statuses: QuerySet[SchoolStatus]) -> QuerySet[SchoolStatus]:
    """Annotate `<list>_decision`: the latest override decision (include/exclude/revert) or None."""
    return statuses.annotate(**{f"{kind}_decision": _latest_decision(kind) for kind in LISTS})


def on_list(statuses: QuerySet[SchoolStatus], kind: str) -> QuerySet[SchoolStatus]:
    """Effective members of a list among annotated statuses (see `with_decisions`): `listed` said in SQL,
    for filters that stay in the database."""
    decision = f"{kind}_decision"
    include = Q(**{decision: StatusOverride.Decision.INCLUDE})
    computed = Q(**{kind: True}) & (
        Q(**{f"{decision}__isnull": True}) | ~Q(**{decision: StatusOverride.Decision.EXCLUDE})
    )
    return statuses.filter(include | computed)


def statuses_visible_to(*, user: User) -> QuerySet[SchoolStatus]:
    statuses = rows_in_scope(SchoolStatus.objects.all(), user=user)
    return with_decisions(statuses.select_related("school")).order_by("school__code", "year")


def filter_by_status(queryset: QuerySet, *, cluster: str = "", list_kind: str = "") -> QuerySet:
    """Rows (results, values) of schools in `cluster` / on list `list_kind` in the row's year."""
    statuses = with_decisions(SchoolStatus.objects.filter(school=OuterRef("school"), year=OuterRef("year")))
    if cluster:
        statuses = statuses.filter(cluster=cluster)
    if list_kind in LISTS:
        statuses = on_list(statuses, list_kind)
    return queryset.filter(Exists(statuses))


def rules_history() -> list:
    """All saved versions of the rules (simple_history rows), newest first."""
    return list(MethodologyRules.history.select_related("history_user").order_by("-history_date")[:50])


def indicator_short_names() -> dict[str, str]:
    """{indicator code: its short Russian name}: what a page shows instead of a code."""
    return dict(Indicator.objects.values_list("code", "short_name"))


def compare_with_approved(
    *, dynamics: dict, members: dict[str, set[int]], user: User | None = None, municipality: str = ""
) -> None:
    """Mark each list with what the order approved: schools computed now but not approved (would enter)
    and approved but not computed now (would leave), among the schools the list is about (`user`'s,
    one municipality's). The approved list itself never changes."""
    scoped = _scoped_school_ids(user, municipality)
    visible = set(scoped.values_list("pk", flat=True)) if scoped is not None else None
    members = {k: ids if visible is None else ids & visible for k, ids in members.items()}
    current_ids = {kind: set(block["current_ids"]) for kind, block in dynamics.items()}
    entering = {
        kind: [pk for pk in block["current_ids"] if pk not in members.get(kind, set())]
        for kind, block in dynamics.items()
    }
    gone = set().union(*(members.get(k, set()) - current_ids[k] for k in dynamics))
    schools = schools_by_id(gone.union(*entering.values()))
    for kind, block in dynamics.items():
        approved = members.get(kind, set())
        block["approved_ids"] = approved
        block["would_enter"] = [schools[pk] for pk in entering[kind]]
        block["would_leave"] = sorted(
            (schools[pk] for pk in approved - current_ids[kind] if pk in schools), key=lambda s: s.code
        )

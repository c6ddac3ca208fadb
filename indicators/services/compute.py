"""`statuses_compute`: indicators, clusters, indices, ranks and the ШНОР/ШНСУ lists of a year.

Set-based: the year (and the n−1 earlier years the ШНОР rule looks at) is loaded in a fixed number of
queries, computed in one pass by `indicators.computation`, and written in bulk. A re-run replaces the
year's values, statuses and statistics in one transaction; status overrides are separate rows and stay.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from schools.models import School, SchoolContext

from .. import computation as calc
from ..models import (
    AssessmentResult,
    ComputationRun,
    Indicator,
    IndicatorValue,
    MethodologyRules,
    PopulationStat,
    SchoolStatus,
)
from ..reference import DEFAULT_RULES_YEAR, INDICATOR_CODES, default_weights, seed_catalogue
from .bulk import insert_plain_rows, insert_rows

CONTEXT_FIELDS = ["students", "teachers", "police_registered", "migrants", "not_attested", "absentees",
                  "special_needs", "accreditation_suspended", "teachers_diagnosed", "teachers_pd_request",
                  "teachers_pd_risk"]
SUM_COLUMNS = ("high", "below_min", "mark2", "lowered", "raised")
BAD_YEAR = "Учебный год должен быть от 2000 до 2100."


def rules_for_year(year: int) -> MethodologyRules:
    """The rules version in force for `year` (greatest valid_from ≤ year); created with defaults if none."""
    rules = MethodologyRules.objects.filter(valid_from__lte=year).order_by("-valid_from").first()
    if rules is None:
        rules = MethodologyRules.objects.order_by("valid_from").first()
    if rules is None:
        rules = MethodologyRules.objects.create(valid_from=DEFAULT_RULES_YEAR, weights=default_weights(),
                                                comment="Значения по умолчанию")
    return rules


@dataclass
class YearResult:
    """Everything computed for one year, keyed by school id."""

    members: set = field(default_factory=set)
    sums: dict = field(default_factory=dict)
    cells: dict = field(default_factory=dict)
    cluster: dict = field(default_factory=dict)
    results_index: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    low: dict = field(default_factory=dict)
    social_index: dict = field(default_factory=dict)
    social_places: dict = field(default_factory=dict)
    unfavourable: dict = field(default_factory=dict)
    cluster_sizes: dict = field(default_factory=dict)


def _report(progress: Callable | None, percent: int, message: str) -> None:
    if progress:
        progress(percent, message)


def statuses_compute(*, year: int, user=None, progress: Callable | None = None) -> ComputationRun:
    """Compute year `year` and replace its stored values, statuses and statistics; returns the run."""
    if not 2000 <= year <= 2100:
        raise ValueError(BAD_YEAR)
    _report(progress, 5, "Загрузка данных…")
    catalogue = _catalogue()
    rules_model = rules_for_year(year)
    rules = calc.Rules.from_model(rules_model)
    years = list(range(year - rules.n + 1, year + 1))
    schools = {row["id"]: row for row in School.objects.values(
        "id", "code", "municipality_id", "municipality__name", "settlement", *calc.SCHOOL_FLAGS)}
    sums, contexts = _result_sums(years), _contexts(years)
    _report(progress, 25, "Расчёт показателей и индексов…")
    by_year = {y: evaluate_year(schools, sums.get(y, {}), contexts.get(y, {}), rules, catalogue,
                                results_only=y != year) for y in years}
    current = by_year[year]
    _report(progress, 60, "Запись результатов…")
    with transaction.atomic():
        run = _write(year=year, user=user, rules_model=rules_model, rules=rules, current=current,
                     by_year=by_year, years=years, contexts=contexts.get(year, {}), schools=schools,
                     catalogue=catalogue)
    _report(progress, 100, f"Расчёт {year}/{year + 1} завершён: ШНОР — {run.low_results_count}, "
                           f"ШНСУ — {run.unfavourable_count}.")
    return run


def _catalogue() -> dict[str, Indicator]:
    catalogue = {i.code: i for i in Indicator.objects.all()}
    if not set(INDICATOR_CODES) <= set(catalogue):
        seed_catalogue()
        catalogue = {i.code: i for i in Indicator.objects.all()}
    return catalogue


def _result_sums(years: list[int]) -> dict:
    """{year: {school: {procedure: {column: Σ, p_column: Σ participants where column is filled}}}}."""
    annotations = {}
    for column in SUM_COLUMNS:  # prefixed names: an annotation named like a field would shadow it in filters
        annotations[f"s_{column}"] = Sum(column)
        annotations[f"p_{column}"] = Sum("participants", filter=Q(**{f"{column}__isnull": False}))
    rows = (
        AssessmentResult.objects.filter(year__in=years, procedure__code__in=calc.RESULTS_PROCEDURES)
        .values("year", "school_id", "procedure__code")
        .annotate(**annotations)
        .order_by()
    )
    sums: dict = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        sums[row["year"]][row["school_id"]][row["procedure__code"]] = {
            key[2:] if key.startswith("s_") else key: value for key, value in row.items()}
    return sums


def _contexts(years: list[int]) -> dict:
    contexts: dict = defaultdict(dict)
    for row in SchoolContext.objects.filter(year__in=years).values("year", "school_id", *CONTEXT_FIELDS):
        contexts[row["year"]][row["school_id"]] = row
    return contexts


def evaluate_year(schools: dict, sums: dict, contexts: dict, rules: calc.Rules, catalogue: dict, *,
                  results_only: bool = False) -> YearResult:
    """Cells, clusters, both indices, ranks and list flags of one year (pure computation).

    `results_only` (for the earlier years the ШНОР rule looks at) skips the social and teachers parts.
    """
    out = YearResult(sums=sums)
    out.members = {sid for sid in set(sums) | set(contexts) if sid in schools}
    if results_only:
        catalogue = {c: i for c, i in catalogue.items() if i.group == Indicator.Group.RESULTS and c in calc.RESULT_SHARES}
    for sid in out.members:
        school, context = schools[sid], contexts.get(sid)
        cells = calc.result_cells(sums.get(sid, {}), rules)
        out.cells[sid] = cells if results_only else {**cells, **calc.context_cells(context, school)}
        if context is not None:
            out.cluster[sid] = calc.cluster_label(municipality=school["municipality__name"],
                                                  settlement=school["settlement"], students=context["students"],
                                                  edges=rules.size_edges)
    with_context = {sid for sid in out.members if sid in contexts}
    municipality = {sid: schools[sid]["municipality__name"] for sid in with_context}
    clusters, municipalities = calc.group_by(out.cluster), calc.group_by(municipality)
    for code, indicator in catalogue.items():
        groups = clusters if indicator.group == Indicator.Group.RESULTS else municipalities
        for members in groups.values():
            calc.scale_population({sid: out.cells[sid][code] for sid in members},
                                  higher_is_worse=indicator.higher_is_worse,
                                  is_flag=indicator.kind == Indicator.Kind.FLAG)
    results_codes = [c for c, i in catalogue.items() if i.index == Indicator.Index.RESULTS]
    social_codes = [c for c, i in catalogue.items() if i.index == Indicator.Index.SOCIAL]
    for sid in out.members:
        if out.cluster.get(sid):
            out.results_index[sid] = calc.weighted_index(out.cells[sid], results_codes, rules)
        if sid in with_context and not results_only:
            out.social_index[sid] = calc.weighted_index(out.cells[sid], social_codes, rules)
    out.places = calc.rank_in_groups(out.results_index, clusters)
    for sid, (_, size) in out.places.items():
        out.cluster_sizes[out.cluster[sid]] = size
    for sid, (rank, size) in out.places.items():
        out.low[sid] = size > 1 and rank <= calc.rank_threshold(rules.q, size)
    out.social_places = calc.rank_in_groups(out.social_index, municipalities)
    for sid, (rank, size) in out.social_places.items():
        out.unfavourable[sid] = rank <= calc.rank_threshold(rules.p, size)
    return out


def _write(*, year, user, rules_model, rules, current: YearResult, by_year, years, contexts, schools, catalogue):
    IndicatorValue.objects.filter(year=year).delete()
    SchoolStatus.objects.filter(year=year).delete()
    PopulationStat.objects.filter(year=year).delete()
    run = ComputationRun.objects.create(
        year=year, rules=rules_model, rules_snapshot=rules_model.snapshot(), started_at=timezone.now(),
        started_by=user if getattr(user, "pk", None) else None,
    )
    ids = {code: indicator.pk for code, indicator in catalogue.items()}
    insert_plain_rows(
        model=IndicatorValue,
        columns=["run_id", "school_id", "year", "indicator_id", "value", "numerator", "denominator", "is_low_data",
                 "risk", "rank", "population_size"],
        rows=[(run.pk, sid, year, ids[code], c.value, c.numerator, c.denominator, c.is_low_data, c.risk, c.rank,
               c.population_size)
              for sid in sorted(current.members) for code, c in current.cells[sid].items() if code in ids],
    )
    adapt_json = connection.ops.adapt_json_value
    statuses = [_status_row(sid, current, by_year, years, rules, catalogue, contexts) for sid in sorted(current.members)]
    insert_rows(
        model=SchoolStatus,
        columns=["run_id", "school_id", "year", "has_context", "cluster", "cluster_size", "results_index",
                 "social_index", "rank_in_cluster", "social_rank", "social_population", "is_low_data",
                 "low_results_year", "low_results", "unfavourable", "reasons", "objectivity_flags"],
        rows=[(run.pk, row[0], year, *row[1:-2], adapt_json(row[-2], None), adapt_json(row[-1], None))
              for row in statuses],
    )
    PopulationStat.objects.bulk_create(_population_stats(run, year, current, schools, catalogue), batch_size=1000)
    run.finished_at = timezone.now()
    run.schools = len(statuses)
    run.low_results_count = sum(1 for row in statuses if row[11])
    run.unfavourable_count = sum(1 for row in statuses if row[12])
    run.save(update_fields=["finished_at", "schools", "low_results_count", "unfavourable_count"])
    return run


def _round(value, digits=4):
    return None if value is None else round(value, digits)


def _status_row(sid, current: YearResult, by_year, years, rules, catalogue, contexts) -> tuple:
    cells = current.cells[sid]
    rank, _ = current.places.get(sid, (None, None))
    size = current.cluster_sizes.get(current.cluster.get(sid))
    if size == 1:
        rank = None
    social_rank, social_size = current.social_places.get(sid, (None, None))
    has_cluster = bool(current.cluster.get(sid))
    is_low_data = has_cluster and current.results_index.get(sid) is None and any(
        cells[c].is_low_data for c, i in catalogue.items() if i.index == Indicator.Index.RESULTS)
    history = []
    for y in years:
        result = by_year[y]
        y_rank, y_size = result.places.get(sid, (None, None))
        history.append({"year": y, "low": bool(result.low.get(sid)), "rank": y_rank if y_size != 1 else None,
                        "cluster_size": y_size, "cluster": result.cluster.get(sid, ""),
                        "results_index": _round(result.results_index.get(sid)),
                        "threshold": calc.rank_threshold(rules.q, y_size) if y_size else None})
    low_results = all(item["low"] for item in history)
    reasons = {
        "results": [_cell_reason(code, cells[code], rules) for code, i in catalogue.items()
                    if i.index == Indicator.Index.RESULTS],
        "social": [_cell_reason(code, cells[code], rules) for code, i in catalogue.items()
                   if i.index == Indicator.Index.SOCIAL],
        "rank_threshold": calc.rank_threshold(rules.q, size) if size else None,
        "low_results_years": history,
        "social_threshold": calc.rank_threshold(rules.p, social_size) if social_size else None,
        "rules": {"q": str(rules.q), "n": rules.n, "p": str(rules.p), "min_participants": rules.min_participants},
    }
    flags = calc.objectivity_flags(current.sums.get(sid, {}), cells, rules)
    return (sid, sid in contexts, current.cluster.get(sid, ""), size,
            current.results_index.get(sid), current.social_index.get(sid), rank, social_rank, social_size,
            is_low_data, bool(current.low.get(sid)), low_results, bool(current.unfavourable.get(sid)), reasons, flags)


def _cell_reason(code: str, cell: calc.Cell, rules) -> dict:
    return {"indicator": code, "value": _round(cell.value), "numerator": cell.numerator,
            "denominator": cell.denominator, "risk": _round(cell.risk), "rank": cell.rank,
            "population_size": cell.population_size, "weight": rules.weight(code), "is_low_data": cell.is_low_data}


def _population_stats(run, year, current: YearResult, schools, catalogue) -> list[PopulationStat]:
    populations = {PopulationStat.Population.ALL: {sid: "Все школы" for sid in current.members},
                   PopulationStat.Population.MUNICIPALITY: {sid: schools[sid]["municipality__name"]
                                                            for sid in current.members},
                   PopulationStat.Population.CLUSTER: dict(current.cluster)}
    series = {code: {sid: c[code].value for sid, c in current.cells.items() if c[code].usable} for code in catalogue}
    series["results_index"] = current.results_index
    series["social_index"] = current.social_index
    stats = []
    for kind, membership in populations.items():
        for name, members in calc.group_by(membership).items():
            for code, values in series.items():
                numbers = [values[m] for m in members if values.get(m) is not None]
                stats.append(PopulationStat(run=run, year=year, indicator=code, population_kind=kind,
                                            population=name, **calc.describe(numbers)))
    return stats

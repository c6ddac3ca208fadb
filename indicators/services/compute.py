"""`statuses_compute`: indicators, clusters, indices, ranks and the ШНОР/ШНСУ lists of a year.

Set-based: the year (and the n−1 earlier years the ШНОР rule looks at) is loaded in a fixed number of
queries — the results already summed per school and year by the database — computed in one pass by
`indicators.computation`, and written in bulk (COPY on PostgreSQL), the rows generated as they are
written. A re-run replaces the year's values, statuses and statistics in one transaction; status
overrides are separate rows and stay.
"""

import json
from collections.abc import Callable
from itertools import chain, repeat

from django.db import transaction
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
    Procedure,
    SchoolStatus,
)
from ..reference import DEFAULT_RULES_YEAR, INDICATOR_CODES, default_weights, seed_catalogue
from .bulk import insert_rows

BAD_YEAR = "Учебный год должен быть от 2000 до 2100."
VALUE_COLUMNS = ["run_id", "school_id", "year", "indicator_id", "value", "numerator", "denominator", "is_low_data",
                 "risk", "rank", "population_size"]
STATUS_COLUMNS = ["run_id", "school_id", "year", "has_context", "cluster", "cluster_size", "results_index",
                  "social_index", "rank_in_cluster", "social_rank", "social_population", "is_low_data",
                  "low_results_year", "low_results", "unfavourable", "reasons", "objectivity_flags"]
STAT_COLUMNS = ["run_id", "year", "indicator", "population_kind", "population", "count", "median", "mean",
                "minimum", "maximum"]


def rules_for_year(year: int) -> MethodologyRules:
    """The rules version in force for `year` (greatest valid_from ≤ year); created with defaults if none."""
    rules = MethodologyRules.objects.filter(valid_from__lte=year).order_by("-valid_from").first()
    if rules is None:
        rules = MethodologyRules.objects.order_by("valid_from").first()
    if rules is None:
        rules = MethodologyRules.objects.create(valid_from=DEFAULT_RULES_YEAR, weights=default_weights(),
                                                comment="Значения по умолчанию")
    return rules


def _report(progress: Callable | None, percent: int, message: str) -> None:
    if progress:
        progress(percent, message)


def statuses_compute(*, year: int, user=None, progress: Callable | None = None) -> ComputationRun:
    """Compute year `year` and replace its stored values, statuses and statistics; returns the run."""
    if not 2000 <= year <= 2100:
        raise ValueError(BAD_YEAR)
    _report(progress, 5, "Загрузка данных…")
    catalogue = _catalogue()
    specs = [calc.Spec(code=i.code, group=i.group, index=i.index, higher_is_worse=i.higher_is_worse,
                       is_flag=i.kind == Indicator.Kind.FLAG) for i in catalogue.values()]
    rules_model = rules_for_year(year)
    rules = calc.Rules.from_model(rules_model)
    years = list(range(year - rules.n + 1, year + 1))
    schools = {row[0]: row[1:] for row in School.objects.order_by().values_list(
        "id", "municipality__name", "settlement", *calc.SCHOOL_FLAGS)}
    sums, contexts = _result_sums(years), _contexts(years)
    _report(progress, 25, "Расчёт показателей и индексов…")
    by_year = {y: calc.evaluate_year(schools=schools, sums=sums[y], contexts=contexts[y], rules=rules,
                                     catalogue=specs, results_only=y != year) for y in years}
    del sums, contexts, schools
    _report(progress, 60, "Запись результатов…")
    with transaction.atomic():
        run = _write(year=year, user=user, rules_model=rules_model, rules=rules, by_year=by_year, years=years,
                     catalogue=catalogue, specs=specs)
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
    """{year: {school: tuple in calc.SUMS order}}: one grouped query, one row per school and year."""
    procedures = dict(Procedure.objects.filter(code__in=calc.RESULTS_PROCEDURES).values_list("code", "pk"))
    annotations = {}
    for k, (procedure, column) in enumerate(calc.SUMS):
        rows_of = Q(procedure_id=procedures.get(procedure))
        annotations[f"n{k}"] = Sum(column, filter=rows_of)
        annotations[f"d{k}"] = Sum("participants", filter=rows_of & Q(**{f"{column}__isnull": False}))
    rows = (
        AssessmentResult.objects.filter(year__in=years, procedure_id__in=list(procedures.values()))
        .values("year", "school_id").annotate(**annotations).order_by()
        .values_list("year", "school_id", *annotations)
    )
    sums: dict = {y: {} for y in years}
    for row in rows:
        sums[row[0]][row[1]] = row[2:]
    return sums


def _contexts(years: list[int]) -> dict:
    """{year: {school: tuple in calc.CONTEXT_FIELDS order}}."""
    contexts: dict = {y: {} for y in years}
    for row in SchoolContext.objects.filter(year__in=years).order_by().values_list(
            "year", "school_id", *calc.CONTEXT_FIELDS):
        contexts[row[0]][row[1]] = row[2:]
    return contexts


def _write(*, year, user, rules_model, rules, by_year: dict, years, catalogue, specs) -> ComputationRun:
    current = by_year[year]
    IndicatorValue.objects.filter(year=year).delete()
    SchoolStatus.objects.filter(year=year).delete()
    PopulationStat.objects.filter(year=year).delete()
    run = ComputationRun.objects.create(
        year=year, rules=rules_model, rules_snapshot=rules_model.snapshot(), started_at=timezone.now(),
        started_by=user if getattr(user, "pk", None) else None,
    )
    ids = {code: indicator.pk for code, indicator in catalogue.items()}
    insert_rows(model=IndicatorValue, columns=VALUE_COLUMNS, rows=_value_rows(run.pk, year, current, ids))
    low_results = _low_results(current, by_year, years)
    insert_rows(model=SchoolStatus, columns=STATUS_COLUMNS,
                rows=_status_rows(run.pk, year, current, by_year, years, rules, specs, low_results))
    insert_rows(model=PopulationStat, columns=STAT_COLUMNS, rows=_stat_rows(run.pk, year, current, specs))
    run.finished_at = timezone.now()
    run.schools = len(current.sids)
    run.low_results_count = sum(low_results)
    run.unfavourable_count = sum(current.unfavourable)
    run.save(update_fields=["finished_at", "schools", "low_results_count", "unfavourable_count"])
    return run


def _value_rows(run_id: int, year: int, current: calc.Year, ids: dict):
    """Rows of VALUE_COLUMNS, school by school, built in C (zip) from the columns of the year."""
    per_indicator = [
        zip(repeat(run_id), current.sids, repeat(year), repeat(ids[code]), c.value, c.numerator, c.denominator,
            c.is_low_data, c.risk, c.rank, c.population_size)
        for code, c in current.columns.items() if code in ids
    ]
    return chain.from_iterable(zip(*per_indicator, strict=True))


def _low_results(current: calc.Year, by_year: dict, years: list[int]) -> list[bool]:
    """ШНОР: low results in each of the rule's n years (a year the school is missing from is not low)."""
    low = []
    for sid in current.sids:
        low.append(all(by_year[y].position.get(sid) is not None and by_year[y].low[by_year[y].position[sid]]
                       for y in years))
    return low


def _round(value, digits=4):
    return None if value is None else round(value, digits)


def _status_rows(run_id, year, current: calc.Year, by_year, years, rules: calc.Rules, specs, low_results):
    """Rows of STATUS_COLUMNS with the reasons (JSON text), generated school by school as they are written."""
    columns = current.columns
    results_codes = [s.code for s in specs if s.index == Indicator.Index.RESULTS and s.code in columns]
    social_codes = [s.code for s in specs if s.index == Indicator.Index.SOCIAL and s.code in columns]
    weights = {code: rules.weight(code) for code in columns}
    rules_reason = {"q": str(rules.q), "n": rules.n, "p": str(rules.p), "min_participants": rules.min_participants}
    q_threshold = _cached(lambda size: calc.rank_threshold(rules.q, size))
    p_threshold = _cached(lambda size: calc.rank_threshold(rules.p, size))
    history_years = [(y, by_year[y]) for y in years]
    lowered, fail = columns["vpr_lowered_share"].value, columns["vpr_fail_share"].value
    oge = columns["oge_below_min_share"].value
    raised_at = calc.SUM_POSITION[("VPR", "raised")]
    dumps = json.dumps

    def reason(code, i):
        c = columns[code]
        return {"indicator": code, "value": _round(c.value[i]), "numerator": c.numerator[i],
                "denominator": c.denominator[i], "risk": _round(c.risk[i]), "rank": c.rank[i],
                "population_size": c.population_size[i], "weight": weights[code], "is_low_data": c.is_low_data[i]}

    for i, sid in enumerate(current.sids):
        cluster = current.cluster[i]
        rank = current.place[i][0] if current.place[i] else None
        size = current.cluster_sizes.get(cluster)
        if size == 1:
            rank = None
        social_rank, social_size = current.social_place[i] or (None, None)
        results_index = current.results_index[i]
        is_low_data = bool(cluster) and results_index is None and any(
            columns[code].is_low_data[i] for code in results_codes)
        history = []
        for y, result in history_years:
            j = result.position.get(sid)
            y_rank, y_size = (result.place[j] if j is not None else None) or (None, None)
            history.append({"year": y, "low": j is not None and result.low[j],
                            "rank": y_rank if y_size != 1 else None, "cluster_size": y_size,
                            "cluster": result.cluster[j] if j is not None else "",
                            "results_index": _round(result.results_index[j]) if j is not None else None,
                            "threshold": q_threshold(y_size) if y_size else None})
        reasons = {
            "results": [reason(code, i) for code in results_codes],
            "social": [reason(code, i) for code in social_codes],
            "rank_threshold": q_threshold(size) if size else None,
            "low_results_years": history,
            "social_threshold": p_threshold(social_size) if social_size else None,
            "rules": rules_reason,
        }
        sums = current.sums[i]
        flags = calc.objectivity_flags(
            lowered=lowered[i], fail=fail[i], oge=oge[i], rules=rules,
            raised=calc.share(sums[raised_at], sums[raised_at + 1]) if sums else None)
        yield (run_id, sid, year, current.has_context[i], cluster, size, results_index, current.social_index[i],
               rank, social_rank, social_size, is_low_data, current.low[i], low_results[i],
               current.unfavourable[i], dumps(reasons), dumps(flags))


def _cached(function):
    cache = {}

    def cached(argument):
        if argument not in cache:
            cache[argument] = function(argument)
        return cache[argument]

    return cached


def _stat_rows(run_id, year, current: calc.Year, specs):
    """Median, mean, min and max of every indicator and both indices over all schools, each municipality
    and each cluster (rows of STAT_COLUMNS)."""
    everyone = {"Все школы": list(range(len(current.sids)))} if current.sids else {}
    populations = [(PopulationStat.Population.ALL, everyone),
                   (PopulationStat.Population.MUNICIPALITY, calc.group_positions(current.municipality)),
                   (PopulationStat.Population.CLUSTER, calc.group_positions(current.cluster))]
    series = [(s.code, current.columns[s.code].usable()) for s in specs if s.code in current.columns]
    series += [("results_index", current.results_index), ("social_index", current.social_index)]
    for kind, groups in populations:
        for name, members in groups.items():
            for code, values in series:
                d = calc.describe(calc.pick(values, members))
                yield (run_id, year, code, kind.value, name, d["count"], d["median"], d["mean"], d["minimum"],
                       d["maximum"])

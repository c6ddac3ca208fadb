"""`statuses_compute`: indicators, clusters, indices, ranks and the ШНОР/ШНСУ lists of a year.

Set-based: the year (and the n−1 earlier years the ШНОР rule looks at) is loaded in a fixed number of
queries — the results already summed per school and year by the database — computed in one pass by
`indicators.computation`, and written in bulk (COPY on PostgreSQL), the rows generated as they are
written. A re-run replaces the year's values, statuses and statistics in one transaction; status
overrides are separate rows and stay.
"""

import json
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, repeat

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from schools import formatting
from schools.models import School, SchoolContext

from .. import computation as calc
from ..models import (
    POPULATION_STAT_FIELDS,
    STATUS_PLACE_FIGURES,
    VALUE_FIGURES,
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
from . import pgcopy
from .bulk import insert_rows
from .objectivity import objectivity_compute

BAD_YEAR = "Учебный год должен быть от 2000 до 2100."
VALUE_COLUMNS = ["run_id", "school_id", "year", "indicator_id", *VALUE_FIGURES]
STATUS_COLUMNS = [
    "run_id",
    "school_id",
    "year",
    *STATUS_PLACE_FIGURES,
    "is_low_data",
    "low_results_year",
    "low_results",
    "unfavourable",
    "reasons",
    "objectivity_flags",
]
STAT_COLUMNS = ["run_id", *POPULATION_STAT_FIELDS]


def rules_for_year(year: int) -> MethodologyRules:
    """The rules version in force for `year` (greatest valid_from ≤ year); created with defaults if none."""
    rules = MethodologyRules.objects.filter(valid_from__lte=year).order_by("-valid_from").first()
    if rules is None:
        rules = MethodologyRules.objects.order_by("valid_from").first()
    if rules is None:
        rules = MethodologyRules.objects.create(
            valid_from=DEFAULT_RULES_YEAR, weights=default_weights(), comment="Значения по умолчанию"
        )
    return rules


def _report(progress: Callable | None, percent: int, message: str) -> None:
    if progress:
        progress(percent, message)


def statuses_compute(
    *, year: int, user: User | None = None, progress: Callable | None = None
) -> ComputationRun:
    """Compute year `year` and replace its stored values, statuses and statistics; returns the run."""
    if not 2000 <= year <= 2100:
        raise ValueError(BAD_YEAR)
    _report(progress, 5, "Загрузка данных…")
    basis = _basis(year)
    schools = {
        row[0]: row[1:]
        for row in School.objects.order_by().values_list(
            "id", "municipality__name", "settlement", *calc.SCHOOL_FLAGS
        )
    }
    with _grouping_memory():
        sums, contexts = _result_sums(basis.years), _contexts(basis.years)
    _report(progress, 25, "Расчёт показателей и индексов…")
    by_year = {
        y: calc.evaluate_year(
            schools=schools,
            sums=sums[y],
            contexts=contexts[y],
            rules=basis.rules,
            catalogue=basis.specs,
            results_only=y != year,
        )
        for y in basis.years
    }
    del sums, contexts, schools
    _report(progress, 60, "Запись результатов…")
    with transaction.atomic():
        run = _write(basis, by_year, user)
    _report(
        progress,
        100,
        f"Расчёт {formatting.school_year(year)} завершён: ШНОР — {run.low_results_count}, "
        f"ШНСУ — {run.unfavourable_count}.",
    )
    return run


@dataclass(frozen=True)
class _Basis:
    """What the computation of `year` rests on: the rules version in force (`rules_model`, read into
    `rules`), the years its ШНОР rule looks at (the n years up to `year`), the indicator catalogue and
    its specs for indicators.computation."""

    year: int
    rules_model: MethodologyRules
    rules: calc.Rules
    years: list[int]
    catalogue: dict[str, Indicator]
    specs: list[calc.Spec]


def _basis(year: int) -> _Basis:
    catalogue = _catalogue()
    specs = [
        calc.Spec(
            code=i.code,
            group=i.group,
            index=i.index,
            higher_is_worse=i.higher_is_worse,
            is_flag=i.kind == Indicator.Kind.FLAG,
        )
        for i in catalogue.values()
    ]
    rules_model = rules_for_year(year)
    rules = calc.Rules.from_model(rules_model)
    years = list(range(year - rules.n + 1, year + 1))
    return _Basis(year, rules_model, rules, years, catalogue, specs)


def _catalogue() -> dict[str, Indicator]:
    catalogue = {i.code: i for i in Indicator.objects.all()}
    if not set(INDICATOR_CODES) <= set(catalogue):
        seed_catalogue()
        catalogue = {i.code: i for i in Indicator.objects.all()}
    return catalogue


@contextmanager
def _grouping_memory():
    """On PostgreSQL, a transaction with more memory for grouping: with the default 4 MB the sums of
    40,000 schools × 2 years spill to disk (benchmarks/RESULTS.md §2)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


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
        .values("year", "school_id")
        .annotate(**annotations)
        .order_by()
        .values_list("year", "school_id", *annotations)
    )
    sums: dict = {y: {} for y in years}
    for row in _raw_rows(rows):
        sums[row[0]][row[1]] = row[2:]
    return sums


def _contexts(years: list[int]) -> dict:
    """{year: {school: tuple in calc.CONTEXT_FIELDS order}}."""
    contexts: dict = {y: {} for y in years}
    for row in _raw_rows(
        SchoolContext.objects.filter(year__in=years)
        .order_by()
        .values_list("year", "school_id", *calc.CONTEXT_FIELDS)
    ):
        contexts[row[0]][row[1]] = row[2:]
    return contexts


def _raw_rows(queryset):
    """The rows of a values_list queryset as the database driver returns them, without Django's
    per-value converters (960,000 calls of `int(value)` for the sums of 40,000 schools × 2 years; the
    driver already gives int for the sums and counts, and 0/1 for a boolean on SQLite, which the
    computation only turns into a float)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(10_000):
            yield from rows


def _write(basis: _Basis, by_year: dict, user: User | None) -> ComputationRun:
    year, rules_model = basis.year, basis.rules_model
    current = by_year[year]
    IndicatorValue.objects.filter(year=year).delete()
    SchoolStatus.objects.filter(year=year).delete()
    PopulationStat.objects.filter(year=year).delete()
    run = ComputationRun.objects.create(
        year=year,
        rules=rules_model,
        rules_snapshot=rules_model.snapshot(),
        started_at=timezone.now(),
        started_by=user if getattr(user, "pk", None) else None,
    )
    ids = {code: indicator.pk for code, indicator in basis.catalogue.items()}
    low_results = _low_results(current, by_year, basis.years)
    flags = objectivity_compute(run=run, rules_model=rules_model)
    statuses = _status_rows(
        run.pk, year, current, by_year, basis.years, basis.rules, basis.specs, low_results, flags
    )
    if connection.vendor == "postgresql":
        pgcopy.copy_binary(
            model=IndicatorValue, columns=VALUE_COLUMNS, rows=_value_records(run.pk, year, current, ids)
        )
        pgcopy.copy_lines(model=SchoolStatus, columns=STATUS_COLUMNS, lines=map(pgcopy.line, statuses))
    else:
        insert_rows(model=IndicatorValue, columns=VALUE_COLUMNS, rows=_value_rows(run.pk, year, current, ids))
        insert_rows(model=SchoolStatus, columns=STATUS_COLUMNS, rows=statuses)
    insert_rows(
        model=PopulationStat, columns=STAT_COLUMNS, rows=_stat_rows(run.pk, year, current, basis.specs)
    )
    run.finished_at = timezone.now()
    run.schools = len(current.sids)
    run.low_results_count = sum(low_results)
    run.unfavourable_count = sum(current.unfavourable)
    run.save(update_fields=["finished_at", "schools", "low_results_count", "unfavourable_count"])
    return run


def _value_rows(run_id: int, year: int, current: calc.Year, ids: dict):
    """Rows of VALUE_COLUMNS, school by school, built in C (zip) from the columns of the year."""
    per_indicator = [
        zip(
            repeat(run_id),
            current.sids,
            repeat(year),
            repeat(ids[code]),
            c.value,
            c.numerator,
            c.denominator,
            c.is_low_data,
            c.risk,
            c.rank,
            c.population_size,
        )
        for code, c in current.columns.items()
        if code in ids
    ]
    return chain.from_iterable(zip(*per_indicator, strict=True))


def _value_records(run_id: int, year: int, current: calc.Year, ids: dict, chunk: int = 5000):
    """Binary COPY records of VALUE_COLUMNS (pgcopy), school by school, each column encoded for
    `chunk` schools at a time."""
    types = dict(zip(VALUE_COLUMNS, pgcopy.column_types(IndicatorValue, VALUE_COLUMNS), strict=True))
    encode = pgcopy.encode
    header, run, year_field = (
        pgcopy.row_header(len(VALUE_COLUMNS)),
        pgcopy.constant(types["run_id"], run_id),
        pgcopy.constant(types["year"], year),
    )
    per_column = list(
        zip(
            VALUE_COLUMNS[4:],
            ("value", "numerator", "denominator", "is_low_data", "risk", "rank", "population_size"),
            strict=True,
        )
    )
    columns = [
        (pgcopy.constant(types["indicator_id"], ids[code]), c)
        for code, c in current.columns.items()
        if code in ids
    ]
    for start in range(0, len(current.sids), chunk):
        end = start + chunk
        sids = encode(types["school_id"], current.sids[start:end])
        per_indicator = [
            map(
                b"".join,
                zip(
                    repeat(header),
                    run,
                    sids,
                    year_field,
                    indicator,
                    *(
                        encode(types[name], getattr(c, attribute)[start:end])
                        for name, attribute in per_column
                    ),
                ),
            )
            for indicator, c in columns
        ]
        yield from chain.from_iterable(zip(*per_indicator, strict=True))


def _low_results(current: calc.Year, by_year: dict, years: list[int]) -> list[bool]:
    """ШНОР: low results in each of the rule's n years (a year the school is missing from is not low)."""
    low = []
    for sid in current.sids:
        low.append(
            all(
                by_year[y].position.get(sid) is not None and by_year[y].low[by_year[y].position[sid]]
                for y in years
            )
        )
    return low


def _rounded(values: list, digits: int = 4) -> list:
    return [None if value is None else round(value, digits) for value in values]


def _texts(values: list) -> list[str]:
    """The JSON of each value of a list of numbers, booleans and None, made by one json.dumps (C speed)."""
    return json.dumps(values, separators=(",", ":"))[1:-1].split(",") if values else []


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _status_rows(
    run_id: int, year: int, current: calc.Year, by_year, years, rules: calc.Rules, specs, low_results, flags
):
    """Rows of STATUS_COLUMNS with the reasons and objectivity flags as JSON text, school by school.

    The reasons' JSON is assembled from fragments made a column at a time (`_cell_reasons`,
    `_history_items`): the same JSON as `json.dumps` of the dicts, without building 15 dicts a school.
    """
    columns = current.columns
    results_codes = [s.code for s in specs if s.index == Indicator.Index.RESULTS and s.code in columns]
    social_codes = [s.code for s in specs if s.index == Indicator.Index.SOCIAL and s.code in columns]
    results = [_cell_reasons(code, columns[code], rules.weight(code)) for code in results_codes]
    social = [_cell_reasons(code, columns[code], rules.weight(code)) for code in social_codes]
    rules_reason = _json(
        {
            "q": str(rules.q),
            "n": rules.n,
            "p": str(rules.p),
            "min_participants": rules.min_participants,
            "cluster_scope": rules.cluster_scope,
        }
    )
    q_threshold = _cached(lambda size: calc.rank_threshold(rules.q, size))
    q_json = _cached(lambda size: _json(q_threshold(size) if size else None))
    p_json = _cached(lambda size: _json(calc.rank_threshold(rules.p, size) if size else None))
    history = [(by_year[y].position, *_history_items(y, by_year[y], q_threshold)) for y in years]

    for i, sid in enumerate(current.sids):
        cluster = current.cluster[i]
        rank = calc.cluster_rank(current.place[i])
        size = current.cluster_sizes.get(cluster)
        social_rank, social_size = current.social_place[i] or (None, None)
        results_index = current.results_index[i]
        is_low_data = (
            bool(cluster)
            and results_index is None
            and any(columns[code].is_low_data[i] for code in results_codes)
        )
        years_json = ",".join(
            items[position[sid]] if sid in position else missing for position, items, missing in history
        )
        reasons = (
            f'{{"results":[{",".join(cells[i] for cells in results)}],'
            f'"social":[{",".join(cells[i] for cells in social)}],'
            f'"rank_threshold":{q_json(size)},'
            f'"low_results_years":[{years_json}],'
            f'"social_threshold":{p_json(social_size)},'
            f'"rules":{rules_reason}}}'
        )
        school_flags = flags.get(sid)
        yield (
            run_id,
            sid,
            year,
            current.has_context[i],
            cluster,
            size,
            results_index,
            current.social_index[i],
            rank,
            social_rank,
            social_size,
            is_low_data,
            current.low[i],
            low_results[i],
            current.unfavourable[i],
            reasons,
            _json(school_flags) if school_flags else "[]",
        )


def _cell_reasons(code: str, column: calc.Column, weight: float) -> list[str]:
    """The JSON of each school's reason entry for one indicator: value, numerator, denominator, risk,
    rank, population size, weight, «мало данных» (value and risk rounded to 4 digits)."""
    texts = _texts  # JSON of each number / boolean / None
    head, weight_json = '{"indicator":' + _json(code) + ',"value":', _json(weight)
    return [
        f'{head}{v},"numerator":{n},"denominator":{d},"risk":{r},"rank":{k},"population_size":{p},'
        f'"weight":{weight_json},"is_low_data":{low}}}'
        for v, n, d, r, k, p, low in zip(
            texts(_rounded(column.value)),
            texts(column.numerator),
            texts(column.denominator),
            texts(_rounded(column.risk)),
            texts(column.rank),
            texts(column.population_size),
            texts(column.is_low_data),
            strict=True,
        )
    ]


def _history_items(y: int, result: calc.Year, q_threshold) -> tuple[list[str], str]:
    """The JSON of year `y`'s entry of «low results years» for each school of that year, and the entry
    of a school missing from it."""
    texts = _texts
    ranks = texts([calc.cluster_rank(place) for place in result.place])
    sizes = [place[1] if place else None for place in result.place]
    thresholds = texts([q_threshold(size) if size else None for size in sizes])
    clusters = _cached(_json)
    items = [
        f'{{"year":{y},"low":{low},"rank":{rank},"cluster_size":{size},"cluster":{clusters(cluster)},'
        f'"results_index":{index},"threshold":{threshold}}}'
        for low, rank, size, cluster, index, threshold in zip(
            texts(result.low),
            ranks,
            texts(sizes),
            result.cluster,
            texts(_rounded(result.results_index)),
            thresholds,
            strict=True,
        )
    ]
    missing = _json(
        {
            "year": y,
            "low": False,
            "rank": None,
            "cluster_size": None,
            "cluster": "",
            "results_index": None,
            "threshold": None,
        }
    )
    return items, missing


def _cached(function):
    cache = {}

    def cached(argument):
        if argument not in cache:
            cache[argument] = function(argument)
        return cache[argument]

    return cached


def _stat_rows(run_id: int, year: int, current: calc.Year, specs):
    """Median, mean, min and max of every indicator and both indices over all schools, each municipality
    and each cluster (rows of STAT_COLUMNS)."""
    everyone = {"Все школы": list(range(len(current.sids)))} if current.sids else {}
    populations = [
        (PopulationStat.Population.ALL, everyone),
        (PopulationStat.Population.MUNICIPALITY, calc.group_positions(current.municipality)),
        (PopulationStat.Population.CLUSTER, calc.group_positions(current.cluster)),
    ]
    series = [(s.code, current.columns[s.code].usable()) for s in specs if s.code in current.columns]
    series += [("results_index", current.results_index), ("social_index", current.social_index)]
    for kind, groups in populations:
        for name, members in groups.items():
            for code, values in series:
                d = calc.describe(calc.pick(values, members))
                yield (
                    run_id,
                    year,
                    code,
                    kind.value,
                    name,
                    d["count"],
                    d["median"],
                    d["mean"],
                    d["minimum"],
                    d["maximum"],
                )

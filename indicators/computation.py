"""The arithmetic of DESIGN §4.3–§4.4 on plain data, with no database access.

The service (`services/compute.py`) loads a year's rows in a constant number of queries, hands them
to `evaluate_year` in one pass, and writes the results in bulk. Keeping the arithmetic here makes
every rule testable by hand.

A year is held column by column: every indicator is a `Column` of parallel lists indexed by the
school's position in `Year.sids` (ascending school ids), not one object per school and indicator —
at 40,000 schools that is 18 × 7 lists instead of 720,000 cell objects.
"""

import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from itertools import repeat
from operator import is_not, itemgetter

from schools.models import CONTEXT_FIGURES

from .defaults import (
    CLUSTER_SCOPE_REGION,
    DEFAULT_CLUSTER_SCOPE,
    DEFAULT_LOW_RESULTS_SHARE,
    DEFAULT_LOW_RESULTS_YEARS,
    DEFAULT_SIZE_EDGES,
    DEFAULT_UNFAVOURABLE_SHARE,
)

RESULTS_PROCEDURES = ("VPR", "OGE", "EGE")
SOCIAL_SHARES = {
    "police_register_share": "police_registered",
    "migrant_share": "migrants",
    "not_attested_share": "not_attested",
    "absentee_share": "absentees",
    "special_needs_share": "special_needs",
}
TEACHER_SHARES = {
    "teachers_diagnosed_share": "teachers_diagnosed",
    "teachers_pd_request_share": "teachers_pd_request",
    "teachers_pd_risk_share": "teachers_pd_risk",
}
SCHOOL_FLAGS = ("is_remote", "is_small", "infrastructure_deficit", "staff_shortage")
# (indicator, procedure, numerator column); the denominator is Σ participants of the rows where the
# numerator column is filled in, so a row without that column neither adds nor dilutes.
RESULT_SHARES = {
    "ege_high_share": ("EGE", "high"),
    "ege_below_min_share": ("EGE", "below_min"),
    "oge_below_min_share": ("OGE", "below_min"),
    "vpr_fail_share": ("VPR", "mark2"),
    "vpr_lowered_share": ("VPR", "lowered"),
}
# The sums read per school and year, in this order: for each (procedure, column) Σ column and
# Σ participants of the rows where the column is filled in (a school's sums are one flat tuple).
SUMS = (*RESULT_SHARES.values(), ("VPR", "raised"))
SUM_POSITION = {key: 2 * k for k, key in enumerate(SUMS)}
# The context columns read per school and year, in this order (a school's context is one tuple).
CONTEXT_FIELDS = CONTEXT_FIGURES
CONTEXT_POSITION = {name: k for k, name in enumerate(CONTEXT_FIELDS)}
SETTLEMENT_LABELS = {"town": "город", "village": "село"}
RESULTS, SOCIAL = "results", "social"  # Indicator.Group.RESULTS / Indicator.Index values used here
REGION_LABEL = "Регион"  # the first part of a region-wide cluster's name when the region has no name


@dataclass
class Rules:
    size_edges: tuple[int, int] = DEFAULT_SIZE_EDGES
    q: Decimal = DEFAULT_LOW_RESULTS_SHARE
    n: int = DEFAULT_LOW_RESULTS_YEARS
    p: Decimal = DEFAULT_UNFAVOURABLE_SHARE
    min_participants: int = 0
    weights: dict = field(default_factory=dict)
    lowered_threshold: float = 30.0
    raised_threshold: float = 15.0
    mismatch_threshold: float = 10.0
    cluster_scope: str = DEFAULT_CLUSTER_SCOPE

    @property
    def is_region_wide(self) -> bool:
        """Clusters and the ШНСУ population span the whole region (`cluster_scope` = region)."""
        return self.cluster_scope == CLUSTER_SCOPE_REGION

    @classmethod
    def from_model(cls, rules) -> "Rules":
        return cls(
            size_edges=(rules.size_edge_small, rules.size_edge_large),
            q=Decimal(str(rules.low_results_share)),
            n=rules.low_results_years,
            p=Decimal(str(rules.unfavourable_share)),
            min_participants=rules.min_participants,
            weights=dict(rules.weights or {}),
            lowered_threshold=float(rules.lowered_threshold),
            raised_threshold=float(rules.raised_threshold),
            mismatch_threshold=float(rules.mismatch_threshold),
            cluster_scope=rules.cluster_scope,
        )

    def weight(self, code: str) -> float:
        try:
            return float(self.weights.get(code, 1))
        except (TypeError, ValueError):
            return 1.0


@dataclass(frozen=True)
class Spec:
    """What the computation needs of a catalogue entry (`Indicator`)."""

    code: str
    group: str
    index: str
    higher_is_worse: bool
    is_flag: bool


@dataclass
class Column:
    """One indicator over the schools of a year: value with its numerator and denominator, then its
    place (risk 0…1 with 1 the worst, rank with 1 the worst, size of the population it was ranked in)."""

    value: list
    numerator: list
    denominator: list
    is_low_data: list
    risk: list
    rank: list
    population_size: list

    @classmethod
    def of(cls, value: list, numerator: list, denominator: list, is_low_data: list | None = None) -> "Column":
        n = len(value)
        return cls(
            value, numerator, denominator, is_low_data or [False] * n, [None] * n, [None] * n, [None] * n
        )

    def usable(self) -> list:
        """The value where it takes part in scaling and statistics, else None.

        None: no data or too few participants.
        """
        return [None if low else v for v, low in zip(self.value, self.is_low_data, strict=True)]


@dataclass
class Year:
    """Everything computed for one year, by school position (`sids[i]` is the school of position i)."""

    sids: list
    position: dict
    sums: list
    has_context: list
    cluster: list  # "" without context or without the number of students
    municipality: list
    columns: dict = field(default_factory=dict)
    results_index: list = field(default_factory=list)
    social_index: list = field(default_factory=list)
    place: list = field(default_factory=list)  # (rank, size) in the cluster among schools with an index
    social_place: list = field(default_factory=list)  # (rank, size) in the municipality
    low: list = field(default_factory=list)
    unfavourable: list = field(default_factory=list)
    cluster_sizes: dict = field(default_factory=dict)


def share(numerator, denominator) -> float | None:
    """A share in %; no data (None) when the denominator is 0 or missing or the numerator missing."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator * 100


def rank_threshold(fraction: Decimal, size: int) -> int:
    """max(1, ⌊fraction × size⌋), exact in decimal arithmetic (0.1 × 30 is 3, not 2.9999…)."""
    return max(1, math.floor(fraction * size))


def cluster_rank(place: tuple[int, int] | None) -> int | None:
    """The rank a school keeps from its (rank, cluster size) place: none without a place, and none in a
    cluster of one school, which is never ranked (DESIGN §4.4)."""
    if place is None:
        return None
    rank, size = place
    return rank if size != 1 else None


def is_low_results(place: tuple[int, int] | None, threshold: int | None) -> bool:
    """Low results in a year: ranked in the cluster (see `cluster_rank`) at most at `threshold`."""
    rank = cluster_rank(place)
    return rank is not None and rank <= threshold


def size_band(students: int, edges: tuple[int, int]) -> str:
    small, large = edges
    if students < small:
        return f"<{small}"
    if students < large:
        return f"{small}–{large - 1}"
    return f"≥{large}"


def cluster_label(*, municipality: str, settlement: str, students, edges) -> str:
    """The cluster of DESIGN §4.4, or "" when the number of students is unknown."""
    if students is None:
        return ""
    return f"{municipality} · {SETTLEMENT_LABELS.get(settlement, settlement)} · {size_band(students, edges)}"


def rank_ascending(values: list, *, descending: bool = False) -> list[int]:
    """SQL RANK() over ascending values: 1 = lowest, equal values share the lower rank.

    The ranks are aligned with `values`.
    `descending`: 1 = highest (the same as ranking the negated values ascending)."""
    ranks = [0] * len(values)
    previous, previous_rank = None, 0
    order = sorted(range(len(values)), key=values.__getitem__, reverse=descending)
    for position, index in enumerate(order, start=1):
        value = values[index]
        if value != previous:
            previous, previous_rank = value, position
        ranks[index] = previous_rank
    return ranks


def group_positions(labels: list) -> dict[str, list[int]]:
    """[label of each position] → {label: its positions}, skipping positions without a label."""
    groups: dict = {}
    for position, label in enumerate(labels):
        if label:
            groups.setdefault(label, []).append(position)
    return groups


def result_columns(sums: list, rules: Rules) -> dict[str, Column]:
    """Results shares from each school's sums tuple (see SUMS; None for a school without results)."""
    columns = {}
    for code, key in RESULT_SHARES.items():
        k = SUM_POSITION[key]
        numerator = [s[k] if s else None for s in sums]
        denominator = [s[k + 1] if s else None for s in sums]
        value = [
            None if a is None or not b else a / b * 100 for a, b in zip(numerator, denominator, strict=True)
        ]
        is_low_data = [
            v is not None and b < rules.min_participants for v, b in zip(value, denominator, strict=True)
        ]
        columns[code] = Column.of(value, numerator, denominator, is_low_data)
    return columns


def context_columns(contexts: list, flags: list) -> dict[str, Column]:
    """Social and teachers shares from each school's context tuple, flags from the school.

    A school without a context tuple gets None.
    """
    columns = {}
    for shares, whole in ((SOCIAL_SHARES, "students"), (TEACHER_SHARES, "teachers")):
        w = CONTEXT_POSITION[whole]
        denominator = [c[w] if c else None for c in contexts]
        for code, part in shares.items():
            k = CONTEXT_POSITION[part]
            numerator = [c[k] if c else None for c in contexts]
            value = [
                None if a is None or not b else a / b * 100
                for a, b in zip(numerator, denominator, strict=True)
            ]
            columns[code] = Column.of(value, numerator, denominator)
    k = CONTEXT_POSITION["accreditation_suspended"]
    suspended = [None if c is None or c[k] is None else float(c[k]) for c in contexts]
    nothing = [None] * len(contexts)
    columns["accreditation_suspended"] = Column.of(suspended, nothing, nothing)
    for n, flag in enumerate(SCHOOL_FLAGS):
        columns[flag] = Column.of([1.0 if f[n] else 0.0 for f in flags], nothing, nothing)
    return columns


def scale_population(column: Column, members: list[int], *, higher_is_worse: bool, is_flag: bool) -> None:
    """Set risk (0…1, 1 = worst), rank (1 = worst) and population size of one population's members.

    A flag's risk is its value (1 or 0) for a higher-is-worse flag. Cells without data or with too few
    participants stay out of the population (risk None).
    """
    value, is_low_data = column.value, column.is_low_data
    usable = [i for i in members if value[i] is not None and not is_low_data[i]]
    if not usable:
        return
    values = [value[i] for i in usable]
    if is_flag:
        risks = values if higher_is_worse else [1 - v for v in values]
    else:
        low, high = min(values), max(values)
        spread = high - low
        if spread == 0:
            risks = [0.0] * len(values)
        elif higher_is_worse:
            risks = [(v - low) / spread for v in values]
        else:
            risks = [(high - v) / spread for v in values]
    # RANK over −risk rounded to 9 digits (equal risks share a rank); a flag's risk is exactly 0 or 1
    ranks = rank_ascending(risks if is_flag else list(map(round, risks, repeat(9))), descending=True)
    size = len(usable)
    risk, rank, population = column.risk, column.rank, column.population_size
    for i, r, k in zip(usable, risks, ranks, strict=True):
        risk[i], rank[i], population[i] = r, k, size


def shown_rank(*, value, risk, rank, is_flag: bool) -> int | None:
    """The place a page shows for one school on one indicator (1 = worst), or None where a place would
    mislead: no value; a flag the school does not carry («нет» is not a place among schools); a school
    with no risk ranked first, which happens only when the whole population ties at no risk."""
    if value is None or rank is None or risk is None:
        return None
    if is_flag and not value:
        return None
    if risk == 0 and rank == 1:
        return None
    return rank


def weighted_index(columns: dict[str, Column], codes, positions: list[int], rules: Rules, n: int) -> list:
    """100 × (1 − weighted mean risk) over the listed indicators that have a risk, for each of `positions`;
    None where none has (and at every other position). Summed in the order of `codes`."""
    total, weights = [0.0] * n, [0.0] * n
    for code in codes:
        column = columns.get(code)
        if column is None:
            continue
        weight, risk = rules.weight(code), column.risk
        for i in positions:
            r = risk[i]
            if r is not None:
                total[i] += weight * r
                weights[i] += weight
    index = [None] * n
    for i in positions:
        if weights[i] > 0:
            index[i] = 100 * (1 - total[i] / weights[i])
    return index


def rank_in_groups(index: list, groups) -> list:
    """(rank, size) of the positions with an index value inside their group (RANK semantics), else None."""
    places = [None] * len(index)
    for members in groups:
        ranked = [i for i in members if index[i] is not None]
        size = len(ranked)
        for i, rank in zip(ranked, rank_ascending([round(index[i], 9) for i in ranked]), strict=True):
            places[i] = (rank, size)
    return places


def evaluate_year(
    *,
    schools: dict,
    sums: dict,
    contexts: dict,
    rules: Rules,
    catalogue: list[Spec],
    results_only: bool = False,
    region: str = REGION_LABEL,
) -> Year:
    """Values, clusters, both indices, ranks and list flags of one year.

    `schools`: {id: (municipality name, settlement, *SCHOOL_FLAGS)}; `sums`: {id: tuple in SUMS order};
    `contexts`: {id: tuple in CONTEXT_FIELDS order}. The year's schools are those with results or a
    context. `results_only` (for the earlier years the ШНОР rule looks at) skips the social and
    teachers parts. With `rules.cluster_scope` = region the clusters are settlement × size band across
    all municipalities (named after `region`) and the social indicators and the ШНСУ rank are taken
    over all schools with a context; the municipality stays each school's own for the statistics.
    """
    sids = sorted(sid for sid in sums.keys() | contexts.keys() if sid in schools)
    n = len(sids)
    school_rows = [schools[sid] for sid in sids]
    context = [contexts.get(sid) for sid in sids]
    students = CONTEXT_POSITION["students"]
    year = Year(
        sids=sids,
        position={sid: i for i, sid in enumerate(sids)},
        sums=[sums.get(sid) for sid in sids],
        has_context=[c is not None for c in context],
        cluster=[
            ""
            if c is None
            else cluster_label(
                municipality=region if rules.is_region_wide else s[0],
                settlement=s[1],
                students=c[students],
                edges=rules.size_edges,
            )
            for s, c in zip(school_rows, context, strict=True)
        ],
        municipality=[s[0] for s in school_rows],
    )
    year.columns = result_columns(year.sums, rules)
    if results_only:
        catalogue = [s for s in catalogue if s.group == RESULTS and s.code in RESULT_SHARES]
    else:
        year.columns.update(context_columns(context, [s[2:] for s in school_rows]))
    catalogue = [s for s in catalogue if s.code in year.columns]
    clusters = list(group_positions(year.cluster).values())
    # the social population: the school's municipality, or the whole region (schools with a context)
    social_population = [
        (region if rules.is_region_wide else m) if has else ""
        for m, has in zip(year.municipality, year.has_context, strict=True)
    ]
    social_groups = list(group_positions(social_population).values())
    for spec in catalogue:
        for members in clusters if spec.group == RESULTS else social_groups:
            scale_population(
                year.columns[spec.code], members, higher_is_worse=spec.higher_is_worse, is_flag=spec.is_flag
            )
    results_codes = [s.code for s in catalogue if s.index == RESULTS]
    social_codes = [s.code for s in catalogue if s.index == SOCIAL]
    year.results_index = weighted_index(
        year.columns, results_codes, [i for i in range(n) if year.cluster[i]], rules, n
    )
    with_context = [] if results_only else [i for i in range(n) if year.has_context[i]]
    year.social_index = weighted_index(year.columns, social_codes, with_context, rules, n)
    year.place = rank_in_groups(year.results_index, clusters)
    year.low = [False] * n
    thresholds: dict = {}
    for i, place in enumerate(year.place):
        if place:
            size = place[1]
            year.cluster_sizes[year.cluster[i]] = size
            if size not in thresholds:
                thresholds[size] = rank_threshold(rules.q, size)
            year.low[i] = is_low_results(place, thresholds[size])
    year.social_place = rank_in_groups(year.social_index, social_groups)
    year.unfavourable = [False] * n
    thresholds = {}
    for i, place in enumerate(year.social_place):
        if place:
            rank, size = place
            if size not in thresholds:
                thresholds[size] = rank_threshold(rules.p, size)
            year.unfavourable[i] = rank <= thresholds[size]
    return year


def describe(values: list[float]) -> dict:
    if not values:
        return {"count": 0, "median": None, "mean": None, "minimum": None, "maximum": None}
    return {
        "count": len(values),
        "median": statistics.median(values),
        "mean": statistics.fmean(values),
        "minimum": min(values),
        "maximum": max(values),
    }


_is_not_none = partial(is_not, None)


def pick(series: list, positions: list[int]) -> list:
    """The values of `series` at `positions` that are not None."""
    if len(positions) == 1:
        value = series[positions[0]]
        return [] if value is None else [value]
    return list(filter(_is_not_none, itemgetter(*positions)(series)))

"""The arithmetic of DESIGN §4.3–§4.4 on plain data, with no database access.

The service (`services/compute.py`) loads a year's rows in a constant number of queries, hands them
to these functions in one vectorised pass, and writes the results in bulk. Keeping the arithmetic
here makes every rule testable by hand.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

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
SETTLEMENT_LABELS = {"town": "город", "village": "село"}


@dataclass
class Rules:
    size_edges: tuple[int, int] = (100, 500)
    q: Decimal = Decimal("0.1")
    n: int = 2
    p: Decimal = Decimal("0.1")
    min_participants: int = 0
    weights: dict = field(default_factory=dict)
    lowered_threshold: float = 30.0
    raised_threshold: float = 15.0
    mismatch_threshold: float = 10.0

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
        )

    def weight(self, code: str) -> float:
        try:
            return float(self.weights.get(code, 1))
        except (TypeError, ValueError):
            return 1.0


@dataclass
class Cell:
    """One indicator of one school: value with its numerator and denominator, then its place."""

    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    is_low_data: bool = False
    risk: float | None = None
    rank: int | None = None
    population_size: int | None = None

    @property
    def usable(self) -> bool:
        return self.value is not None and not self.is_low_data


def share(numerator, denominator) -> Cell:
    """A share in %; no data (None) when the denominator is 0 or missing or the numerator missing."""
    if numerator is None or not denominator:
        return Cell(None, numerator, denominator)
    return Cell(numerator / denominator * 100, numerator, denominator)


def rank_threshold(fraction: Decimal, size: int) -> int:
    """max(1, ⌊fraction × size⌋), exact in decimal arithmetic (0.1 × 30 is 3, not 2.9999…)."""
    return max(1, math.floor(fraction * size))


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


def result_cells(sums_by_procedure: dict[str, dict], rules: Rules) -> dict[str, Cell]:
    """Results shares of one school from its per-procedure sums (see RESULT_SHARES)."""
    cells = {}
    for code, (procedure, column) in RESULT_SHARES.items():
        sums = sums_by_procedure.get(procedure) or {}
        cell = share(sums.get(column), sums.get(f"p_{column}"))
        if cell.value is not None and cell.denominator < rules.min_participants:
            cell.is_low_data = True
        cells[code] = cell
    return cells


def context_cells(context: dict | None, school: dict) -> dict[str, Cell]:
    """Social and teachers shares from the year's context, flags from the school."""
    context = context or {}
    cells = {}
    for code, column in SOCIAL_SHARES.items():
        cells[code] = share(context.get(column), context.get("students"))
    for code, column in TEACHER_SHARES.items():
        cells[code] = share(context.get(column), context.get("teachers"))
    suspended = context.get("accreditation_suspended")
    cells["accreditation_suspended"] = Cell(None if suspended is None else float(suspended))
    for flag in SCHOOL_FLAGS:
        cells[flag] = Cell(1.0 if school[flag] else 0.0)
    return cells


def rank_ascending(values: dict) -> dict:
    """SQL RANK() over ascending values: 1 = lowest, equal values share the lower rank."""
    keyed = sorted(values.items(), key=lambda item: item[1])
    ranks, previous, previous_rank = {}, None, 0
    for position, (key, value) in enumerate(keyed, start=1):
        if value != previous:
            previous, previous_rank = value, position
        ranks[key] = previous_rank
    return ranks


def scale_population(cells: dict, *, higher_is_worse: bool, is_flag: bool) -> None:
    """Set risk (0…1, 1 = worst), rank (1 = worst) and population size on the cells of one population.

    A flag's risk is its value (1 or 0) for a higher-is-worse flag. Cells without data or with too few
    participants stay out of the population (risk None).
    """
    usable = {key: cell.value for key, cell in cells.items() if cell.usable}
    if not usable:
        return
    if is_flag:
        risks = {key: (value if higher_is_worse else 1 - value) for key, value in usable.items()}
    else:
        low, high = min(usable.values()), max(usable.values())
        spread = high - low
        if spread == 0:
            risks = dict.fromkeys(usable, 0.0)
        elif higher_is_worse:
            risks = {key: (value - low) / spread for key, value in usable.items()}
        else:
            risks = {key: (high - value) / spread for key, value in usable.items()}
    ranks = rank_ascending({key: -round(risk, 9) for key, risk in risks.items()})
    for key, risk in risks.items():
        cells[key].risk, cells[key].rank, cells[key].population_size = risk, ranks[key], len(usable)


def weighted_index(cells: dict[str, Cell], codes, rules: Rules) -> float | None:
    """100 × (1 − weighted mean risk) over the listed indicators that have a risk; None if none has."""
    total = weights = 0.0
    for code in codes:
        cell = cells.get(code)
        if cell is None or cell.risk is None:
            continue
        weight = rules.weight(code)
        total += weight * cell.risk
        weights += weight
    if weights <= 0:
        return None
    return 100 * (1 - total / weights)


def group_by(keys: dict) -> dict:
    """{member: group} → {group: [members]}, skipping members without a group."""
    groups = defaultdict(list)
    for member, group in keys.items():
        if group:
            groups[group].append(member)
    return groups


def rank_in_groups(index: dict, groups: dict) -> dict:
    """{member: (rank, size)} of members with an index value inside their group (RANK semantics)."""
    places = {}
    for members in groups.values():
        values = {m: round(index[m], 9) for m in members if index.get(m) is not None}
        for member, rank in rank_ascending(values).items():
            places[member] = (rank, len(values))
    return places


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


def objectivity_flags(sums_by_procedure: dict, cells: dict[str, Cell], rules: Rules) -> list[dict]:
    """Markers of possibly non-objective assessment. They inform inspectors about a school and are
    never used to rate individual teachers (a federal rule for ВПР)."""
    flags = []
    lowered = cells.get("vpr_lowered_share")
    if lowered and lowered.value is not None and lowered.value >= rules.lowered_threshold:
        flags.append({
            "code": "vpr_lowered", "value": lowered.value, "threshold": rules.lowered_threshold,
            "title": "Высокая доля понизивших отметку на ВПР",
            "text": f"У {_pct(lowered.value)} участников ВПР отметка ниже журнальной (порог "
                    f"{_pct(rules.lowered_threshold)}): возможно завышение текущих отметок.",
        })
    vpr = sums_by_procedure.get("VPR") or {}
    raised = share(vpr.get("raised"), vpr.get("p_raised"))
    if raised.value is not None and raised.value >= rules.raised_threshold:
        flags.append({
            "code": "vpr_raised", "value": raised.value, "threshold": rules.raised_threshold,
            "title": "Высокая доля повысивших отметку на ВПР",
            "text": f"У {_pct(raised.value)} участников ВПР отметка выше журнальной (порог "
                    f"{_pct(rules.raised_threshold)}): стоит проверить объективность проведения ВПР.",
        })
    fail, oge = cells.get("vpr_fail_share"), cells.get("oge_below_min_share")
    if (fail and oge and fail.value == 0 and oge.value is not None
            and oge.value >= rules.mismatch_threshold):
        flags.append({
            "code": "vpr_oge_mismatch", "value": oge.value, "threshold": rules.mismatch_threshold,
            "title": "На ВПР нет «2», а на ОГЭ многие не преодолели минимум",
            "text": f"Доля «2» на ВПР 0 %, при этом {_pct(oge.value)} участников ОГЭ не преодолели "
                    f"минимальный порог (порог {_pct(rules.mismatch_threshold)}).",
        })
    return flags


def _pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " %"

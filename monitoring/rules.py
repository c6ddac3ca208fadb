"""Pure rules of the expert card: who may act in which state, levels, scores, the section-1 dynamics
and evidence links.

They work on the template snapshot (a dict, see `selectors.template_as_dict`) so a card is
always scored by the template version it was filled with.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlsplit

from schools import formatting

from .models import CardAnswer, ExpertCard, Level

NO_DATA = "нет данных"
MEASURES = {"below_min", "mark2", "high", "mark5"}
MEASURE_LABELS = {
    "below_min": "не преодолели минимальный порог",
    "mark2": "отметка «2»",
    "high": "высокий результат",
    "mark5": "отметка «5»",
}
DIRECTIONS = {"decrease", "increase"}
# A computed criterion reads assessment results (the rule above, no `source`), an indicator value or a
# school context field of the subject, and tests it against a threshold or against the previous year.
VALUE_SOURCES = {"indicator", "context"}
VALUE_TESTS = {
    "gte": "не менее",
    "lte": "не более",
    "up": "рост к прошлому году",
    "down": "снижение к прошлому году",
}
LEGACY_KINDS = {"fact": "flag"}  # snapshots of cards filled before DESIGN §7 named the kind «flag»

# --- The card's stages: who may act in which state --------------------------------------------

S = ExpertCard.Status
# The states in which the card is with its principal (who may fill it until `principal_deadline`).
EDITABLE = frozenset({S.NOT_STARTED, S.DRAFT, S.RETURNED})
# The states in which staff may take each action; the services refuse the others, pages offer these only.
STAFF_ACTION_STATUSES = {
    "verdicts": frozenset({S.SUBMITTED}),
    "verify": frozenset({S.SUBMITTED}),
    "return_for_revision": frozenset({S.SUBMITTED}),
    "reopen": EDITABLE | {S.SUBMITTED},
    "evaluate": frozenset({S.VERIFIED}),
    "remove": frozenset({S.NOT_STARTED}),  # leave the campaign: a card in work is never deleted
}
CHECKED = frozenset({S.VERIFIED, S.EVALUATED})


def principal_deadline(card) -> date:
    """The last day the principal may edit: the stage deadline, or later if staff reopened the card."""
    deadline = card.campaign.self_assessment_due
    if card.reopened_until and card.reopened_until > deadline:
        return card.reopened_until
    return deadline


def is_finding(*, status: str, verdict: str, points: int) -> bool:
    """A criterion a targeted recommendation is drafted from: its claim was rejected, or it has no points
    once the card is checked."""
    return verdict == CardAnswer.Verdict.REJECTED or (status in CHECKED and points == 0)


def level_thresholds(*, maximum: int, high_share, medium_share) -> tuple[int, int]:
    """Points needed for the high and the medium level: ⌈share × maximum⌉ (exact decimal arithmetic)."""
    high = math.ceil(Decimal(str(high_share)) * maximum)
    medium = math.ceil(Decimal(str(medium_share)) * maximum)
    return high, medium


def level_for(*, score: int, maximum: int, high_share, medium_share) -> str:
    high, medium = level_thresholds(maximum=maximum, high_share=high_share, medium_share=medium_share)
    if score >= high:
        return Level.HIGH
    if score >= medium:
        return Level.MEDIUM
    return Level.LOW


def snapshot_criteria(snapshot: dict) -> list[dict]:
    """Every criterion of a snapshot in order, each with its section number added."""
    return [
        {**criterion, "section": section["number"]}
        for section in snapshot["sections"]
        for criterion in section["criteria"]
    ]


def snapshot_maximum(snapshot: dict) -> int:
    return sum(section["maximum"] for section in snapshot["sections"])


def snapshot_level(snapshot: dict, score: int) -> str:
    """The level of a score; "" for a template that scores nothing (a data-collecting monitoring)."""
    if snapshot_maximum(snapshot) == 0:
        return ""
    return level_for(
        score=score,
        maximum=snapshot_maximum(snapshot),
        high_share=snapshot["levels"]["high"],
        medium_share=snapshot["levels"]["medium"],
    )


def kind_of(criterion: dict) -> str:
    return LEGACY_KINDS.get(criterion["kind"], criterion["kind"])


def option_points(criterion: dict, choice: str) -> int | None:
    """Points of the chosen option of a `choice` criterion; None when nothing (or an unknown value)
    is chosen."""
    for option in criterion.get("options") or []:
        if str(option["value"]) == choice:
            return int(option["points"])
    return None


def claim_of(
    criterion: dict, *, numerator=None, denominator=None, value=None, choice="", evidence=""
) -> bool:
    """Whether an answer claims the criterion's points, by its kind (flag and computed: ticked by hand)."""
    kind = kind_of(criterion)
    if not criterion["points"] and kind != "choice":
        return False  # a criterion without points only collects data
    if kind == "share":
        return share_meets(numerator=numerator, denominator=denominator, threshold=criterion["threshold"])
    if kind == "number":
        return number_meets(value=value, threshold=criterion["threshold"])
    if kind == "choice":
        return bool(option_points(criterion, choice))
    if kind == "link":
        return bool(evidence_links(evidence or ""))
    raise ValueError(kind)


def claimed_points(criterion: dict, *, claimed: bool, choice: str = "") -> int:
    """Points a claim is worth: the chosen option's for `choice`, the criterion's otherwise; 0 unclaimed."""
    if not claimed:
        return 0
    if kind_of(criterion) == "choice":
        return option_points(criterion, choice) or 0
    return criterion["points"]


def score_points(snapshot: dict, points_by_code: dict[str, int]) -> int:
    """Sum of points per section, each section capped at its maximum."""
    total = 0
    for section in snapshot["sections"]:
        earned = sum(points_by_code.get(c["code"], 0) for c in section["criteria"])
        total += min(earned, section["maximum"])
    return total


def share_meets(*, numerator, denominator, threshold) -> bool:
    """numerator / denominator × 100 ≥ threshold (percent), exact; False without a denominator."""
    if numerator is None or not denominator:
        return False
    return Fraction(numerator) * 100 >= Fraction(str(threshold or 0)) * denominator


def number_meets(*, value, threshold) -> bool:
    if value is None:
        return False
    return Decimal(str(value)) >= Decimal(str(threshold or 0))


# --- Section 1: dynamics versus the previous year -----------------------------------------------


@dataclass(frozen=True)
class Totals:
    """Sums over the rows of one school and year that match a rule and have the measure filled in."""

    measure: int
    participants: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.measure, self.participants) if self.participants else None


def rule_matches(rule: dict, *, procedure: str, subject: str, grade: int) -> bool:
    return (
        procedure in rule.get("procedures", [])
        and subject in rule.get("subjects", [])
        and (not rule.get("grades") or grade in rule["grades"])
    )


def rule_totals(rule: dict, rows: list[dict]) -> Totals:
    """rows: dicts with procedure, subject, grade and, per measure m, `m` and `m_participants` sums."""
    measure = rule["measure"]
    total = participants = 0
    for row in rows:
        if rule_matches(rule, procedure=row["procedure"], subject=row["subject"], grade=row["grade"]):
            total += row[measure] or 0
            participants += row[f"{measure}_participants"] or 0
    return Totals(total, participants)


def dynamic_positive(rule: dict, *, current: Fraction | None, previous: Fraction | None) -> bool | None:
    """True for a positive dynamic, False otherwise, None when either year has no data.

    A share that stays at 0 % (for "decrease") or at 100 % (for "increase") counts as positive.
    """
    if current is None or previous is None:
        return None
    if rule["direction"] == "decrease":
        return current < previous or (current == 0 and previous == 0)
    return current > previous or (current == 1 and previous == 1)


def _percent(share: Fraction | None) -> str | None:
    return None if share is None else formatting.number(float(share * 100), 1)


def computed_for(
    rule: dict, *, current_rows: list[dict], previous_rows: list[dict]
) -> tuple[bool | None, dict]:
    """(positive dynamic or None, details to show: shares of both years and a Russian explanation)."""
    current = rule_totals(rule, current_rows)
    previous = rule_totals(rule, previous_rows)
    positive = dynamic_positive(rule, current=current.share, previous=previous.share)
    detail = {
        "current": _percent(current.share),
        "previous": _percent(previous.share),
        "current_counts": [current.measure, current.participants],
        "previous_counts": [previous.measure, previous.participants],
    }
    if positive is None:
        detail["text"] = NO_DATA
    else:
        arrow = (
            "снизилась"
            if current.share < previous.share
            else "выросла"
            if current.share > previous.share
            else "не изменилась"
        )
        detail["text"] = (
            f"доля «{MEASURE_LABELS[rule['measure']]}» {arrow}: "
            f"{formatting.share(float(previous.share * 100))} → "
            f"{formatting.share(float(current.share * 100))} — "
            + ("положительная динамика" if positive else "нет положительной динамики")
        )
    return positive, detail


# --- Computed from an indicator or a context field -------------------------------------------


def _num(value) -> str:
    """At most two decimals and no trailing zeros: a count of pupils reads «640», not «640,00»."""
    return NO_DATA if value is None else formatting.number(round(float(value), 2))


def value_test(rule: dict, *, current, previous) -> tuple[bool | None, dict]:
    """(whether the value passes the rule or None without data, details to show).

    `gte`/`lte`: the current value against `rule["value"]`; `up`/`down`: against the previous year's
    (a value staying at 0 counts as «down», as a share staying at 0 % does in §4.5)."""
    test = rule["test"]
    current = int(current) if isinstance(current, bool) else current
    previous = int(previous) if isinstance(previous, bool) else previous
    if test in ("gte", "lte"):
        threshold = Decimal(str(rule["value"]))
        if current is None:
            return None, {"current": None, "text": NO_DATA}
        current_d = Decimal(str(current))
        passed = current_d >= threshold if test == "gte" else current_d <= threshold
        text = f"значение {_num(current)}, требуется {VALUE_TESTS[test]} {_num(threshold)}"
        return passed, {"current": _num(current), "text": text}
    if current is None or previous is None:
        return None, {"current": _num(current), "previous": _num(previous), "text": NO_DATA}
    now, before = Decimal(str(current)), Decimal(str(previous))
    passed = now > before if test == "up" else now < before or (now == 0 and before == 0)
    text = f"{_num(previous)} → {_num(current)}: " + (
        "динамика положительная" if passed else "нет нужной динамики"
    )
    return passed, {"current": _num(current), "previous": _num(previous), "text": text}


# --- Evidence links -----------------------------------------------------------------------------


def evidence_links(text: str) -> list[str]:
    """Links separated by new lines, spaces or commas."""
    return [part for part in text.replace(",", " ").split() if part]


def invalid_link(text: str) -> str | None:
    """The first link that is not an http(s) URL with a host, or None when all are valid."""
    for link in evidence_links(text):
        try:
            parts = urlsplit(link)
            host = parts.hostname
        except ValueError:
            return link
        if parts.scheme.lower() not in ("http", "https") or not host:
            return link
    return None

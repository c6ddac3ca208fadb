"""The markers of possibly non-objective assessment results (DESIGN §8) on plain data, no database.

`services/objectivity.py` loads a year's subject-grade rows in a constant number of queries (already
narrowed by the database to the rows that can matter) and hands them here; every marker is decided in one
pass and keeps the figures it was decided on, so the «почему» page shows which rows, which shares and
which municipality share were compared. Markers describe a school's results, never its teachers, and the
thresholds are the department's own (no federal body publishes them).

Only rows with at least `min_participants` participants count (default 10). Shares are compared exactly:
a row is over a threshold T % when count × 100 ≥ T × participants, with T a Decimal.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from schools import formatting

VPR_LOWERED = "vpr_lowered"
VPR_RAISED = "vpr_raised"
VPR_HIGH_BAND = "vpr_high_band"
VPR_OGE_MISMATCH = "vpr_oge_mismatch"
KDR_VPR_GAP = "kdr_vpr_gap"
MEDALISTS_UNCONFIRMED = "medalists_unconfirmed"
MARKERS = {
    VPR_LOWERED: "ВПР: много «понизили» отметку",
    VPR_RAISED: "ВПР: много «повысили» отметку",
    VPR_HIGH_BAND: "ВПР: доля «5» намного выше, чем в муниципалитете",
    VPR_OGE_MISMATCH: "ОГЭ не подтверждает ВПР 8 класса",
    KDR_VPR_GAP: "ВПР выше КДР",
    MEDALISTS_UNCONFIRMED: "Претенденты на медаль не подтвердили результаты ЕГЭ",
}
MARKER_CODES = tuple(MARKERS)
GROUP_MUNICIPALITY, GROUP_REGION = "municipality", "region"
REGION_KEY = 0  # the one comparison group when the rules compare with the region
CONDUCT = ("observers", "video", "recheck")
DEFAULT_MEDAL_CONDITIONS = {
    "I": {"russian": 70, "other": 70, "text": "I степень: русский язык ≥ 70 и ещё один предмет ≥ 70 баллов"},
    "II": {
        "russian": 60,
        "other": 60,
        "text": "II степень: русский язык ≥ 60 и ещё один предмет ≥ 60 баллов",
    },
}


class ResultRow(NamedTuple):
    """One subject-grade row of a school (the columns the markers read, in the order of `ROW_FIELDS`)."""

    school: int
    subject: int
    grade: int
    participants: int
    mark2: int | None
    mark3: int | None
    mark4: int | None
    mark5: int | None
    lowered: int | None
    raised: int | None
    below_min: int | None
    observers: bool | None
    video: bool | None
    recheck: bool | None


ROW_FIELDS = (
    "school_id",
    "subject_id",
    "grade",
    "participants",
    "mark2",
    "mark3",
    "mark4",
    "mark5",
    "lowered",
    "raised",
    "below_min",
    "observers",
    "video",
    "recheck",
)


@dataclass(frozen=True)
class ObjectivityRules:
    min_participants: int = 10
    min_rows: int = 2
    lowered: Decimal = Decimal("30")
    raised: Decimal = Decimal("15")
    high_band_share: Decimal = Decimal("30")
    high_band_ratio: Decimal = Decimal("2")
    high_band_group: str = GROUP_MUNICIPALITY
    mismatch: Decimal = Decimal("10")
    kdr_gap: Decimal = Decimal("0.7")
    medal_share: Decimal = Decimal("30")
    list_markers: int = 2
    medal_conditions: dict = field(default_factory=lambda: dict(DEFAULT_MEDAL_CONDITIONS))

    @classmethod
    def from_model(cls, rules) -> "ObjectivityRules":
        return cls(
            min_participants=rules.objectivity_min_participants,
            min_rows=rules.objectivity_min_rows,
            lowered=Decimal(str(rules.lowered_threshold)),
            raised=Decimal(str(rules.raised_threshold)),
            high_band_share=Decimal(str(rules.high_band_share)),
            high_band_ratio=Decimal(str(rules.high_band_ratio)),
            high_band_group=rules.high_band_group,
            mismatch=Decimal(str(rules.mismatch_threshold)),
            kdr_gap=Decimal(str(rules.kdr_gap)),
            medal_share=Decimal(str(rules.medal_unconfirmed_share)),
            list_markers=rules.objectivity_list_markers,
            medal_conditions=dict(rules.medal_conditions or DEFAULT_MEDAL_CONDITIONS),
        )

    def snapshot(self) -> dict:
        return {
            "min_participants": self.min_participants,
            "min_rows": self.min_rows,
            "lowered": str(self.lowered),
            "raised": str(self.raised),
            "high_band_share": str(self.high_band_share),
            "high_band_ratio": str(self.high_band_ratio),
            "high_band_group": self.high_band_group,
            "mismatch": str(self.mismatch),
            "kdr_gap": str(self.kdr_gap),
            "medal_share": str(self.medal_share),
            "list_markers": self.list_markers,
            "medal_conditions": self.medal_conditions,
        }


def at_least(count: int, whole: int, threshold: Decimal) -> bool:
    """count / whole × 100 ≥ threshold, exactly (no float rounding at the boundary)."""
    return whole > 0 and Decimal(count) * 100 >= threshold * whole


def share(count: int, whole: int) -> float | None:
    return round(count * 100 / whole, 4) if whole else None


def mean_mark(row: ResultRow) -> float | None:
    """The mean mark from the «Отметка 2…5» counts; None unless all four are given and sum to > 0."""
    marks = (row.mark2, row.mark3, row.mark4, row.mark5)
    if None in marks:
        return None
    total = sum(marks)
    if not total:
        return None
    return (2 * row.mark2 + 3 * row.mark3 + 4 * row.mark4 + 5 * row.mark5) / total


def conduct(row: ResultRow) -> dict:
    """How the procedure was conducted in this row (observers, video, re-check): True/False/None."""
    return {"observers": row.observers, "video": row.video, "recheck": row.recheck}


def _counts(row: ResultRow) -> bool:
    return row.participants is not None


@dataclass
class Evaluation:
    """The year's figures per school: {school: {code: figures}}; `present` tells if the marker is set."""

    figures: dict = field(default_factory=lambda: defaultdict(dict))

    def add_row(self, school: int, code: str, row: dict) -> None:
        entry = self.figures[school].setdefault(code, {"rows": []})
        entry["rows"].append(row)

    def markers(self, school: int) -> list[str]:
        found = self.figures.get(school, {})
        return [code for code in MARKER_CODES if found.get(code, {}).get("present")]


def evaluate(
    *,
    vpr_rows: list[ResultRow],
    group_shares: dict,
    school_groups: dict,
    group_names: dict,
    kdr_rows: list[ResultRow],
    vpr_kdr_rows: list[ResultRow],
    oge_rows: list[ResultRow],
    vpr8_previous: list[ResultRow],
    medals: list[tuple[int, int, int]],
    subjects: dict,
    year: int,
    rules: ObjectivityRules,
) -> Evaluation:
    """All six markers of a year.

    vpr_rows: the year's ВПР rows (any that may be over a threshold; the others may be left out);
    group_shares: {(group, subject, grade): (Σ «5», Σ participants)} over every ВПР row of the group,
    the school's own included; school_groups: {school: group}; kdr_rows / vpr_kdr_rows: the year's КДР
    rows and the ВПР rows of the same keys; oge_rows: the year's ОГЭ rows; vpr8_previous: ВПР grade 8
    rows of year − 1; medals: (school, candidates, unconfirmed) from the year's context.
    """
    result = Evaluation()

    def big(rows: list[ResultRow]) -> list[ResultRow]:
        """The rows with enough participants to judge (rules.min_participants)."""
        return [r for r in rows if r.participants >= rules.min_participants]

    _vpr_shares(result, big(vpr_rows), group_shares, school_groups, group_names, subjects, rules)
    _kdr_gap(result, big(kdr_rows), big(vpr_kdr_rows), subjects, rules)
    _mismatch(result, big(oge_rows), big(vpr8_previous), subjects, year, rules)
    _medals(result, medals, rules)
    for found in result.figures.values():
        for code in (VPR_LOWERED, VPR_RAISED, VPR_HIGH_BAND):
            if code in found:
                found[code]["present"] = len(found[code]["rows"]) >= rules.min_rows
                found[code]["min_rows"] = rules.min_rows
        for code in (KDR_VPR_GAP, VPR_OGE_MISMATCH):
            if code in found:
                found[code]["present"] = bool(found[code]["rows"])
    return result


def _row_head(row: ResultRow, subjects: dict) -> dict:
    return {
        "subject": subjects.get(row.subject, str(row.subject)),
        "grade": row.grade,
        "participants": row.participants,
        "conduct": conduct(row),
    }


def _vpr_shares(result, rows, group_shares, school_groups, group_names, subjects, rules) -> None:
    for row in rows:
        for code, count, threshold in (
            (VPR_LOWERED, row.lowered, rules.lowered),
            (VPR_RAISED, row.raised, rules.raised),
        ):
            if count is not None and at_least(count, row.participants, threshold):
                result.add_row(
                    row.school,
                    code,
                    {
                        **_row_head(row, subjects),
                        "count": count,
                        "share": share(count, row.participants),
                        "threshold": str(threshold),
                    },
                )
        if row.mark5 is None or not at_least(row.mark5, row.participants, rules.high_band_share):
            continue
        group = school_groups.get(row.school) if rules.high_band_group == GROUP_MUNICIPALITY else REGION_KEY
        group_five, group_total = group_shares.get((group, row.subject, row.grade), (0, 0))
        # own share ≥ ratio × group share ⇔ mark5 × Σparticipants ≥ ratio × Σ«5» × participants
        if (
            group_total
            and Decimal(row.mark5) * group_total >= rules.high_band_ratio * group_five * row.participants
        ):
            result.add_row(
                row.school,
                VPR_HIGH_BAND,
                {
                    **_row_head(row, subjects),
                    "count": row.mark5,
                    "share": share(row.mark5, row.participants),
                    "group": group_names.get(group, "регион"),
                    "group_kind": rules.high_band_group,
                    "group_count": group_five,
                    "group_participants": group_total,
                    "group_share": share(group_five, group_total),
                    "threshold": str(rules.high_band_share),
                    "ratio": str(rules.high_band_ratio),
                },
            )


def _kdr_gap(result, kdr_rows, vpr_rows, subjects, rules) -> None:
    vpr = {(r.school, r.subject, r.grade): r for r in vpr_rows}
    for kdr in kdr_rows:
        row = vpr.get((kdr.school, kdr.subject, kdr.grade))
        if row is None:
            continue
        vpr_mean, kdr_mean = mean_mark(row), mean_mark(kdr)
        if vpr_mean is None or kdr_mean is None:
            continue
        gap = Decimal(repr(vpr_mean)) - Decimal(repr(kdr_mean))
        if gap >= rules.kdr_gap - Decimal("1e-9"):
            result.add_row(
                row.school,
                KDR_VPR_GAP,
                {
                    **_row_head(row, subjects),
                    "vpr_mean": round(vpr_mean, 4),
                    "kdr_mean": round(kdr_mean, 4),
                    "kdr_participants": kdr.participants,
                    "gap": round(vpr_mean - kdr_mean, 4),
                    "threshold": str(rules.kdr_gap),
                },
            )


def _mismatch(result, oge_rows, vpr8_previous, subjects, year, rules) -> None:
    cohort = {(r.school, r.subject): r for r in vpr8_previous if r.grade == 8 and r.mark2 == 0}
    for oge in oge_rows:
        vpr = cohort.get((oge.school, oge.subject))
        if (
            vpr is None
            or oge.below_min is None
            or not at_least(oge.below_min, oge.participants, rules.mismatch)
        ):
            continue
        result.add_row(
            oge.school,
            VPR_OGE_MISMATCH,
            {
                **_row_head(oge, subjects),
                "count": oge.below_min,
                "share": share(oge.below_min, oge.participants),
                "threshold": str(rules.mismatch),
                "vpr_year": year - 1,
                "vpr_grade": vpr.grade,
                "vpr_participants": vpr.participants,
                "vpr_mark2": vpr.mark2,
                "conduct": conduct(vpr),
                "oge_conduct": conduct(oge),
            },
        )


def _medals(result, medals, rules) -> None:
    for school, candidates, unconfirmed in medals:
        if not candidates or unconfirmed is None:
            continue
        result.figures[school][MEDALISTS_UNCONFIRMED] = {
            "candidates": candidates,
            "unconfirmed": unconfirmed,
            "share": share(unconfirmed, candidates),
            "threshold": str(rules.medal_share),
            "conditions": rules.medal_conditions,
            "present": at_least(unconfirmed, candidates, rules.medal_share),
            "rows": [],
        }


def is_listed(markers: list[str], rules: ObjectivityRules) -> bool:
    return len(markers) >= rules.list_markers


def marker_text(code: str, figures: dict) -> str:
    """One Russian sentence of what was found (for the summary on the school's status and in exports)."""
    pct = formatting.share
    rows = figures.get("rows", [])
    where = ", ".join(
        f"{r['subject']} {r.get('vpr_grade', r['grade'])} кл."
        if code == VPR_OGE_MISMATCH
        else f"{r['subject']} {r['grade']} кл."
        for r in rows
    )
    if code in (VPR_LOWERED, VPR_RAISED):
        word = "понизили" if code == VPR_LOWERED else "повысили"
        return (
            f"«{word.capitalize()}» не меньше {pct(Decimal(rows[0]['threshold']), 0)} участников "
            f"в {len(rows)} строках ВПР: {where}."
        )
    if code == VPR_HIGH_BAND:
        ratio = formatting.number(Decimal(rows[0]["ratio"]))
        return (
            f"Доля «5» не меньше порога и не меньше чем в {ratio} раза выше, чем в группе сравнения, "
            f"в {len(rows)} строках ВПР: {where}."
        )
    if code == VPR_OGE_MISMATCH:
        return f"На ВПР 8 класса год назад не было «2», а ОГЭ не сдали многие: {where}."
    if code == KDR_VPR_GAP:
        return f"Средняя отметка ВПР выше средней отметки КДР: {where}."
    if code == MEDALISTS_UNCONFIRMED:
        return (
            f"Не выполнили условия ЕГЭ {figures['unconfirmed']} из {figures['candidates']} претендентов на "
            f"медаль ({pct(figures['share'])})."
        )
    return ""

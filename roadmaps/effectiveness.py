"""Stage 6 of the management cycle: the effectiveness of the measures taken.

For a year Y every indicator value and the ШНОР/ШНСУ membership of each school is compared with Y − 1
(value before, after, change, better/worse by the indicator's polarity). A management decision recorded
for academic year Y is judged by the same comparison over its schools (the results of Y are the first
ones produced after it). List membership is the computed status with the latest inspector override
applied (indicators.StatusOverride). Set-based: a fixed number of queries whatever the number of schools.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from indicators.models import Indicator, IndicatorValue, SchoolStatus
from indicators.selectors import overrides_latest
from schools.models import School

from .models import ManagementDecision

BETTER, WORSE, SAME, NO_DATA = "better", "worse", "same", "no_data"
VERDICT_LABELS = {BETTER: "лучше", WORSE: "хуже", SAME: "без изменений", NO_DATA: "нет данных"}
LISTS = (("low_results", "ШНОР"), ("unfavourable", "ШНСУ"))
EPSILON = 1e-9


@dataclass
class Change:
    """One indicator (or list) of one school, or the mean over a decision's schools."""

    code: str
    name: str
    unit: str
    before: float | None
    after: float | None
    verdict: str
    higher_is_worse: bool = False

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


@dataclass
class ListChange:
    code: str
    name: str
    before: bool | None  # None: no status computed for that year
    after: bool | None

    @property
    def verdict(self) -> str:
        if self.before is None or self.after is None:
            return NO_DATA
        if self.before == self.after:
            return SAME
        return BETTER if self.before and not self.after else WORSE

    @property
    def verdict_label(self) -> str:
        return {
            BETTER: "вышла из списка",
            WORSE: "вошла в список",
            SAME: "без изменений",
            NO_DATA: "нет данных",
        }[self.verdict]


@dataclass
class SchoolEffect:
    school: School
    changes: list[Change]
    lists: list[ListChange]

    @property
    def better(self) -> int:
        return sum(1 for c in self.changes if c.verdict == BETTER)

    @property
    def worse(self) -> int:
        return sum(1 for c in self.changes if c.verdict == WORSE)

    @property
    def list_position(self) -> str:
        """better when the school left more lists than it entered, worse in the opposite case."""
        score = sum(1 for lc in self.lists if lc.verdict == BETTER) - sum(
            1 for lc in self.lists if lc.verdict == WORSE
        )
        if all(lc.verdict == NO_DATA for lc in self.lists):
            return NO_DATA
        return BETTER if score > 0 else WORSE if score < 0 else SAME


@dataclass
class DecisionEffect:
    decision: ManagementDecision
    schools: list[School]
    changes: list[Change]  # mean over the decision's schools that have both values
    improved: dict = field(default_factory=dict)  # indicator code → number of schools better
    worsened: dict = field(default_factory=dict)
    list_before: dict = field(default_factory=dict)  # list code → schools on it in Y − 1
    list_after: dict = field(default_factory=dict)


@dataclass
class EffectivenessReport:
    year: int
    indicators: list[Indicator]
    schools: list[SchoolEffect]
    decisions: list[DecisionEffect]
    compared: int  # schools with a status in both years
    list_improved: int
    list_worsened: int
    entered: dict = field(default_factory=dict)  # list code → schools that entered
    left: dict = field(default_factory=dict)

    @property
    def list_improved_share(self) -> float | None:
        return self.list_improved / self.compared * 100 if self.compared else None

    @property
    def list_worsened_share(self) -> float | None:
        return self.list_worsened / self.compared * 100 if self.compared else None

    def indicator_totals(self) -> list[dict]:
        """Per indicator: schools better, worse, unchanged (for the chart and the summary table)."""
        totals = []
        for position, indicator in enumerate(self.indicators):
            counts = defaultdict(int)
            for effect in self.schools:
                counts[effect.changes[position].verdict] += 1
            totals.append(
                {
                    "indicator": indicator,
                    "better": counts[BETTER],
                    "worse": counts[WORSE],
                    "same": counts[SAME],
                    "no_data": counts[NO_DATA],
                }
            )
        return totals


def verdict(before: float | None, after: float | None, *, higher_is_worse: bool) -> str:
    if before is None or after is None:
        return NO_DATA
    delta = after - before
    if abs(delta) <= EPSILON:
        return SAME
    return BETTER if (delta < 0) == higher_is_worse else WORSE


def list_membership(*, years, school_ids=None) -> dict[tuple[int, int], dict[str, bool]]:
    """{(school_id, year): {"low_results": bool, "unfavourable": bool}} for schools with a status (or an
    inspector's decision) that year. The effective membership rule is the indicators app's: the latest
    non-revert override of a list wins over the computed flag (indicators.selectors.overrides_latest)."""
    statuses = SchoolStatus.objects.filter(year__in=years)
    if school_ids is not None:
        statuses = statuses.filter(school_id__in=school_ids)
    membership = {
        (s["school_id"], s["year"]): {code: s[code] for code, _ in LISTS}
        for s in statuses.values("school_id", "year", *(code for code, _ in LISTS))
    }
    for year in years:
        for (school_id, list_kind), override in overrides_latest(year=year, school_ids=school_ids).items():
            lists = membership.setdefault((school_id, year), {code: False for code, _ in LISTS})
            lists[list_kind] = bool(override.effective)
    return membership


def effectiveness_report(*, year: int, school_ids=None) -> EffectivenessReport:
    """The stage-6 analysis for `year` versus `year - 1` (all schools, or those in `school_ids`)."""
    before_year = year - 1
    values = IndicatorValue.objects.filter(year__in=(before_year, year))
    if school_ids is not None:
        values = values.filter(school_id__in=school_ids)
    by_key: dict[tuple[int, int, int], float | None] = {}
    school_pks: set[int] = set()
    indicator_pks: set[int] = set()
    for school_id, value_year, indicator_id, value in values.values_list(
        "school_id", "year", "indicator_id", "value"
    ):
        by_key[(school_id, value_year, indicator_id)] = value
        school_pks.add(school_id)
        if value is not None:
            indicator_pks.add(indicator_id)
    membership = list_membership(years=(before_year, year), school_ids=school_ids)
    school_pks |= {school_id for school_id, _ in membership}
    indicators = list(Indicator.objects.filter(pk__in=indicator_pks).order_by("order", "code"))
    schools = list(School.objects.filter(pk__in=school_pks).order_by("code"))

    effects = {s.pk: _school_effect(s, indicators, by_key, membership, before_year, year) for s in schools}
    report = EffectivenessReport(
        year=year,
        indicators=indicators,
        schools=list(effects.values()),
        decisions=[],
        compared=0,
        list_improved=0,
        list_worsened=0,
    )
    _list_dynamics(report, membership, before_year, year)
    report.decisions = _decision_effects(year, indicators, effects, school_ids)
    return report


def _school_effect(school, indicators, by_key, membership, before_year, year) -> SchoolEffect:
    changes = []
    for indicator in indicators:
        before = by_key.get((school.pk, before_year, indicator.pk))
        after = by_key.get((school.pk, year, indicator.pk))
        changes.append(
            Change(
                indicator.code,
                indicator.short_name or indicator.name,
                indicator.unit,
                before,
                after,
                verdict(before, after, higher_is_worse=indicator.higher_is_worse),
                indicator.higher_is_worse,
            )
        )
    before_lists = membership.get((school.pk, before_year))
    after_lists = membership.get((school.pk, year))
    lists = [
        ListChange(
            code,
            name,
            before_lists[code] if before_lists else None,
            after_lists[code] if after_lists else None,
        )
        for code, name in LISTS
    ]
    return SchoolEffect(school=school, changes=changes, lists=lists)


def _list_dynamics(report: EffectivenessReport, membership, before_year, year) -> None:
    for code, _ in LISTS:
        report.entered[code] = []
        report.left[code] = []
    for effect in report.schools:
        if (effect.school.pk, before_year) not in membership or (effect.school.pk, year) not in membership:
            continue
        report.compared += 1
        position = effect.list_position
        report.list_improved += position == BETTER
        report.list_worsened += position == WORSE
        for list_change in effect.lists:
            if list_change.verdict == WORSE:
                report.entered[list_change.code].append(effect.school)
            elif list_change.verdict == BETTER:
                report.left[list_change.code].append(effect.school)


def _decision_effects(year, indicators, effects, school_ids) -> list[DecisionEffect]:
    decisions = (
        ManagementDecision.objects.filter(year=year)
        .prefetch_related("schools")
        .order_by("document_date", "pk")
    )
    if school_ids is not None:
        decisions = decisions.filter(schools__in=school_ids).distinct()
    result = []
    for decision in decisions:
        linked = [effects[s.pk] for s in decision.schools.all() if s.pk in effects]
        effect = DecisionEffect(decision=decision, schools=[e.school for e in linked], changes=[])
        for position, indicator in enumerate(indicators):
            pairs = [(e.changes[position].before, e.changes[position].after) for e in linked]
            pairs = [(b, a) for b, a in pairs if b is not None and a is not None]
            before = sum(b for b, _ in pairs) / len(pairs) if pairs else None
            after = sum(a for _, a in pairs) / len(pairs) if pairs else None
            effect.changes.append(
                Change(
                    indicator.code,
                    indicator.short_name or indicator.name,
                    indicator.unit,
                    before,
                    after,
                    verdict(before, after, higher_is_worse=indicator.higher_is_worse),
                    indicator.higher_is_worse,
                )
            )
            effect.improved[indicator.code] = sum(1 for e in linked if e.changes[position].verdict == BETTER)
            effect.worsened[indicator.code] = sum(1 for e in linked if e.changes[position].verdict == WORSE)
        for code, _ in LISTS:
            effect.list_before[code] = sum(
                1 for e in linked for lc in e.lists if lc.code == code and lc.before
            )
            effect.list_after[code] = sum(1 for e in linked for lc in e.lists if lc.code == code and lc.after)
        result.append(effect)
    return result

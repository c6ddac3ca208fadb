"""Stage 6 of the management cycle: the effectiveness of the measures taken.

For a year Y every indicator value and the ШНОР/ШНСУ membership of each school is compared with Y − 1
(value before, after, change, better/worse by the indicator's polarity). A management decision recorded
for academic year Y is judged by the same comparison over its schools, but only on results produced
after it: its baseline is the last school year that ended on or before the document date (a school year
Y runs from 1 September Y to 31 August Y + 1), compared with Y (or, for a decision signed after Y ended,
the first year after it). Without results for either year the decision is not rated and `note` says
why. List membership is the computed status with the latest inspector override
applied (indicators.StatusOverride). Set-based: a fixed number of queries whatever the number of schools.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from indicators.models import Indicator, IndicatorValue, ObjectivityStatus, SchoolStatus
from indicators.objectivity import MARKERS
from indicators.selectors import list_members
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
    changes: list[Change]  # mean over the decision's schools that have both values; [] when not rated
    before_year: int | None = None  # the last school year that ended before the decision
    after_year: int | None = None  # the school year it is rated on; None: not rated (see note)
    note: str = ""  # why the decision is not rated
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
    objectivity: list = field(default_factory=list)  # ObjectivityEffect of schools with markers in Y − 1

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


@dataclass
class ObjectivityEffect:
    """Did a school's objectivity markers of Y − 1 go away in Y (DESIGN §8, the effect of the measures)."""

    school: School
    before: list[str]
    after: list[str] | None  # None: no markers computed for Y (no results that year)
    listed_before: bool
    listed_after: bool | None

    @property
    def gone(self) -> list[str]:
        return [MARKERS[c] for c in self.before if self.after is not None and c not in self.after]

    @property
    def remaining(self) -> list[str]:
        return [MARKERS[c] for c in self.before if self.after is not None and c in self.after]

    @property
    def new(self) -> list[str]:
        return [MARKERS[c] for c in (self.after or []) if c not in self.before]

    @property
    def verdict(self) -> str:
        if self.after is None:
            return NO_DATA
        if not self.remaining:
            return BETTER
        return SAME if not self.gone else "partly"

    @property
    def verdict_label(self) -> str:
        return {
            BETTER: "признаки ушли",
            "partly": "ушли не все",
            SAME: "признаки остались",
            NO_DATA: "нет данных за год",
        }[self.verdict]


def objectivity_effects(*, year: int, school_ids=None) -> list[ObjectivityEffect]:
    """Schools with markers in `year` − 1 and what became of them in `year` (one query)."""
    statuses = ObjectivityStatus.objects.filter(year__in=(year - 1, year)).select_related("school")
    if school_ids is not None:
        statuses = statuses.filter(school_id__in=school_ids)
    by_key = {(s.school_id, s.year): s for s in statuses.order_by("school__code")}
    effects = []
    for (school_id, status_year), before in by_key.items():
        if status_year != year - 1 or not before.markers:
            continue
        after = by_key.get((school_id, year))
        effects.append(
            ObjectivityEffect(
                school=before.school,
                before=list(before.markers),
                after=list(after.markers) if after else None,
                listed_before=before.in_list,
                listed_after=after.in_list if after else None,
            )
        )
    return effects


def school_year_end(year: int) -> date:
    return date(year + 1, 8, 31)


def decision_years(decision: ManagementDecision, year: int) -> tuple[int, int]:
    """(baseline, rated year) of a decision shown in the analysis of `year`: the baseline is the last
    school year that ended on or before the document date (without a date: the year before the decision's
    own), the rated year is `year` if it ended after the decision, else the first one that did."""
    if decision.document_date is None:
        baseline = decision.year - 1
    else:
        day = decision.document_date
        baseline = day.year - 1 if (day.month, day.day) >= (8, 31) else day.year - 2
    return baseline, max(year, baseline + 1)


def _academic(year: int) -> str:
    return f"{year}/{year + 1}"


def verdict(before: float | None, after: float | None, *, higher_is_worse: bool) -> str:
    if before is None or after is None:
        return NO_DATA
    delta = after - before
    if abs(delta) <= EPSILON:
        return SAME
    return BETTER if (delta < 0) == higher_is_worse else WORSE


def list_membership(*, years, school_ids=None) -> dict[tuple[int, int], dict[str, bool]]:
    """{(school_id, year): {"low_results": bool, "unfavourable": bool}} for schools with a status (or
    put on a list by an inspector's decision) that year; membership is the indicators app's one rule
    (`indicators.selectors.list_members`)."""
    years = list(years)
    members = list_members(years=years, school_ids=school_ids)
    statuses = SchoolStatus.objects.filter(year__in=years)
    if school_ids is not None:
        statuses = statuses.filter(school_id__in=school_ids)
    keys = set(statuses.values_list("school_id", "year"))
    keys |= {
        (school_id, year) for year, lists in members.items() for ids in lists.values() for school_id in ids
    }
    return {
        (school_id, year): {code: school_id in members[year][code] for code, _ in LISTS}
        for school_id, year in keys
    }


def effectiveness_report(*, year: int, school_ids=None) -> EffectivenessReport:
    """The stage-6 analysis for `year` versus `year - 1` (all schools, or those in `school_ids`: ids or a
    queryset of them, such as schools.selectors.school_ids_in_scope)."""
    if school_ids is not None:  # one set of ids: filters take it, and membership tests (`pk in`) work
        school_ids = set(School.objects.filter(pk__in=school_ids).values_list("pk", flat=True))
    before_year = year - 1
    decisions = _decisions(year, school_ids)
    periods = {d.pk: decision_years(d, year) for d in decisions}
    years = {before_year, year} | {y for pair in periods.values() for y in pair}
    values = IndicatorValue.objects.filter(year__in=years)
    if school_ids is not None:
        values = values.filter(school_id__in=school_ids)
    by_key: dict[tuple[int, int, int], float | None] = {}
    school_pks: set[int] = set()
    indicator_pks: set[int] = set()
    with_results: set[tuple[int, int]] = set()  # (school, year) with at least one value
    for school_id, value_year, indicator_id, value in values.values_list(
        "school_id", "year", "indicator_id", "value"
    ):
        by_key[(school_id, value_year, indicator_id)] = value
        if value is not None:
            with_results.add((school_id, value_year))
        if value_year not in (before_year, year):
            continue
        school_pks.add(school_id)
        if value is not None:
            indicator_pks.add(indicator_id)
    membership = list_membership(years=sorted(years), school_ids=school_ids)
    school_pks |= {school_id for school_id, school_year in membership if school_year in (before_year, year)}
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
    report.objectivity = objectivity_effects(year=year, school_ids=school_ids)
    report.decisions = [
        _decision_effect(
            decision, *periods[decision.pk], indicators, by_key, membership, with_results, school_ids
        )
        for decision in decisions
    ]
    return report


def _change(indicator, before, after) -> Change:
    """One indicator's move from `before` to `after`, with its verdict (better, worse, the same, no data)."""
    return Change(
        indicator.code,
        indicator.short_name or indicator.name,
        indicator.unit,
        before,
        after,
        verdict(before, after, higher_is_worse=indicator.higher_is_worse),
        indicator.higher_is_worse,
    )


def _school_effect(school, indicators, by_key, membership, before_year, year) -> SchoolEffect:
    changes = []
    for indicator in indicators:
        before = by_key.get((school.pk, before_year, indicator.pk))
        after = by_key.get((school.pk, year, indicator.pk))
        changes.append(_change(indicator, before, after))
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


def _decisions(year, school_ids) -> list[ManagementDecision]:
    decisions = (
        ManagementDecision.objects.filter(year=year)
        .prefetch_related("schools")
        .order_by("document_date", "pk")
    )
    if school_ids is not None:
        decisions = decisions.filter(schools__in=school_ids).distinct()
    return list(decisions)


def _decision_effect(
    decision, before_year, after_year, indicators, by_key, membership, with_results, school_ids
) -> DecisionEffect:
    schools = [s for s in decision.schools.all() if school_ids is None or s.pk in school_ids]  # prefetched
    effect = DecisionEffect(decision=decision, schools=schools, changes=[], before_year=before_year)
    pks = {s.pk for s in schools}
    day = f" ({decision.document_date:%d.%m.%Y})" if decision.document_date else ""
    if not any((pk, after_year) in with_results for pk in pks):
        effect.note = (
            f"Оценить решение пока нельзя: оно принято {decision.document_date:%d.%m.%Y}, а результатов за "
            f"{_academic(after_year)} учебный год — первый, закончившийся после решения, — в портале ещё нет."
            if decision.document_date
            else f"Оценить решение пока нельзя: результатов его школ за {_academic(after_year)} учебный год "
            "в портале ещё нет."
        )
        return effect
    if not any((pk, before_year) in with_results for pk in pks):
        effect.note = (
            f"Оценить решение нельзя: нет результатов его школ за {_academic(before_year)} учебный год — "
            f"последний, закончившийся до решения{day}."
        )
        return effect
    effect.after_year = after_year
    linked = [_school_effect(s, indicators, by_key, membership, before_year, after_year) for s in schools]
    for position, indicator in enumerate(indicators):
        pairs = [(e.changes[position].before, e.changes[position].after) for e in linked]
        pairs = [(b, a) for b, a in pairs if b is not None and a is not None]
        before = sum(b for b, _ in pairs) / len(pairs) if pairs else None
        after = sum(a for _, a in pairs) / len(pairs) if pairs else None
        effect.changes.append(_change(indicator, before, after))
        effect.improved[indicator.code] = sum(1 for e in linked if e.changes[position].verdict == BETTER)
        effect.worsened[indicator.code] = sum(1 for e in linked if e.changes[position].verdict == WORSE)
    for code, _ in LISTS:
        effect.list_before[code] = sum(1 for e in linked for lc in e.lists if lc.code == code and lc.before)
        effect.list_after[code] = sum(1 for e in linked for lc in e.lists if lc.code == code and lc.after)
    return effect

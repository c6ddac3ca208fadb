"""Computed criteria for many cards at once: dynamics of imported results (section 1 of the ШНОР card),
indicator values and school context fields (DESIGN §7) — one query per source, whatever the number of
cards."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, Sum

from indicators.models import AssessmentResult, IndicatorValue
from schools.models import SchoolContext

from ..models import CardAnswer, Criterion, ExpertCard
from ..rules import MEASURES, VALUE_SOURCES, computed_for, snapshot_criteria, value_test


def results_rows(*, school_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], list[dict]]:
    """{(school_id, year): [row sums per procedure, subject, grade]} in one aggregate query."""
    sums = {}
    for measure in MEASURES:
        # Aliases must not shadow the model's field names (SQL would nest the aggregates).
        sums[f"sum_{measure}"] = Sum(measure, filter=Q(**{f"{measure}__isnull": False}))
        sums[f"sum_{measure}_participants"] = Sum("participants", filter=Q(**{f"{measure}__isnull": False}))
    rows = (
        AssessmentResult.objects.filter(school_id__in=list(school_ids), year__in=list(years))
        .values("school_id", "year", "procedure__code", "subject__code", "grade")
        .annotate(**sums)
        .order_by()
    )
    grouped: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for values in rows:
        row = {key.removeprefix("sum_"): value for key, value in values.items()}
        row["procedure"] = row.pop("procedure__code")
        row["subject"] = row.pop("subject__code")
        grouped[(row["school_id"], row["year"])].append(row)
    return grouped


def indicator_values(*, school_ids, years, codes) -> dict[tuple[int, int, str], float | None]:
    """{(school_id, year, indicator code): value} of the latest computation, in one query."""
    if not codes:
        return {}
    rows = IndicatorValue.objects.filter(
        school_id__in=list(school_ids), year__in=list(years), indicator__code__in=list(codes)
    ).values_list("school_id", "year", "indicator__code", "value")
    return {(school, year, code): value for school, year, code, value in rows}


def context_values(*, school_ids, years, fields) -> dict[tuple[int, int, str], object]:
    """{(school_id, year, context field): value}, in one query."""
    if not fields:
        return {}
    rows = SchoolContext.objects.filter(school_id__in=list(school_ids), year__in=list(years)).values(
        "school_id", "year", *fields
    )
    return {(r["school_id"], r["year"], f): r[f] for r in rows for f in fields}


def _value_rules(cards: list[ExpertCard]) -> tuple[set[str], set[str]]:
    indicators, fields = set(), set()
    for card in cards:
        for criterion in snapshot_criteria(card.template_snapshot):
            rule = criterion.get("rule") or {}
            if criterion["kind"] == Criterion.Kind.COMPUTED and rule.get("source") == "indicator":
                indicators.add(rule["indicator"])
            elif criterion["kind"] == Criterion.Kind.COMPUTED and rule.get("source") == "context":
                fields.add(rule["field"])
    return indicators, fields


def cards_refresh_computed(*, cards: list[ExpertCard]) -> int:
    """Recompute the computed criteria of the given cards (year vs previous year, or a threshold)."""
    if not cards:
        return 0
    years = {card.campaign.year for card in cards} | {card.campaign.year - 1 for card in cards}
    school_ids = {card.school_id for card in cards if card.school_id}
    rows = results_rows(school_ids=school_ids, years=years)
    indicator_codes, context_fields = _value_rules(cards)
    values: dict[str, dict] = {
        "indicator": indicator_values(school_ids=school_ids, years=years, codes=indicator_codes),
        "context": context_values(school_ids=school_ids, years=years, fields=context_fields),
    }
    answers = {
        (a.card_id, a.criterion_code): a for a in CardAnswer.objects.filter(card__in=[c.pk for c in cards])
    }
    changed = []
    for card in cards:
        year = card.campaign.year
        for criterion in snapshot_criteria(card.template_snapshot):
            answer = answers.get((card.pk, criterion["code"]))
            if answer is None or criterion["kind"] != Criterion.Kind.COMPUTED:
                continue
            rule = criterion["rule"]
            if rule.get("source") in VALUE_SOURCES:
                key = rule["indicator"] if rule["source"] == "indicator" else rule["field"]
                source = values[rule["source"]]
                value, detail = value_test(
                    rule,
                    current=source.get((card.school_id, year, key)),
                    previous=source.get((card.school_id, year - 1, key)),
                )
            else:
                value, detail = computed_for(
                    rule,
                    current_rows=rows.get((card.school_id, year), []),
                    previous_rows=rows.get((card.school_id, year - 1), []),
                )
            if (answer.computed, answer.computed_detail) != (value, detail):
                answer.computed, answer.computed_detail = value, detail
                changed.append(answer)
    CardAnswer.objects.bulk_update(changed, ["computed", "computed_detail"], batch_size=500)
    return len(changed)

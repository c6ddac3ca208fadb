"""Section-1 values computed from imported results, for many cards at once (one query for all)."""

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.db.models import Q, Sum

from ..models import CardAnswer, Criterion, ExpertCard
from ..rules import MEASURES, computed_for, snapshot_criteria


def results_rows(*, school_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], list[dict]]:
    """{(school_id, year): [row sums per procedure, subject, grade]} in one aggregate query."""
    result_model = apps.get_model("indicators", "AssessmentResult")
    sums = {}
    for measure in MEASURES:
        # Aliases must not shadow the model's field names (SQL would nest the aggregates).
        sums[f"sum_{measure}"] = Sum(measure, filter=Q(**{f"{measure}__isnull": False}))
        sums[f"sum_{measure}_participants"] = Sum("participants", filter=Q(**{f"{measure}__isnull": False}))
    rows = (
        result_model.objects.filter(school_id__in=list(school_ids), year__in=list(years))
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


def cards_refresh_computed(*, cards: list[ExpertCard]) -> int:
    """Recompute the computed criteria of the given cards from results (year vs previous year)."""
    if not cards:
        return 0
    years = {card.campaign.year for card in cards} | {card.campaign.year - 1 for card in cards}
    rows = results_rows(school_ids={card.school_id for card in cards}, years=years)
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
            value, detail = computed_for(
                criterion["rule"],
                current_rows=rows.get((card.school_id, year), []),
                previous_rows=rows.get((card.school_id, year - 1), []),
            )
            if (answer.computed, answer.computed_detail) != (value, detail):
                answer.computed, answer.computed_detail = value, detail
                changed.append(answer)
    CardAnswer.objects.bulk_update(changed, ["computed", "computed_detail"], batch_size=500)
    return len(changed)

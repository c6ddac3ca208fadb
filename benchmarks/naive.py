"""The straightforward per-school loop, ONLY as a baseline for the compute benchmark.

For each school: one query for its results of the year, one for its context, the shares of DESIGN §4.3
computed in Python, and one bulk insert of its indicator values. That is 3 queries per school — a fairly
good naive loop (a first version often does update_or_create per value). It computes only the shares:
no scaling, indices, ranks, clusters or lists, which our compute does on top, so the ratio measured
against it understates the gain.
"""

from django.db import transaction
from django.utils import timezone

from indicators.computation import RESULT_SHARES, SOCIAL_SHARES, TEACHER_SHARES
from indicators.models import AssessmentResult, ComputationRun, Indicator, IndicatorValue
from schools.models import School, SchoolContext

# The same shares as the compute (indicators.computation): code → (numerator field, denominator field).
CONTEXT_SHARES = {
    **{code: (part, "students") for code, part in SOCIAL_SHARES.items()},
    **{code: (part, "teachers") for code, part in TEACHER_SHARES.items()},
}


def _share(numerator, denominator):
    if not denominator:
        return None, numerator, denominator
    return numerator / denominator * 100, numerator, denominator


def school_shares(results, context) -> dict:
    shares = {}
    for code, (procedure, field) in RESULT_SHARES.items():
        rows = [r for r in results if r.procedure.code == procedure and getattr(r, field) is not None]
        shares[code] = _share(sum(getattr(r, field) for r in rows), sum(r.participants for r in rows))
    for code, (part, whole) in CONTEXT_SHARES.items():
        if context is None or getattr(context, part) is None:
            shares[code] = (None, None, None)
        else:
            shares[code] = _share(getattr(context, part), getattr(context, whole))
    return shares


@transaction.atomic
def compute_year_per_school(year: int) -> dict:
    indicators = dict(
        Indicator.objects.filter(code__in=[*RESULT_SHARES, *CONTEXT_SHARES]).values_list("code", "pk")
    )
    IndicatorValue.objects.filter(year=year).delete()
    run = ComputationRun.objects.create(year=year, started_at=timezone.now())
    written = 0
    for school in School.objects.all():
        results = list(AssessmentResult.objects.filter(school=school, year=year).select_related("procedure"))
        context = SchoolContext.objects.filter(school=school, year=year).first()
        values = [
            IndicatorValue(
                run=run,
                school=school,
                year=year,
                indicator_id=indicators[code],
                value=value,
                numerator=numerator,
                denominator=denominator,
            )
            for code, (value, numerator, denominator) in school_shares(results, context).items()
            if code in indicators
        ]
        IndicatorValue.objects.bulk_create(values)
        written += len(values)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return {"values": written}

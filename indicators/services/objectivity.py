"""The objectivity markers of a year (DESIGN §8): loaded in a fixed number of queries, decided by
`indicators.objectivity`, written in bulk with the computation's run.

The database narrows every query to the rows that can matter (over a threshold, or with a partner row),
so the rows brought into Python are a small part of a year's results; the number of queries does not
depend on the number of schools. «Устойчиво» compares with the list of the year before: the
stored list of that year when it was computed (what staff saw), else with that year evaluated in the
same pass with its rules version.
"""

from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, Sum

from schools.models import Municipality, School, SchoolContext

from .. import objectivity as rules_module
from ..models import (
    AssessmentResult,
    ComputationRun,
    MethodologyRules,
    ObjectivityStatus,
    Procedure,
    Subject,
)
from ..objectivity import Evaluation, ObjectivityRules, ResultRow
from .bulk import insert_rows

STATUS_COLUMNS = [
    "run_id",
    "school_id",
    "year",
    "markers",
    "marker_codes",
    "marker_count",
    "in_list",
    "is_stable",
    "figures",
    "rules",
]
SLACK = 1e-6  # the database filter is a little wider than the rule; the rule itself is applied exactly


def objectivity_rules(rules_model: MethodologyRules) -> ObjectivityRules:
    return ObjectivityRules.from_model(rules_model)


def _rows(queryset) -> list[ResultRow]:
    return [ResultRow(*row) for row in queryset.order_by().values_list(*rules_module.ROW_FIELDS)]


def _pct(column: str):
    return ExpressionWrapper(F(column) * 100.0 / F("participants"), output_field=FloatField())


def objectivity_evaluate(*, year: int, rules: ObjectivityRules, schools: dict | None = None) -> Evaluation:
    """The six markers of every school for `year` (about ten queries, whatever the number of schools).

    `schools`: {school id: municipality id}, loaded here when not given.
    """
    procedures = dict(Procedure.objects.values_list("code", "pk"))
    vpr, oge, kdr = procedures.get("VPR"), procedures.get("OGE"), procedures.get("KDR")
    big = rules.min_participants
    results = AssessmentResult.objects.filter(participants__gte=big)
    year_vpr = results.filter(year=year, procedure_id=vpr)
    shares = year_vpr.alias(
        lowered_pct=_pct("lowered"), raised_pct=_pct("raised"), five_pct=_pct("mark5")
    ).filter(
        Q(lowered_pct__gte=float(rules.lowered) - SLACK)
        | Q(raised_pct__gte=float(rules.raised) - SLACK)
        | Q(five_pct__gte=float(rules.high_band_share) - SLACK)
    )
    if schools is None:
        schools = dict(School.objects.values_list("pk", "municipality_id"))
    region = rules.high_band_group == rules_module.GROUP_REGION
    group_names = {rules_module.REGION_KEY: "регион"}
    if not region:
        group_names.update(Municipality.objects.values_list("pk", "name"))
    kdr_rows = results.filter(year=year, procedure_id=kdr)
    same_key = kdr_rows.filter(
        school_id=OuterRef("school_id"), subject_id=OuterRef("subject_id"), grade=OuterRef("grade")
    )
    oge_rows = (
        results.filter(year=year, procedure_id=oge)
        .alias(below_pct=_pct("below_min"))
        .filter(below_pct__gte=float(rules.mismatch) - SLACK)
    )
    previous_vpr8 = results.filter(year=year - 1, procedure_id=vpr, grade=8, mark2=0)
    return rules_module.evaluate(
        vpr_rows=_rows(shares),
        group_shares=_group_shares(year, vpr, region),
        school_groups=schools,
        group_names=group_names,
        kdr_rows=_rows(kdr_rows),
        vpr_kdr_rows=_rows(year_vpr.filter(Exists(same_key))),
        oge_rows=_rows(
            oge_rows.filter(
                Exists(
                    previous_vpr8.filter(school_id=OuterRef("school_id"), subject_id=OuterRef("subject_id"))
                )
            )
        ),
        vpr8_previous=_rows(
            previous_vpr8.filter(
                Exists(oge_rows.filter(school_id=OuterRef("school_id"), subject_id=OuterRef("subject_id")))
            )
        ),
        medals=list(
            SchoolContext.objects.filter(
                year=year, medal_candidates__gte=1, medal_candidates_unconfirmed__isnull=False
            )
            .order_by()
            .values_list("school_id", "medal_candidates", "medal_candidates_unconfirmed")
        ),
        subjects=dict(Subject.objects.values_list("pk", "name")),
        year=year,
        rules=rules,
    )


def _group_shares(year: int, vpr: int | None, region: bool) -> dict:
    """{(group, subject, grade): (Σ «5», Σ participants)} over every ВПР row of the year with «5» given —
    small rows too: the group's share describes the whole municipality (or region), the school's own rows
    included (DESIGN §8)."""
    group = () if region else ("school__municipality_id",)
    rows = (
        AssessmentResult.objects.filter(year=year, procedure_id=vpr, mark5__isnull=False)
        .values(*group, "subject_id", "grade")
        .annotate(five=Sum("mark5"), total=Sum("participants"))
        .order_by()
        .values_list(*group, "subject_id", "grade", "five", "total")
    )
    if region:
        return {(rules_module.REGION_KEY, s, g): (five, total) for s, g, five, total in rows}
    return {(m, s, g): (five, total) for m, s, g, five, total in rows}


def objectivity_school_ids(*, year: int) -> list[int]:
    """Schools that get a status row for `year`: those with results that year or medal candidates."""
    with_results = (
        AssessmentResult.objects.filter(year=year).order_by().values_list("school_id", flat=True).distinct()
    )
    with_medals = SchoolContext.objects.filter(year=year, medal_candidates__isnull=False).values_list(
        "school_id", flat=True
    )
    return sorted(set(with_results) | set(with_medals))


def rules_model_for(year: int) -> MethodologyRules | None:
    return MethodologyRules.objects.filter(valid_from__lte=year).order_by("-valid_from").first()


def objectivity_compute(
    *, run: ComputationRun, rules_model: MethodologyRules, schools: dict | None = None
) -> dict:
    """Evaluate run.year (and the year before, for «устойчиво») and replace the year's stored markers.

    Returns {school id: [{code, title, text}]} of the schools with markers, for the summary kept on
    the school statuses written beside them (SchoolStatus.objectivity_flags).
    Runs inside the computation's transaction.
    """
    year = run.year
    rules = objectivity_rules(rules_model)
    current = objectivity_evaluate(year=year, rules=rules, schools=schools)
    listed_before = _listed_before(year - 1, rules_model, schools)
    ObjectivityStatus.objects.filter(year=year).delete()
    snapshot = _json(rules.snapshot())
    markers_of = {}
    rows = []
    for school in sorted(set(objectivity_school_ids(year=year)) | set(current.figures)):
        markers = current.markers(school)
        markers_of[school] = markers
        listed = rules_module.is_listed(markers, rules)
        rows.append(
            (
                run.pk,
                school,
                year,
                _json(markers),
                marker_codes(markers),
                len(markers),
                listed,
                listed and school in listed_before,
                _json(current.figures.get(school, {})),
                snapshot,
            )
        )
    insert_rows(model=ObjectivityStatus, columns=STATUS_COLUMNS, rows=rows)
    return {
        school: flags_for_status(markers, current.figures[school])
        for school, markers in markers_of.items()
        if markers
    }


def marker_codes(markers: list[str]) -> str:
    """«,a,b,» (empty without markers): `marker_codes__contains=",a,"` finds a marker on both databases."""
    return f",{','.join(markers)}," if markers else ""


def _listed_before(year: int, rules_model: MethodologyRules, schools: dict | None) -> set[int]:
    """The list of `year`: as stored when that year was computed (what staff saw and acted on), else
    evaluated now with the rules version of that year."""
    stored = ObjectivityStatus.objects.filter(year=year)
    if stored.exists():
        return set(stored.filter(in_list=True).values_list("school_id", flat=True))
    rules = objectivity_rules(rules_model_for(year) or rules_model)
    previous = objectivity_evaluate(year=year, rules=rules, schools=schools)
    return {school for school in previous.figures if rules_module.is_listed(previous.markers(school), rules)}


def flags_for_status(markers: list[str], figures: dict) -> list[dict]:
    """The summary kept on SchoolStatus.objectivity_flags (code, title, text) for the API and reports."""
    return [
        {
            "code": code,
            "title": rules_module.MARKERS[code],
            "text": rules_module.marker_text(code, figures[code]),
        }
        for code in markers
    ]


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

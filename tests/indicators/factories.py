from indicators.models import AssessmentResult, MethodologyRules, Procedure, Subject
from indicators.reference import PROCEDURES, SUBJECTS

PROCEDURE_NAMES = dict(PROCEDURES)
SUBJECT_NAMES = dict(SUBJECTS)


def result(school, year, procedure, subject, grade, participants, **counts) -> AssessmentResult:
    """An assessment result row of `school`; `procedure` and `subject` are codes, found in the catalogue or
    made with their catalogue names (indicators.reference) when a test has not seeded it."""
    procedure_row, _ = Procedure.objects.get_or_create(
        code=procedure, defaults={"name": PROCEDURE_NAMES[procedure]}
    )
    subject_row, _ = Subject.objects.get_or_create(code=subject, defaults={"name": SUBJECT_NAMES[subject]})
    return AssessmentResult.objects.create(
        school=school,
        year=year,
        procedure=procedure_row,
        subject=subject_row,
        grade=grade,
        participants=participants,
        **counts,
    )


def rules_form_data(**changes) -> dict:
    """The POST of the methodology rules form: the seeded rules of 2000 with every weight 1, then `changes`
    (a missing `cluster_scope` keeps the version's own scope)."""
    data = {
        "valid_from": 2000,
        "size_edge_small": 100,
        "size_edge_large": 500,
        "low_results_share": "0.1",
        "low_results_years": 2,
        "unfavourable_share": "0.1",
        "min_participants": 0,
        "lowered_threshold": 30,
        "raised_threshold": 15,
        "mismatch_threshold": 10,
        "objectivity_min_participants": 10,
        "objectivity_min_rows": 2,
        "high_band_share": 30,
        "high_band_ratio": 2,
        "high_band_group": "municipality",
        "kdr_gap": "0.7",
        "medal_unconfirmed_share": 30,
        "objectivity_list_markers": 2,
        "comment": "",
    }
    for code in MethodologyRules.objects.get(valid_from=2000).weights:
        data[f"weight_{code}"] = 1
    return {**data, **changes}

import factory

from indicators.models import AssessmentResult, MethodologyRules, Procedure, Subject
from tests.factories import SchoolFactory


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ["code"]

    code = "VPR"
    name = "ВПР"


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ["code"]

    code = "russian"
    name = "Русский язык"


class AssessmentResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentResult

    school = factory.SubFactory(SchoolFactory)
    year = 2024
    procedure = factory.SubFactory(ProcedureFactory)
    subject = factory.SubFactory(SubjectFactory)
    grade = 5
    participants = 20


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

"""Section-1 values computed from results, on hand-worked data (year 2025 versus 2024)."""

import pytest

from monitoring.models import CardAnswer
from monitoring.services import campaign_refresh_computed
from tests.indicators.factories import result
from tests.monitoring.factories import make_campaign

EXPECTED_A = {
    "1.1": True,  # ЕГЭ+ГВЭ-11 russian below min: (2+1)/(20+5) = 12 % → (1+1)/(25+5) = 6.7 %
    "1.2": True,  # ЕГЭ math below min: 0/10 = 0 % → 0/12 = 0 %, stays at 0 %
    "1.3": False,  # ОГЭ russian below min: 2/40 = 5 % → 4/40 = 10 %
    "1.4": None,  # ОГЭ math: no 2024 row
    "1.5": True,  # ВПР russian 5: 10/50 = 20 % → 6/48 = 12.5 % (the grade 7 row is not counted)
    "1.6": False,  # ВПР russian 6: 5/50 = 10 % → 4/40 = 10 %, unchanged and not 0
    "1.7": None,  # ВПР math 5: the 2024 row has no mark-2 count
    "1.8": True,  # ВПР math 6: 0/20 → 0/25, stays at 0 %
    "1.9": True,  # ЕГЭ math high: 2/10 = 20 % → 3/12 = 25 %
    "1.10": False,  # ЕГЭ russian high: 4/20 = 20 % → 5/25 = 20 % (ГВЭ rows have no high count)
    "1.11": None,  # ОГЭ math mark 5: no 2024 row
    "1.12": False,  # ОГЭ russian mark 5: 8/40 = 20 % → 6/40 = 15 %
}


def _results_a(school):
    for year, rows in {
        2024: [
            ("EGE", "russian", 11, 20, {"below_min": 2, "high": 4}),
            ("GVE11", "russian", 11, 5, {"below_min": 1}),
            ("EGE", "math-profile", 11, 10, {"below_min": 0, "high": 2}),
            ("OGE", "russian", 9, 40, {"below_min": 2, "mark5": 8}),
            ("VPR", "russian", 5, 50, {"mark2": 10}),
            ("VPR", "russian", 6, 50, {"mark2": 5}),
            ("VPR", "math", 5, 30, {}),
            ("VPR", "math", 6, 20, {"mark2": 0}),
        ],
        2025: [
            ("EGE", "russian", 11, 25, {"below_min": 1, "high": 5}),
            ("GVE11", "russian", 11, 5, {"below_min": 1}),
            ("EGE", "math-profile", 11, 12, {"below_min": 0, "high": 3}),
            ("OGE", "russian", 9, 40, {"below_min": 4, "mark5": 6}),
            ("OGE", "math", 9, 30, {"below_min": 3, "mark5": 4}),
            ("VPR", "russian", 5, 48, {"mark2": 6}),
            ("VPR", "russian", 6, 40, {"mark2": 4}),
            ("VPR", "russian", 7, 30, {"mark2": 30}),
            ("VPR", "math", 5, 30, {"mark2": 3}),
            ("VPR", "math", 6, 25, {"mark2": 0}),
        ],
    }.items():
        for procedure, subject, grade, participants, counts in rows:
            result(school, year, procedure, subject, grade, participants, **counts)


def test_all_twelve_section_one_criteria_on_hand_worked_data(school_a):
    _results_a(school_a)
    campaign = make_campaign(schools=[school_a])
    answers = {a.criterion_code: a for a in CardAnswer.objects.filter(card__campaign=campaign)}
    assert {code: answers[code].computed for code in EXPECTED_A} == EXPECTED_A
    assert answers["1.1"].computed_detail["previous"] == "12,0"
    assert answers["1.1"].computed_detail["current"] == "6,7"
    assert answers["1.1"].computed_detail["previous_counts"] == [3, 25]
    assert answers["1.4"].computed_detail["text"] == "нет данных"
    assert answers["1.7"].computed_detail["text"] == "нет данных"
    assert answers["2.1"].computed is None and answers["2.1"].computed_detail == {}


def test_a_share_that_stays_at_100_percent_counts_as_increase(school_b):
    result(school_b, 2024, "OGE", "russian", 9, 10, mark5=10)
    result(school_b, 2025, "OGE", "russian", 9, 12, mark5=12)
    campaign = make_campaign(schools=[school_b])
    assert CardAnswer.objects.get(card__campaign=campaign, criterion_code="1.12").computed is True


def test_no_results_at_all_gives_no_data_everywhere(school_a):
    campaign = make_campaign(schools=[school_a])
    computed = CardAnswer.objects.filter(card__campaign=campaign, criterion_code__startswith="1.")
    assert {a.computed for a in computed} == {None}
    assert {a.computed_detail["text"] for a in computed} == {"нет данных"}


@pytest.mark.django_db
def test_refresh_after_new_results_and_query_count_does_not_grow(
    school_a, school_b, django_assert_max_num_queries
):
    campaign = make_campaign(schools=[school_a, school_b])
    result(school_a, 2024, "OGE", "russian", 9, 10, below_min=2)
    result(school_a, 2025, "OGE", "russian", 9, 10, below_min=1)
    with django_assert_max_num_queries(6):
        assert campaign_refresh_computed(campaign=campaign) == 1
    assert CardAnswer.objects.get(card__school=school_a, criterion_code="1.3").computed is True

"""Results of every monitoring: the comparison with the previous campaign, the analysis per kind of
monitoring, the xlsx that opens with answers and comparison."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import ExpertCard
from monitoring.results import monitoring_effectiveness
from monitoring.selectors import campaign_results
from tests.monitoring.factories import make_campaign


def _score(campaign, school, score, level):
    ExpertCard.objects.filter(campaign=campaign, school=school).update(
        status="verified", score=score, level=level
    )


@pytest.fixture
def two_years(school_a, school_b):
    before = make_campaign(schools=[school_a, school_b], year=2024)
    after = make_campaign(schools=[school_a, school_b], year=2025)
    _score(before, school_a, 11, "medium")  # 11/17 = 64,7 %
    _score(before, school_b, 13, "medium")  # 13/17 = 76,5 %
    _score(after, school_a, 14, "high")  # 14/17 = 82,4 %
    _score(after, school_b, 9, "low")  # 9/17 = 52,9 %
    return before, after


def test_effectiveness_per_kind_of_monitoring(two_years, django_assert_max_num_queries):
    before, after = two_years
    with django_assert_max_num_queries(2):
        effects = monitoring_effectiveness(year=2025)
    (effect,) = effects
    assert (effect.slug, effect.previous, effect.participants, effect.verified) == (
        "lesosibirsk-shnor",
        before,
        2,
        2,
    )
    # (82,35 + 52,94) / 2 = 67,65 %; before (64,71 + 76,47) / 2 = 70,59 %
    assert round(effect.mean_share, 2) == 67.65 and round(effect.previous_mean_share, 2) == 70.59
    assert effect.levels == {"high": 1, "medium": 0, "low": 1}
    assert effect.previous_levels == {"high": 0, "medium": 2, "low": 0}
    # A: medium → high, B: medium → low
    assert (effect.improved, effect.worsened, effect.same) == (1, 1, 0)


def test_results_compare_each_participant_and_criterion_with_the_previous_campaign(two_years, school_a):
    before, after = two_years
    ExpertCard.objects.get(campaign=after, school=school_a).answers.filter(criterion_code="3.1").update(
        points=1, claimed=True
    )
    results = campaign_results(campaign=after)
    deltas = {r["card"].school.code: r["delta"] for r in results["rows"]}
    assert deltas == {"A001": 3, "B001": -4}  # 14 − 11, 9 − 13
    by_code = {c["code"]: c for c in results["comparison"]["criteria"]}
    assert (by_code["3.1"]["now"], by_code["3.1"]["then"]) == (1, 0)
    assert results["comparison"]["levels_then"] == {"high": 0, "medium": 2, "low": 0}


def test_results_xlsx_has_answers_and_comparison(two_years, client_for, inspector):
    _, after = two_years
    response = client_for(inspector).get(reverse("monitoring:campaign-export", args=[after.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    answers = list(workbook["Ответы"].values)
    assert answers[0][:3] == ("Код", "Участник", answers[0][2]) and answers[0][2].startswith("1.1 ")
    assert answers[1][:3] == ("A001", "Школа А", "нет")
    comparison = list(workbook["Сравнение"].values)
    assert comparison[0] == ("Критерий", "Показатель", "Участников с баллом", "В прошлом мониторинге")
    assert len(comparison) == 18  # a header and the 17 criteria


def test_effectiveness_page_shows_each_monitoring(two_years, client_for, inspector):
    page = client_for(inspector).get(reverse("roadmaps:effectiveness") + "?year=2025")
    body = page.content.decode()
    assert "По каждому виду мониторинга" in body
    assert "67,6" in body and "70,6" in body and "1 / 0 / 1" in body

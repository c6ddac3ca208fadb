import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import ComputationRun, Indicator, IndicatorValue, SchoolStatus
from indicators.services.overrides import status_override_create
from roadmaps.effectiveness import BETTER, NO_DATA, SAME, WORSE, effectiveness_report
from tests.factories import SchoolFactory
from tests.roadmaps.factories import DecisionFactory

# (code, name, short name, formula, polarity) of the two results indicators, in their order
INDICATORS = [
    (
        "vpr_fail_share",
        "Доля отметок «2» по ВПР",
        "«2» по ВПР",
        "Σ mark2 / Σ participants × 100",
        Indicator.Polarity.HIGHER_IS_WORSE,
    ),
    (
        "ege_high_share",
        "Доля высоких результатов ЕГЭ",
        "Высокие ЕГЭ",
        "Σ high / Σ participants × 100",
        Indicator.Polarity.HIGHER_IS_BETTER,
    ),
]
# (school, indicator, year) → value; «None» rows are missing.
VALUES = {
    ("A", "vpr_fail_share", 2024): 20.0,
    ("A", "vpr_fail_share", 2025): 12.5,
    ("A", "ege_high_share", 2024): 10.0,
    ("A", "ege_high_share", 2025): 5.0,
    ("B", "vpr_fail_share", 2024): 8.0,
    ("B", "vpr_fail_share", 2025): 8.0,
    ("B", "ege_high_share", 2025): 30.0,
    ("C", "vpr_fail_share", 2024): 5.0,
    ("C", "vpr_fail_share", 2025): 9.0,
    ("C", "ege_high_share", 2024): 20.0,
    ("C", "ege_high_share", 2025): 25.0,
}
# (school, year) → (ШНОР, ШНСУ) as computed
STATUSES = {
    ("A", 2024): (True, False),
    ("A", 2025): (False, False),
    ("B", 2024): (False, False),
    ("B", 2025): (False, True),
    ("C", 2024): (True, True),
    ("C", 2025): (True, False),
    ("D", 2025): (True, False),
}


@pytest.fixture
def two_years(inspector):
    schools = {name: SchoolFactory(code=f"E00{name}", short_name=f"Школа {name}") for name in "ABCD"}
    indicators = {
        code: Indicator.objects.create(
            code=code,
            name=name,
            short_name=short_name,
            group="results",
            formula=formula,
            polarity=polarity,
            order=order,
        )
        for order, (code, name, short_name, formula, polarity) in enumerate(INDICATORS, start=1)
    }
    runs = {
        year: ComputationRun.objects.create(year=year, started_at=timezone.now()) for year in (2024, 2025)
    }
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                run=runs[year], school=schools[s], year=year, indicator=indicators[code], value=value
            )
            for (s, code, year), value in VALUES.items()
        ]
    )
    SchoolStatus.objects.bulk_create(
        [
            SchoolStatus(run=runs[year], school=schools[s], year=year, low_results=low, unfavourable=unfav)
            for (s, year), (low, unfav) in STATUSES.items()
        ]
    )
    status_override_create(
        school=schools["C"],
        year=2025,
        list_kind="low_results",
        decision="exclude",
        reason="Результаты подтверждены перепроверкой",
        user=inspector,
    )
    return schools


def _changes(report, code):
    effect = next(e for e in report.schools if e.school.code == code)
    return [(c.code, c.before, c.after, c.change, c.verdict) for c in effect.changes], effect


def test_each_school_is_compared_with_the_previous_year_by_polarity(two_years):
    report = effectiveness_report(year=2025)

    assert [e.school.code for e in report.schools] == ["E00A", "E00B", "E00C", "E00D"]
    changes, effect_a = _changes(report, "E00A")
    assert changes == [
        ("vpr_fail_share", 20.0, 12.5, -7.5, BETTER),
        ("ege_high_share", 10.0, 5.0, -5.0, WORSE),
    ]
    changes, _ = _changes(report, "E00B")
    assert changes == [("vpr_fail_share", 8.0, 8.0, 0.0, SAME), ("ege_high_share", None, 30.0, None, NO_DATA)]
    changes, effect_c = _changes(report, "E00C")
    assert changes == [("vpr_fail_share", 5.0, 9.0, 4.0, WORSE), ("ege_high_share", 20.0, 25.0, 5.0, BETTER)]
    assert [(lc.code, lc.before, lc.after, lc.verdict) for lc in effect_a.lists] == [
        ("low_results", True, False, BETTER),
        ("unfavourable", False, False, SAME),
    ]
    # the inspector's exclusion counts: C left both lists
    assert [(lc.before, lc.after) for lc in effect_c.lists] == [(True, False), (True, False)]


def test_share_of_schools_whose_list_position_improved_or_worsened(two_years):
    report = effectiveness_report(year=2025)

    assert (report.compared, report.list_improved, report.list_worsened) == (3, 2, 1)
    assert report.list_improved_share == pytest.approx(200 / 3)
    assert report.list_worsened_share == pytest.approx(100 / 3)
    assert [s.code for s in report.entered["unfavourable"]] == ["E00B"]
    assert [s.code for s in report.left["low_results"]] == ["E00A", "E00C"]
    totals = {
        t["indicator"].code: (t["better"], t["worse"], t["same"], t["no_data"])
        for t in report.indicator_totals()
    }
    assert totals == {"vpr_fail_share": (1, 1, 1, 1), "ege_high_share": (1, 1, 0, 2)}


def test_a_decision_is_judged_by_the_mean_over_its_schools(two_years):
    decision = DecisionFactory(year=2025, title="КПК для учителей ШНОР")
    decision.schools.set([two_years["A"], two_years["C"]])
    DecisionFactory(year=2024).schools.set([two_years["A"]])

    report = effectiveness_report(year=2025)

    assert [d.decision.title for d in report.decisions] == ["КПК для учителей ШНОР"]
    effect = report.decisions[0]
    assert [(c.code, c.before, c.after, c.change, c.verdict) for c in effect.changes] == [
        ("vpr_fail_share", 12.5, 10.75, -1.75, BETTER),
        ("ege_high_share", 15.0, 15.0, 0.0, SAME),
    ]
    assert (effect.improved, effect.worsened) == (
        {"vpr_fail_share": 1, "ege_high_share": 1},
        {"vpr_fail_share": 1, "ege_high_share": 1},
    )
    assert (effect.list_before, effect.list_after) == (
        {"low_results": 2, "unfavourable": 1},
        {"low_results": 0, "unfavourable": 0},
    )


def test_queries_do_not_grow_with_schools(two_years, django_assert_max_num_queries):
    DecisionFactory(year=2025).schools.set(two_years.values())

    # 8 + 1: the objectivity markers of both years (whether they went away, DESIGN §8)
    with django_assert_max_num_queries(9):
        effectiveness_report(year=2025)


def test_effectiveness_page_and_export(client_for, inspector, two_years):
    client = client_for(inspector)

    page = client.get("/roadmaps/effectiveness/?year=2025").content.decode()
    export = client.get("/roadmaps/effectiveness/export.xlsx?year=2025")

    assert "66,7\xa0%" in page and "33,3\xa0%" in page  # schools.formatting.share
    assert "<svg" in page
    book = load_workbook(io.BytesIO(export.content))
    rows = [[c.value for c in row] for row in book["По школам"].iter_rows(min_row=2)]
    assert rows[:2] == [
        ["E00A", "Школа A", "«2» по ВПР", 20, 12.5, -7.5, "лучше"],
        ["E00A", "Школа A", "Высокие ЕГЭ", 10, 5, -5, "хуже"],
    ]
    assert rows[2] == ["E00A", "Школа A", "ШНОР", "в списке", "не в списке", None, "вышла из списка"]


def test_a_reverted_override_restores_the_computed_membership(two_years, inspector):
    status_override_create(
        school=two_years["C"],
        year=2025,
        list_kind="low_results",
        decision="revert",
        reason="Решение отменено",
        user=inspector,
    )

    report = effectiveness_report(year=2025)

    _, effect_c = _changes(report, "E00C")
    assert [(lc.before, lc.after) for lc in effect_c.lists] == [(True, True), (True, False)]
    assert (report.list_improved, report.list_worsened) == (2, 1)


# --- issue 17 item 9: a decision is rated only on results produced after it -------------------------


def test_a_decision_taken_during_its_school_year_is_rated_on_that_year_against_the_one_before(two_years):
    decision = DecisionFactory(year=2025, document_date=date(2026, 3, 2))  # 2025/2026; 2024/2025 had ended
    decision.schools.set([two_years["A"], two_years["C"]])

    effect = effectiveness_report(year=2025).decisions[0]

    assert (effect.before_year, effect.after_year, effect.note) == (2024, 2025, "")
    assert [(c.code, c.before, c.after) for c in effect.changes] == [
        ("vpr_fail_share", 12.5, 10.75),
        ("ege_high_share", 15.0, 15.0),
    ]


def test_a_decision_signed_before_its_school_year_is_compared_with_the_last_year_that_ended_before_it(
    two_years,
):
    # recorded under 2025/2026 but signed on 20.05.2025, inside 2024/2025: the results of 2024/2025 were
    # produced after it, so its baseline is 2023/2024 (A 30, C 6 → mean 18) and 2025/2026 is compared with it
    run = ComputationRun.objects.create(year=2023, started_at=timezone.now())
    vpr = Indicator.objects.get(code="vpr_fail_share")
    for name, value in (("A", 30.0), ("C", 6.0)):
        IndicatorValue.objects.create(run=run, school=two_years[name], year=2023, indicator=vpr, value=value)
    decision = DecisionFactory(year=2025, document_date=date(2025, 5, 20))
    decision.schools.set([two_years["A"], two_years["C"]])

    effect = effectiveness_report(year=2025).decisions[0]

    assert (effect.before_year, effect.after_year) == (2023, 2025)
    assert [(c.code, c.before, c.after, c.verdict) for c in effect.changes] == [
        ("vpr_fail_share", 18.0, 10.75, BETTER),
        ("ege_high_share", None, None, NO_DATA),  # no school has both years: no mean is compared
    ]


def test_a_decision_taken_after_the_compared_years_is_not_rated_and_says_why(two_years):
    # recorded under 2025/2026 but signed on 10.09.2026, after 2025/2026 ended: no results after it yet
    decision = DecisionFactory(year=2025, document_date=date(2026, 9, 10))
    decision.schools.set([two_years["A"], two_years["C"]])

    effect = effectiveness_report(year=2025).decisions[0]

    assert (effect.before_year, effect.after_year, effect.changes) == (2025, None, [])
    assert effect.note == (
        "Оценить решение пока нельзя: оно принято 10.09.2026, а результатов за 2026/2027 учебный год — "
        "первый, закончившийся после решения, — в портале ещё нет."
    )


def test_a_decision_without_results_before_it_says_so(two_years):
    decision = DecisionFactory(year=2025, document_date=date(2024, 11, 5))  # baseline 2023/2024: no data
    decision.schools.set([two_years["A"]])

    effect = effectiveness_report(year=2025).decisions[0]

    assert (effect.before_year, effect.after_year, effect.changes) == (2023, None, [])
    assert effect.note == (
        "Оценить решение нельзя: нет результатов его школ за 2023/2024 учебный год — последний, "
        "закончившийся до решения (05.11.2024)."
    )


def test_the_page_shows_the_reason_instead_of_a_rating(client_for, inspector, two_years):
    decision = DecisionFactory(year=2025, title="Поздний приказ", document_date=date(2026, 9, 10))
    decision.schools.set([two_years["A"]])

    page = client_for(inspector).get("/roadmaps/effectiveness/?year=2025").content.decode()

    block = page[page.index(f'id="decision-{decision.pk}"') :]
    block = block[: block.index("</details>")]
    assert "Оценить решение пока нельзя: оно принято 10.09.2026" in block
    assert "<table" not in block and "лучше" not in block

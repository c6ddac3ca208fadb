"""Section 1 of the expert card on plain rows, without a database: which rows a rule sums, the dynamic
versus the previous year and the Russian explanation shown next to the computed criterion."""

from fractions import Fraction

from monitoring.rules import computed_for, dynamic_positive, number_meets, rule_totals

RULE = {
    "measure": "mark2",
    "procedures": ["VPR"],
    "subjects": ["Русский язык"],
    "grades": [5],
    "direction": "decrease",
}


def row(procedure, subject, grade, mark2, participants):
    return {
        "procedure": procedure,
        "subject": subject,
        "grade": grade,
        "mark2": mark2,
        "mark2_participants": participants,
    }


CURRENT = [
    row("VPR", "Русский язык", 5, 3, 30),
    row("VPR", "Русский язык", 6, 10, 10),  # another grade
    row("VPR", "Математика", 5, 10, 10),  # another subject
    row("OGE", "Русский язык", 5, 10, 10),  # another procedure
]
PREVIOUS = [row("VPR", "Русский язык", 5, 5, 25), row("VPR", "Русский язык", 5, None, None)]


def test_rule_totals_sum_only_the_matching_rows():
    assert (rule_totals(RULE, CURRENT).measure, rule_totals(RULE, CURRENT).participants) == (3, 30)
    # the row without the measure adds nothing
    assert rule_totals(RULE, PREVIOUS).share == Fraction(1, 5)
    # a rule without grades takes every grade: 3 + 10 of 30 + 10
    assert rule_totals({**RULE, "grades": []}, CURRENT).share == Fraction(13, 40)
    assert rule_totals(RULE, []).share is None


def test_dynamic_positive_by_direction_with_steady_0_and_100_percent_positive():
    decrease, increase = RULE, {**RULE, "direction": "increase"}
    half, fifth = Fraction(1, 2), Fraction(1, 5)

    assert dynamic_positive(decrease, current=fifth, previous=half) is True
    assert dynamic_positive(decrease, current=half, previous=half) is False
    assert dynamic_positive(decrease, current=Fraction(0), previous=Fraction(0)) is True
    assert dynamic_positive(increase, current=half, previous=fifth) is True
    assert dynamic_positive(increase, current=Fraction(1), previous=Fraction(1)) is True
    assert dynamic_positive(increase, current=fifth, previous=None) is None


def test_computed_for_explains_the_dynamic_in_russian():
    # 3/30 = 10,0 % this year against 5/25 = 20,0 % the year before: the «2» share went down
    positive, detail = computed_for(RULE, current_rows=CURRENT, previous_rows=PREVIOUS)

    assert positive is True
    assert detail == {
        "current": "10,0",
        "previous": "20,0",
        "current_counts": [3, 30],
        "previous_counts": [5, 25],
        "text": "доля «отметка «2»» снизилась: 20,0\xa0% → 10,0\xa0% — положительная динамика",
    }


def test_computed_for_without_the_previous_year_is_no_data():
    positive, detail = computed_for(RULE, current_rows=CURRENT, previous_rows=[])

    assert positive is None
    assert (detail["previous"], detail["previous_counts"], detail["text"]) == (None, [0, 0], "нет данных")


def test_number_meets_compares_exact_decimals():
    assert number_meets(value="4.5", threshold=4.5) is True
    assert number_meets(value=4.49, threshold="4.5") is False
    assert number_meets(value=0, threshold=None) is True
    assert number_meets(value=None, threshold=0) is False

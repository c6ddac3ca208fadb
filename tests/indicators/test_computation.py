"""The pure arithmetic of indicators/computation.py on plain lists, without a database.

Every expected value is worked out by hand in the comment next to it; test_compute.py checks the same
rules end to end through the database on a whole municipality.
"""

from decimal import Decimal

import pytest

from indicators.computation import (
    Column,
    Rules,
    Spec,
    cluster_label,
    describe,
    evaluate_year,
    group_positions,
    pick,
    rank_ascending,
    rank_in_groups,
    rank_threshold,
    result_columns,
    scale_population,
    share,
    shown_rank,
    size_band,
    weighted_index,
)


def test_share_is_a_percentage_and_none_without_data():
    assert share(3, 4) == 75.0
    assert (share(None, 4), share(1, 0), share(1, None)) == (None, None, None)


def test_rank_threshold_is_the_floor_of_the_exact_decimal_product_and_at_least_one():
    assert rank_threshold(Decimal("0.1"), 30) == 3  # float 0.1 × 30 would be 3.0000000000000004
    assert rank_threshold(Decimal("0.1"), 9) == 1  # ⌊0.9⌋ = 0 → max(1, 0)
    assert rank_threshold(Decimal("0.25"), 10) == 2  # ⌊2.5⌋


def test_size_band_and_cluster_label():
    edges = (100, 500)
    assert [size_band(s, edges) for s in (99, 100, 499, 500)] == ["<100", "100–499", "100–499", "≥500"]
    assert (
        cluster_label(municipality="Лесосибирск", settlement="village", students=99, edges=edges)
        == "Лесосибирск · село · <100"
    )
    assert cluster_label(municipality="Лесосибирск", settlement="town", students=None, edges=edges) == ""


def test_rank_ascending_gives_ties_the_lower_rank_like_sql_rank():
    # ascending 10 (positions 1 and 3), 20, 30 → 1, 1, 3, 4
    assert rank_ascending([30, 10, 20, 10]) == [4, 1, 3, 1]
    # descending 30, 20, 10, 10 → 1, 2, 3, 3
    assert rank_ascending([30, 10, 20, 10], descending=True) == [1, 3, 2, 3]


def test_group_positions_skips_positions_without_a_label():
    assert group_positions(["a", "", "b", "a", None]) == {"a": [0, 3], "b": [2]}


def _column(values, is_low_data=None):
    nothing = [None] * len(values)
    return Column.of(list(values), nothing, nothing, is_low_data)


def test_scale_population_min_max_risk_and_rank_of_the_worst_first():
    # higher is worse over 40, 10, 20 (position 2 has no data): risk (x − 10) / 30 → 1, 0, 1/3
    worse_high = _column([40.0, 10.0, None, 20.0])
    scale_population(worse_high, [0, 1, 2, 3], higher_is_worse=True, is_flag=False)
    assert worse_high.risk == [1.0, 0.0, None, pytest.approx(1 / 3)]
    assert worse_high.rank == [1, 3, None, 2]
    assert worse_high.population_size == [3, 3, None, 3]

    # lower is worse: risk (40 − x) / 30 → 0, 1, 2/3
    worse_low = _column([40.0, 10.0, None, 20.0])
    scale_population(worse_low, [0, 1, 2, 3], higher_is_worse=False, is_flag=False)
    assert worse_low.risk == [0.0, 1.0, None, pytest.approx(2 / 3)]
    assert worse_low.rank == [3, 1, None, 2]


def test_scale_population_equal_values_and_too_few_participants():
    equal = _column([5.0, 5.0])
    scale_population(equal, [0, 1], higher_is_worse=True, is_flag=False)
    assert (equal.risk, equal.rank) == ([0.0, 0.0], [1, 1])

    # position 1 has too few participants: out of the population, which is 10 and 30 only
    low_data = _column([10.0, 50.0, 30.0], is_low_data=[False, True, False])
    scale_population(low_data, [0, 1, 2], higher_is_worse=True, is_flag=False)
    assert (low_data.risk, low_data.rank, low_data.population_size) == (
        [0.0, None, 1.0],
        [2, None, 1],
        [2, None, 2],
    )


def test_scale_population_of_a_flag_takes_the_flag_as_its_risk():
    harmful = _column([1.0, 0.0, 1.0])
    scale_population(harmful, [0, 1, 2], higher_is_worse=True, is_flag=True)
    assert (harmful.risk, harmful.rank) == ([1.0, 0.0, 1.0], [1, 3, 1])

    helpful = _column([1.0, 0.0, 1.0])
    scale_population(helpful, [0, 1, 2], higher_is_worse=False, is_flag=True)
    assert (helpful.risk, helpful.rank) == ([0.0, 1.0, 0.0], [2, 1, 2])


def test_weighted_index_is_100_times_one_minus_the_weighted_mean_risk():
    a, b = _column([None] * 4), _column([None] * 4)
    a.risk = [1.0, 0.0, None, 0.0]
    b.risk = [0.5, None, None, 0.0]
    rules = Rules(weights={"a": 2, "b": "не число"})  # b's weight is unreadable → 1

    index = weighted_index({"a": a, "b": b}, ["a", "b", "missing"], [0, 1, 2], rules, 4)

    # position 0: (2 × 1 + 1 × 0.5) / 3 = 5/6 → 100/6; position 1: only a, risk 0 → 100;
    # position 2: no risk at all → None; position 3 is not listed → None
    assert index == [pytest.approx(100 / 6), 100.0, None, None]


def test_rank_in_groups_ranks_the_positions_with_an_index_inside_each_group():
    index = [50.0, None, 20.0, 20.0, 70.0]

    assert rank_in_groups(index, [[0, 1, 2], [3, 4]]) == [(2, 2), None, (1, 2), (1, 2), (2, 2)]


def test_result_columns_from_the_sums_tuple_with_the_participants_minimum():
    # SUMS order: ЕГЭ high, ЕГЭ below minimum, ОГЭ below minimum, ВПР «2», ВПР lowered, ВПР raised,
    # each as (Σ column, Σ participants)
    sums = [(5, 20, 0, 20, 3, 12, 4, 40, 12, 40, 2, 40), None]

    columns = result_columns(sums, Rules(min_participants=15))

    assert {code: c.value for code, c in columns.items()} == {
        "ege_high_share": [25.0, None],
        "ege_below_min_share": [0.0, None],
        "oge_below_min_share": [25.0, None],
        "vpr_fail_share": [10.0, None],
        "vpr_lowered_share": [30.0, None],
    }
    # 12 ОГЭ participants < 15: low data; a school without results is no data, not low data
    assert [code for code, c in columns.items() if c.is_low_data[0]] == ["oge_below_min_share"]
    assert all(c.is_low_data[1] is False for c in columns.values())
    assert (columns["vpr_fail_share"].numerator, columns["vpr_fail_share"].denominator) == (
        [4, None],
        [40, None],
    )


def test_evaluate_year_results_only_on_one_cluster_of_three():
    # Schools 1–3: town, 150 students → one cluster. School 4 has results but no context → no cluster.
    flags = (False, False, False, False)
    schools = {sid: ("Город", "town", *flags) for sid in (1, 2, 3, 4)}
    context = (150, 10, *[0] * 9)
    # ВПР «2»: 1 → 20/40 = 50 %, 2 → 4/40 = 10 %, 3 → 8/40 = 20 %, 4 → 40/40 = 100 %
    empty = (None, 0) * 3
    sums = {sid: (*empty, fail, 40, None, 0, None, 0) for sid, fail in ((1, 20), (2, 4), (3, 8), (4, 40))}
    catalogue = [Spec("vpr_fail_share", "results", "results", higher_is_worse=True, is_flag=False)]

    year = evaluate_year(
        schools=schools,
        sums=sums,
        contexts={1: context, 2: context, 3: context},
        rules=Rules(),
        catalogue=catalogue,
        results_only=True,
    )

    cluster = "Город · город · 100–499"
    assert year.sids == [1, 2, 3, 4]
    assert year.cluster == [cluster, cluster, cluster, ""]
    # risk (x − 10) / 40 → 1, 0, 0.25; index 100 × (1 − risk) → 0, 100, 75
    assert year.results_index == [pytest.approx(0.0), 100.0, pytest.approx(75.0), None]
    assert year.place == [(1, 3), (3, 3), (2, 3), None]
    # threshold max(1, ⌊0.1 × 3⌋) = 1: only the last of the cluster is low
    assert year.low == [True, False, False, False]
    assert year.cluster_sizes == {cluster: 3}
    assert (year.social_index, year.unfavourable) == ([None] * 4, [False] * 4)


def test_describe_and_pick():
    assert describe([1, 2, 10]) == {
        "count": 3,
        "median": 2,
        "mean": pytest.approx(13 / 3),
        "minimum": 1,
        "maximum": 10,
    }
    assert describe([]) == {"count": 0, "median": None, "mean": None, "minimum": None, "maximum": None}
    assert pick([5, None, 7], [0, 1, 2]) == [5, 7]
    assert (pick([None, 3], [0]), pick([None, 3], [1])) == ([], [3])


def test_a_page_shows_no_place_for_a_school_without_a_value_or_without_the_flag():
    # a flag not carried («нет»): no place, whatever RANK gave it
    assert shown_rank(value=0.0, risk=0.0, rank=1, is_flag=True) is None
    assert shown_rank(value=0.0, risk=0.0, rank=3, is_flag=True) is None
    assert shown_rank(value=1.0, risk=1.0, rank=1, is_flag=True) == 1
    # no value: no place
    assert shown_rank(value=None, risk=None, rank=None, is_flag=False) is None
    # a share where every school ties (spread 0): all are «first» at no risk — no place
    assert shown_rank(value=12.5, risk=0.0, rank=1, is_flag=False) is None
    # the best of ten at no risk keeps its place 10, the worst its 1
    assert shown_rank(value=2.0, risk=0.0, rank=10, is_flag=False) == 10
    assert shown_rank(value=30.0, risk=1.0, rank=1, is_flag=False) == 1

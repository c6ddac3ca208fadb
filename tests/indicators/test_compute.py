"""The computation checked value by value on the hand-worked municipality of municipality.py.

Clusters (students): town 100–499 = T1 T2 T3 T4; village <100 = V1 V2; town ≥500 = B1 (alone);
N1 has results but no context, so no cluster, no indices, no list.

Cluster T, 2024 (shares in %):
            vpr_fail  oge_below  ege_high  ege_below
    T1        40        40          0        20
    T2        10        10         50         0
    T3        20        20          —         —
    T4        10        10         50         0
  risks: vpr_fail (x−10)/30 → T1 1, T2 0, T3 1/3, T4 0; oge_below the same;
         ege_high (50−x)/50 → T1 1, T2 0, T4 0; ege_below (x−0)/20 → T1 1, T2 0, T4 0.
  results_index = 100 × (1 − mean risk): T1 0; T2 100; T3 100 × (1 − 1/3) = 66.6667; T4 100.
  RANK ascending: T1 1, T3 2, T2 3, T4 3 (tie). size 4, threshold max(1, ⌊0.1 × 4⌋) = 1 → T1 low.
Cluster T, 2023: vpr_fail 30 30 0 15, oge 30 30 0 10, ege_high T2 20 T4 40, ege_below T2 10 T4 0.
  risks: T1 (1, 1), T3 (1, 1), T2 (0, 0, 1, 1), T4 (0.5, 1/3, 0, 0).
  index: T1 0, T3 0, T2 50, T4 100 × (1 − (0.5 + 1/3) / 4) = 79.1667. RANK: T1 1, T3 1, T2 3, T4 4.
  threshold 1 → T1 and T3 both low (tie at the bottom).
Cluster T, 2022: vpr 10 40 20 20, oge 10 50 20 20
  → T1 100, T2 0, T3 = T4 = 100 × (1 − (1/3 + 1/4)/2) = 70.8333.
  RANK: T2 1 → T2 low.
Cluster V (size 2, threshold 1): VPR «2» 2022 50 % vs 10 %, 2023 40 % vs 20 %, 2024 10 % vs 30 %
  → V1 low 2022 and 2023, V2 low 2024. V1's 2024 ОГЭ row has 0 participants → share null.
ШНОР (n = 2): 2023 = low 2022 and 2023 → V1. 2024 = low 2023 and 2024 → T1.
  Dynamics 2024: T1 entered, V1 left.
B1: cluster of one: index 100 (single value → risk 0), rank null, never low.
Social index 2024 over the 7 schools with context: only T1 has a police share (10/200 = 5 % → risk 1,
  everyone else 0 → risk 0); flags: V1 small + remote, V2 small. B1 has no special-needs data (8 indicators).
  T1 100 × (1 − 1/9) = 88.8889; V1 100 × (1 − 2/9) = 77.7778; V2 88.8889; T2 T3 T4 B1 100.
  RANK: V1 1, T1 2, V2 2, others 4. threshold max(1, ⌊0.1 × 7⌋) = 1 → V1 ШНСУ.
"""

import json

import pytest
from django.core.management import call_command

from indicators import selectors
from indicators.models import ComputationRun, IndicatorValue, PopulationStat, SchoolStatus, StatusOverride
from indicators.services import statuses_compute
from indicators.services.overrides import status_override_create
from tests.indicators.municipality import build


@pytest.fixture
def town(catalogue):
    return build()


def status(code, year=2024):
    return SchoolStatus.objects.get(school__code=code, year=year)


def value(code, indicator, year=2024):
    return IndicatorValue.objects.get(school__code=code, year=year, indicator__code=indicator)


def compute_all():
    for year in (2022, 2023, 2024):
        statuses_compute(year=year)


def test_results_indicators_of_2024_with_numerators(town):
    statuses_compute(year=2024)

    t1 = {
        code: value("T1", code)
        for code in (
            "vpr_fail_share",
            "oge_below_min_share",
            "ege_high_share",
            "ege_below_min_share",
            "vpr_lowered_share",
        )
    }
    assert [(v.value, v.numerator, v.denominator) for v in t1.values()] == [
        (40.0, 8, 20),
        (40.0, 4, 10),
        (0.0, 0, 10),
        (20.0, 2, 10),
        (35.0, 7, 20),
    ]
    assert [
        (t1[c].risk, t1[c].rank, t1[c].population_size) for c in ("vpr_fail_share", "ege_high_share")
    ] == [(1.0, 1, 4), (1.0, 1, 3)]
    assert value("T3", "vpr_fail_share").risk == pytest.approx(1 / 3)
    assert value("T3", "vpr_fail_share").rank == 2
    assert (value("T2", "vpr_fail_share").rank, value("T4", "vpr_fail_share").rank) == (3, 3)
    assert value("T1", "accreditation_suspended").value == 1.0
    assert value("T2", "accreditation_suspended").value == 0.0


def test_zero_and_missing_denominators_are_null_not_zero(town):
    statuses_compute(year=2024)

    zero = value("V1", "oge_below_min_share")
    assert (zero.value, zero.numerator, zero.denominator, zero.risk) == (None, 0, 0, None)
    missing = value("T3", "ege_high_share")
    assert (missing.value, missing.numerator, missing.denominator) == (None, None, None)
    assert value("V2", "teachers_diagnosed_share").value is None
    assert value("T1", "teachers_diagnosed_share").value == 50.0
    assert value("B1", "special_needs_share").value is None
    assert value("N1", "police_register_share").value is None
    assert value("N1", "vpr_fail_share").value == 25.0


def test_clusters_indices_and_ranks_of_2024(town):
    statuses_compute(year=2024)

    got = {
        c: (s.cluster, s.results_index, s.rank_in_cluster, s.cluster_size, s.low_results_year)
        for c in ("T1", "T2", "T3", "T4")
        for s in [status(c)]
    }
    town_cluster = "Тестовый округ · город · 100–499"
    assert got["T1"] == (town_cluster, 0.0, 1, 4, True)
    assert got["T2"] == (town_cluster, 100.0, 3, 4, False)
    assert got["T3"][1] == pytest.approx(66.66666667)
    assert got["T3"][2:] == (2, 4, False)
    assert got["T4"] == (town_cluster, 100.0, 3, 4, False)
    assert (status("V1").cluster, status("V1").rank_in_cluster, status("V2").rank_in_cluster) == (
        "Тестовый округ · село · <100",
        2,
        1,
    )
    assert status("V2").low_results_year is True


def test_cluster_of_one_is_never_ranked(town):
    statuses_compute(year=2024)

    b1 = status("B1")
    assert (b1.cluster, b1.cluster_size, b1.results_index, b1.rank_in_cluster, b1.low_results_year) == (
        "Тестовый округ · город · ≥500",
        1,
        100.0,
        None,
        False,
    )


def test_school_without_context_has_no_cluster_index_or_list(town):
    statuses_compute(year=2024)

    n1 = status("N1")
    assert (n1.has_context, n1.cluster, n1.results_index, n1.social_index, n1.rank_in_cluster) == (
        False,
        "",
        None,
        None,
        None,
    )
    assert (n1.low_results, n1.unfavourable) == (False, False)


def test_earlier_years_ties_and_shnor_over_two_years(town):
    statuses_compute(year=2023)
    statuses_compute(year=2024)

    assert (status("T1", 2023).results_index, status("T3", 2023).results_index) == (0.0, 0.0)
    assert (status("T1", 2023).rank_in_cluster, status("T3", 2023).rank_in_cluster) == (1, 1)
    assert status("T4", 2023).results_index == pytest.approx(79.16666667)
    assert status("T2", 2023).results_index == 50.0
    assert [s.school.code for s in SchoolStatus.objects.filter(year=2023, low_results=True)] == ["V1"]
    assert [s.school.code for s in SchoolStatus.objects.filter(year=2024, low_results=True)] == ["T1"]
    years = status("T1").reasons["low_results_years"]
    assert [(y["year"], y["low"], y["rank"], y["cluster_size"], y["threshold"]) for y in years] == [
        (2023, True, 1, 4, 1),
        (2024, True, 1, 4, 1),
    ]


def test_2022_ranks_with_tie_above_the_bottom(town):
    statuses_compute(year=2022)

    assert status("T2", 2022).rank_in_cluster == 1
    assert status("T3", 2022).results_index == pytest.approx(70.83333333)
    assert (
        status("T3", 2022).rank_in_cluster,
        status("T4", 2022).rank_in_cluster,
        status("T1", 2022).rank_in_cluster,
    ) == (2, 2, 4)
    assert SchoolStatus.objects.filter(year=2022, low_results=True).count() == 0


def test_social_index_and_shnsu(town):
    statuses_compute(year=2024)

    got = {
        c: (round(status(c).social_index, 4), status(c).social_rank, status(c).unfavourable)
        for c in ("T1", "T2", "V1", "V2", "B1")
    }
    assert got == {
        "T1": (88.8889, 2, False),
        "T2": (100.0, 4, False),
        "V1": (77.7778, 1, True),
        "V2": (88.8889, 2, False),
        "B1": (100.0, 4, False),
    }
    assert status("V1").social_population == 7
    assert status("V1").reasons["social_threshold"] == 1


def test_list_dynamics_and_population_stats(town):
    compute_all()

    dynamics = selectors.list_dynamics(year=2024)
    assert [s.code for s in dynamics["low_results"]["entered"]] == ["T1"]
    assert [s.code for s in dynamics["low_results"]["left"]] == ["V1"]
    # V1 was ШНСУ in 2023 as well (all shares 0 that year, its two flags make it the lowest): it stays
    assert [s.code for s in dynamics["unfavourable"]["current"]] == ["V1"]
    assert (dynamics["unfavourable"]["entered"], dynamics["unfavourable"]["left"]) == ([], [])
    stat = PopulationStat.objects.get(
        year=2024, indicator="vpr_fail_share", population="Тестовый округ · город · 100–499"
    )
    assert (stat.count, stat.median, stat.mean, stat.minimum, stat.maximum) == (4, 15.0, 20.0, 10.0, 40.0)


def test_objectivity_markers_are_written_beside_the_statuses(town):
    from indicators.models import ObjectivityStatus

    statuses_compute(year=2024)

    # T1's one ВПР row has «понизили» 7/20 = 35 %: one row of the two a marker needs (DESIGN §8), so no
    # marker, but the figure is kept for «почему».
    assert status("T1").objectivity_flags == []
    t1 = ObjectivityStatus.objects.get(school__code="T1", year=2024)
    assert (t1.markers, t1.in_list) == ([], False)
    assert [row["share"] for row in t1.figures["vpr_lowered"]["rows"]] == [35.0]


def test_min_participants_marks_low_data_and_leaves_ranking(town):
    from indicators.services import rules_for_year

    rules = rules_for_year(2024)
    rules.min_participants = 15
    rules.save()

    statuses_compute(year=2024)

    # V1 and V2 have 10 ВПР participants, fewer than 15: no usable indicator, «мало данных», no rank.
    assert value("V1", "vpr_fail_share").is_low_data is True
    assert (status("V1").results_index, status("V1").rank_in_cluster, status("V1").is_low_data) == (
        None,
        None,
        True,
    )
    assert status("V2").low_results_year is False
    # in cluster T the ОГЭ (10) and ЕГЭ (10) indicators drop out; only ВПР (20) ranks: T1 40 % is worst
    assert status("T1").results_index == 0.0
    assert status("T3").results_index == pytest.approx(100 * (1 - 1 / 3))


def test_rerun_replaces_the_year_and_keeps_override(town, inspector):
    statuses_compute(year=2024)
    status_override_create(
        school=status("T2").school,
        year=2024,
        list_kind="low_results",
        decision="include",
        reason="Решение комиссии: выездная проверка",
        user=inspector,
    )

    run = statuses_compute(year=2024)

    assert SchoolStatus.objects.filter(year=2024).count() == 8
    assert set(SchoolStatus.objects.filter(year=2024).values_list("run", flat=True)) == {run.pk}
    assert ComputationRun.objects.filter(year=2024).count() == 2
    assert status("T2").low_results is False
    assert StatusOverride.objects.count() == 1
    codes = [row.school.code for row in selectors.status_list(year=2024, list_kind="low_results")]
    assert codes == ["T1", "T2"]
    assert run.rules_snapshot["q"] == "0.100"


def test_export_commands_print_exact_fields(town, capsys):
    compute_all()

    call_command("export_status", "--year", "2024")
    rows = json.loads(capsys.readouterr().out)
    t1 = next(r for r in rows if r["school_code"] == "T1")
    assert t1 == {
        "school_code": "T1",
        "municipality": "testovyy-okrug",  # DESIGN §10: the municipality's code (made from its name)
        "year": 2024,
        "cluster": "Тестовый округ · город · 100–499",
        "results_index": 0.0,
        "social_index": pytest.approx(88.888888889),
        "rank_in_cluster": 1,
        "cluster_size": 4,
        "low_results_year": True,
        "low_results": True,
        "unfavourable": False,
    }
    call_command("export_indicators", "--year", "2024")
    values = json.loads(capsys.readouterr().out)
    assert set(values[0]) == {"school_code", "indicator", "value", "numerator", "denominator"}
    assert {
        "school_code": "V1",
        "indicator": "oge_below_min_share",
        "value": None,
        "numerator": 0,
        "denominator": 0,
    } in values


def test_export_of_a_year_without_computation_fails(town):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("export_status", "--year", "2019")

"""The objectivity markers of DESIGN §8 checked value by value on the data set of objectivity_data.py
(its docstring works every figure out by hand)."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import MethodologyRules, ObjectivityStatus, SchoolStatus
from indicators.services import statuses_compute
from indicators.services.objectivity import objectivity_evaluate, objectivity_rules
from tests.factories import SchoolFactory

from .objectivity_data import EXPECTED_2024, LISTED_2024, build, result


@pytest.fixture
def world(catalogue):
    schools = build()
    statuses_compute(year=2024)
    return schools


def status(code, year=2024):
    return ObjectivityStatus.objects.get(school__code=code, year=year)


def test_every_marker_of_every_school(world):
    stored = {s.school.code: s.markers for s in ObjectivityStatus.objects.filter(year=2024)}
    assert stored == EXPECTED_2024


def test_the_list_and_stability(world):
    listed = set(
        ObjectivityStatus.objects.filter(year=2024, in_list=True).values_list("school__code", flat=True)
    )
    assert listed == LISTED_2024
    assert status("N01").is_stable is True  # listed in 2023 too
    assert status("N09").is_stable is False  # new in 2024
    assert status("N02").in_list is False  # listed in 2023, left
    assert status("N03").marker_count == 1 and status("N03").in_list is False
    codes = sorted(
        (code, marker)
        for code, markers in ObjectivityStatus.objects.filter(year=2024).values_list(
            "school__code", "marker_codes"
        )
        for marker in markers.strip(",").split(",")
        if marker
    )
    assert codes == [
        ("N01", "vpr_lowered"),
        ("N01", "vpr_raised"),
        ("N03", "vpr_high_band"),
        ("N05", "vpr_oge_mismatch"),
        ("N07", "kdr_vpr_gap"),
        ("N09", "medalists_unconfirmed"),
        ("N09", "vpr_lowered"),
    ]


def test_lowered_rows_at_the_threshold_with_conduct(world):
    lowered = status("N01").figures["vpr_lowered"]
    assert lowered["present"] is True and lowered["min_rows"] == 2
    rows = {(r["subject"], r["grade"]): r for r in lowered["rows"]}
    # 6 / 20 = 30 % is exactly the threshold: it counts
    assert rows[("Русский язык", 5)]["count"] == 6
    assert rows[("Русский язык", 5)]["share"] == 30.0
    assert rows[("Русский язык", 5)]["conduct"] == {"observers": False, "video": None, "recheck": None}
    assert rows[("Математика", 5)]["share"] == 35.0
    assert rows[("Математика", 5)]["conduct"] == {"observers": None, "video": True, "recheck": None}
    raised = status("N01").figures["vpr_raised"]
    # 2 / 10 = 20 % (10 participants count), 3 / 20 = 15 % (exactly)
    assert sorted(r["share"] for r in raised["rows"]) == [15.0, 20.0]


def test_one_row_is_not_enough_and_small_rows_do_not_count(world):
    # N02: 8/20 = 40 % counts, 5/9 (9 participants) does not → 1 row of the 2 needed
    lowered = status("N02").figures["vpr_lowered"]
    assert lowered["present"] is False
    assert [(r["subject"], r["participants"], r["share"]) for r in lowered["rows"]] == [
        ("Русский язык", 20, 40.0)
    ]
    # N10: «повысили» 2/14 = 14,2857 % is under 15 %; 3/20 = 15 % is the only row
    raised = status("N10").figures["vpr_raised"]
    assert raised["present"] is False and [r["share"] for r in raised["rows"]] == [15.0]


def test_high_band_compares_with_the_municipality_share(world):
    band = status("N03").figures["vpr_high_band"]
    rows = {r["subject"]: r for r in band["rows"]}
    # Русский 4 кл.: 10/20 = 50 % against Северный (10 + 2 + 0) / 60 = 20 %
    assert (rows["Русский язык"]["share"], rows["Русский язык"]["group_share"]) == (50.0, 20.0)
    assert (rows["Русский язык"]["group_count"], rows["Русский язык"]["group_participants"]) == (12, 60)
    assert rows["Русский язык"]["group"] == "Северный муниципальный округ"
    # Математика 4 кл.: 8/20 = 40 % against (8 + 1 + 1) / 60 = 16,6667 %
    assert (rows["Математика"]["share"], rows["Математика"]["group_share"]) == (40.0, 16.6667)
    # S13: 60 % against Южный (12 + 3) / 40 = 37,5 %: 60 < 75 — over 30 % but not twice the group
    assert "vpr_high_band" not in status("S13").figures


def test_high_band_with_the_region_as_the_group(world):
    rules = MethodologyRules.objects.get()
    rules.high_band_group = "region"
    rules.save()
    statuses_compute(year=2024)
    # region: Русский 4 кл. 27/100 = 27 %, Математика 4 кл. 25/100 = 25 % → S13 60 % ≥ 54 % and ≥ 50 %
    band = status("S13").figures["vpr_high_band"]
    assert band["present"] is True
    assert sorted((r["group_share"], r["group"]) for r in band["rows"]) == [
        (25.0, "регион"),
        (27.0, "регион"),
    ]
    # N03: 50 % < 54 %, 40 % < 50 % → no marker
    assert status("N03").markers == []


def test_oge_mismatch_reads_the_grade_8_cohort_of_the_year_before(world):
    mismatch = status("N05").figures["vpr_oge_mismatch"]
    (row,) = mismatch["rows"]
    assert (row["subject"], row["count"], row["participants"], row["share"]) == ("Математика", 2, 20, 10.0)
    assert (row["vpr_year"], row["vpr_grade"], row["vpr_participants"], row["vpr_mark2"]) == (2023, 8, 25, 0)
    assert row["conduct"] == {"observers": True, "video": None, "recheck": None}  # the ВПР row's
    assert row["oge_conduct"] == {"observers": True, "video": True, "recheck": None}
    assert "vpr_oge_mismatch" not in status("N06").figures  # its ВПР-8 had a «2»


def test_kdr_gap_from_the_mark_counts(world):
    (row,) = status("N07").figures["kdr_vpr_gap"]["rows"]
    # ВПР (0·2 + 4·3 + 8·4 + 8·5) / 20 = 4,2; КДР (2·2 + 8·3 + 8·4 + 2·5) / 20 = 3,5; gap 0,7
    assert (row["vpr_mean"], row["kdr_mean"], row["gap"]) == (4.2, 3.5, 0.7)
    assert "kdr_vpr_gap" not in status("N08").figures  # gap 0,5; the 8-participant КДР row does not count


def test_medal_candidates(world):
    medal = status("N09").figures["medalists_unconfirmed"]
    assert (medal["candidates"], medal["unconfirmed"], medal["share"], medal["present"]) == (
        10,
        3,
        30.0,
        True,
    )
    assert medal["conditions"]["I"]["russian"] == 70
    assert status("N10").figures["medalists_unconfirmed"]["present"] is False  # 1/4 = 25 %
    assert status("S11").figures == {}  # no candidates


def test_thresholds_are_data(world):
    rules = MethodologyRules.objects.get()
    rules.objectivity_list_markers = 1
    rules.lowered_threshold = 41
    rules.save()
    statuses_compute(year=2024)
    # «понизили» ≥ 41 %: N01 (30, 35) loses vpr_lowered; N09 (50, 60) keeps it; one marker now lists
    assert status("N01").markers == ["vpr_raised"]
    assert status("N09").markers == ["vpr_lowered", "medalists_unconfirmed"]
    assert status("N03").in_list is True
    assert status("N01").rules["lowered"] == "41.00"


def test_school_status_summary_replaces_the_school_wide_flags(world):
    flags = SchoolStatus.objects.get(school__code="N09", year=2024).objectivity_flags
    assert [f["code"] for f in flags] == ["vpr_lowered", "medalists_unconfirmed"]
    assert flags[1]["text"] == "Не выполнили условия ЕГЭ 3 из 10 претендентов на медаль (30,0\u00a0%)."
    assert SchoolStatus.objects.get(school__code="N02", year=2024).objectivity_flags == []


def test_export_objectivity_command(world, capsys):
    call_command("export_objectivity", "--year", "2024")
    data = json.loads(capsys.readouterr().out)
    by_code = {item["school_code"]: item for item in data}
    assert set(by_code) == set(EXPECTED_2024)
    assert by_code["N09"] == {
        "school_code": "N09",
        "year": 2024,
        "markers": ["vpr_lowered", "medalists_unconfirmed"],
        "in_list": True,
    }
    assert by_code["N03"] == {
        "school_code": "N03",
        "year": 2024,
        "markers": ["vpr_high_band"],
        "in_list": False,
    }


def test_export_objectivity_without_a_computation_fails(catalogue, capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2030/2031"):
        call_command("export_objectivity", "--year", "2030")


def test_query_count_does_not_grow_with_schools(world):
    rules = objectivity_rules(MethodologyRules.objects.get())
    with CaptureQueriesContext(connection) as before:
        objectivity_evaluate(year=2024, rules=rules)
    for n in range(20):
        school = SchoolFactory(code=f"X{n:02d}", municipality=world["N01"].municipality)
        result(school, 2024, "VPR", "russian", 5, 20, lowered=10)
        result(school, 2024, "VPR", "math", 5, 20, lowered=10)
        result(school, 2024, "KDR", "math", 5, 20, mark2=5, mark3=5, mark4=5, mark5=5)
    with CaptureQueriesContext(connection) as after:
        evaluation = objectivity_evaluate(year=2024, rules=rules)
    assert len(after) == len(before)
    assert evaluation.markers(school.pk) == ["vpr_lowered"]


def test_stable_reads_the_stored_list_of_the_year_before(world):
    from indicators.models import AssessmentResult

    statuses_compute(year=2023)  # N01 and N02 listed in the stored 2023 list
    assert status("N01", 2023).in_list is True
    # 2023's rows of N01 change after that list was made: the list staff saw still stands
    AssessmentResult.objects.filter(school__code="N01", year=2023).delete()
    statuses_compute(year=2024)
    assert status("N01").is_stable is True
    # …whereas a year never computed is evaluated from its rows: remove the stored 2023 list
    ObjectivityStatus.objects.filter(year=2023).delete()
    statuses_compute(year=2024)
    assert status("N01").is_stable is False


def test_counts_by_municipality_for_the_region_dashboard(world):
    from indicators.objectivity_selectors import counts_by_municipality

    counts = counts_by_municipality(year=2024)
    # Северный: N01, N09 listed; N01 N03 N05 N07 N09 with markers. Южный: S11 S12 S13, none.
    assert counts[world["N01"].municipality_id] == {"listed": 2, "with_markers": 5}
    assert counts[world["S13"].municipality_id] == {"listed": 0, "with_markers": 0}

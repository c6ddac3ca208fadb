"""`cluster_scope` (DESIGN §6): clusters and the ШНСУ population of a municipality or of the whole region.

The region of tests/indicators/region.py, worked out by hand. Only the ВПР «2» share enters the results
index, so in a cluster risk = (x − min)/(max − min) and the index is 100 × (1 − risk). The social index
is 100 × (1 − risk/9): nine social indicators (five shares, four school flags) have data, and only the
ОДН/КДН share varies (the other shares are 0 everywhere, the flags false: risk 0).

Municipality scope, 2024:
  «Альфа · город · 100–499»: A1 10 %, A2 20 %, A3 30 % → index 100, 50, 0 → ranks 3, 2, 1 of 3;
      threshold max(1, ⌊0,1 × 3⌋) = 1 → A3 low.
  «Альфа · село · <100»: A4 alone → never ranked.
  «Бета · город · 100–499»: B1 40 %, B2 50 % → 100, 0 → ranks 2, 1 → B2 low.
  «Бета · село · <100»: B3 30 %, B4 50 % → 100, 0 → ranks 2, 1 → B4 low.
  2023 is the same with B1 and B2 swapped: low A3, B1, B4. ШНОР 2024 (low in 2023 and 2024): A3, B4.
  ШНСУ in Альфа: ОДН/КДН 1, 2, 0, 10 % → risk 0,1 0,2 0 1 → A4 rank 1 of 4 (threshold 1) → A4.
  ШНСУ in Бета: 10, 20, 5, 20 % → risk ⅓, 1, 0, 1 → B2 and B4 share rank 1 of 4 → B2, B4.
Region scope, 2024:
  «Регион · город · 100–499»: A1…A3, B1, B2 = 10, 20, 30, 40, 50 % → index 100, 75, 50, 25, 0 →
      ranks 5, 4, 3, 2, 1 of 5; threshold max(1, ⌊0,5⌋) = 1 → B2 low.
  «Регион · село · <100»: A4 10 %, B3 30 %, B4 50 % → 100, 50, 0 → ranks 3, 2, 1 → B4 low.
  2023: town B1 50 % is rank 1 (low), B2 rank 2; village as in 2024. ШНОР 2024: B4 only.
  ШНСУ over all 8 schools: ОДН/КДН 0…20 % → risk A1 0,05, A2 0,1, A3 0, A4 0,5, B1 0,5, B2 1, B3 0,25,
      B4 1 → B2 and B4 rank 1 of 8 (threshold max(1, ⌊0,8⌋) = 1) → B2, B4; A4 is rank 3, not ШНСУ.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from indicators.models import MethodologyRules, SchoolStatus
from indicators.services import statuses_compute
from tests.indicators.factories import rules_form_data
from tests.indicators.region import build


@pytest.fixture
def region(catalogue):
    return build()


def _use_scope(scope: str) -> None:
    MethodologyRules.objects.filter(valid_from=2000).update(cluster_scope=scope)


def _statuses(year: int = 2024) -> dict[str, SchoolStatus]:
    return {s.school.code: s for s in SchoolStatus.objects.filter(year=year).select_related("school")}


def _members(statuses: dict, field: str) -> set[str]:
    return {code for code, s in statuses.items() if getattr(s, field)}


def test_the_default_scope_is_the_municipality(region):
    assert MethodologyRules.objects.get(valid_from=2000).cluster_scope == "municipality"


def test_municipality_scope_clusters_ranks_and_lists(region):
    statuses_compute(year=2024)
    s = _statuses()

    assert {code: (st.cluster, st.rank_in_cluster, st.cluster_size) for code, st in s.items()} == {
        "A1": ("Альфа · город · 100–499", 3, 3),
        "A2": ("Альфа · город · 100–499", 2, 3),
        "A3": ("Альфа · город · 100–499", 1, 3),
        "A4": ("Альфа · село · <100", None, 1),
        "B1": ("Бета · город · 100–499", 2, 2),
        "B2": ("Бета · город · 100–499", 1, 2),
        "B3": ("Бета · село · <100", 2, 2),
        "B4": ("Бета · село · <100", 1, 2),
    }
    assert [round(s[c].results_index, 4) for c in ("A1", "A2", "A3", "B1", "B2")] == [100, 50, 0, 100, 0]
    assert _members(s, "low_results_year") == {"A3", "B2", "B4"}
    assert _members(s, "low_results") == {"A3", "B4"}
    # social: 100 × (1 − risk/9); A4 risk 1 → 88,8889; B1 risk ⅓ → 96,2963
    assert round(s["A4"].social_index, 4) == 88.8889
    assert round(s["B1"].social_index, 4) == 96.2963
    assert {c: (st.social_rank, st.social_population) for c, st in s.items()} == {
        "A1": (3, 4),
        "A2": (2, 4),
        "A3": (4, 4),
        "A4": (1, 4),
        "B1": (3, 4),
        "B2": (1, 4),
        "B3": (4, 4),
        "B4": (1, 4),
    }
    assert _members(s, "unfavourable") == {"A4", "B2", "B4"}
    assert s["A3"].reasons["rules"]["cluster_scope"] == "municipality"


def test_region_scope_clusters_ranks_and_lists(region):
    _use_scope("region")

    statuses_compute(year=2024)
    s = _statuses()

    assert {code: (st.cluster, st.rank_in_cluster, st.cluster_size) for code, st in s.items()} == {
        "A1": ("Регион · город · 100–499", 5, 5),
        "A2": ("Регион · город · 100–499", 4, 5),
        "A3": ("Регион · город · 100–499", 3, 5),
        "A4": ("Регион · село · <100", 3, 3),
        "B1": ("Регион · город · 100–499", 2, 5),
        "B2": ("Регион · город · 100–499", 1, 5),
        "B3": ("Регион · село · <100", 2, 3),
        "B4": ("Регион · село · <100", 1, 3),
    }
    assert [round(s[c].results_index, 4) for c in ("A1", "A2", "A3", "B1", "B2")] == [100, 75, 50, 25, 0]
    assert [round(s[c].results_index, 4) for c in ("A4", "B3", "B4")] == [100, 50, 0]
    assert _members(s, "low_results_year") == {"B2", "B4"}
    assert _members(s, "low_results") == {"B4"}
    # social over the region: A4 risk 0,5 → 100 × (1 − 0,5/9) = 94,4444
    assert round(s["A4"].social_index, 4) == 94.4444
    assert {c: st.social_rank for c, st in s.items()} == {
        "A1": 7,
        "A2": 6,
        "A3": 8,
        "A4": 3,
        "B1": 3,
        "B2": 1,
        "B3": 5,
        "B4": 1,
    }
    assert {st.social_population for st in s.values()} == {8}
    assert _members(s, "unfavourable") == {"B2", "B4"}
    assert s["A3"].reasons["rules"]["cluster_scope"] == "region"
    # the earlier year the ШНОР rule looks at is clustered across the region too
    assert [y["cluster"] for y in s["B1"].reasons["low_results_years"]] == [
        "Регион · город · 100–499",
        "Регион · город · 100–499",
    ]
    assert [y["low"] for y in s["B1"].reasons["low_results_years"]] == [True, False]


def test_export_status_carries_the_region_clusters(region):
    _use_scope("region")
    statuses_compute(year=2024)
    out = StringIO()

    call_command("export_status", "--year", "2024", stdout=out)

    rows = {row["school_code"]: row for row in json.loads(out.getvalue())}
    assert (rows["A3"]["cluster"], rows["A3"]["rank_in_cluster"], rows["A3"]["cluster_size"]) == (
        "Регион · город · 100–499",
        3,
        5,
    )
    assert [c for c, row in sorted(rows.items()) if row["low_results"]] == ["B4"]
    assert [c for c, row in sorted(rows.items()) if row["unfavourable"]] == ["B2", "B4"]


def test_changing_the_scope_is_an_audited_rule_change_and_the_why_page_names_it(
    client_for, inspector, region
):
    statuses_compute(year=2024)
    client = client_for(inspector)
    page = client.get("/indicators/school/A4/", {"year": 2024}).content.decode()
    assert "Муниципалитет: кластеры — муниципалитет × тип поселения × численность обучающихся" in page
    assert "место 1 из 4 в муниципалитете" in page

    response = client.post(
        "/indicators/rules/", rules_form_data(cluster_scope="region", comment="Приказ министерства № 7")
    )

    assert response.status_code == 302
    rules = MethodologyRules.objects.get(valid_from=2000)
    assert (rules.cluster_scope, rules.changed_by, rules.comment) == (
        "region",
        inspector,
        "Приказ министерства № 7",
    )
    latest, before = rules.history.order_by("-history_date", "-history_id")[:2]
    assert (before.cluster_scope, latest.cluster_scope) == ("municipality", "region")
    assert (latest.history_user, latest.comment) == (inspector, "Приказ министерства № 7")
    rules_page = client.get("/indicators/rules/").content.decode()
    assert "Приказ министерства № 7" in rules_page
    journal = client_for(inspector).get("/audit/").content.decode()
    assert "регион (кластеры и ШНСУ — по всем муниципалитетам региона)" in journal

    statuses_compute(year=2024)

    page = client.get("/indicators/school/A4/", {"year": 2024}).content.decode()
    assert (
        "Регион: кластеры — тип поселения × численность обучающихся по всем муниципалитетам региона" in page
    )
    assert "ШНСУ — место по индексу социального благополучия среди всех школ региона" in page
    assert "место 3 из 8 в регионе" in page


def test_a_rules_form_without_the_scope_keeps_the_versions_scope(client_for, inspector, region):
    _use_scope("region")
    data = rules_form_data(comment="Уточнены веса")  # no cluster_scope in the POST

    client_for(inspector).post("/indicators/rules/", data)

    assert MethodologyRules.objects.get(valid_from=2000).cluster_scope == "region"

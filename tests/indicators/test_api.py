"""API resources results, indicators, values, statuses: filters and the principal's own-school scope."""

import pytest

from indicators.models import AssessmentResult, SchoolStatus, StatusOverride
from indicators.services.overrides import status_override_create


def codes(response):
    return sorted({row["school_code"] for row in response.json()["results"]})


@pytest.mark.parametrize("resource", ["results", "values", "statuses"])
def test_principal_sees_only_own_school(client_for, principal_t1, resource):
    response = client_for(principal_t1).get(f"/api/{resource}/", {"page_size": 500})

    assert response.status_code == 200
    assert codes(response) == ["T1"]


@pytest.mark.parametrize("resource", ["results", "values", "statuses"])
def test_principal_cannot_open_another_school_row(client_for, principal_t1, town, resource):
    model_rows = {
        "results": AssessmentResult.objects.filter(school=town["T2"]),
        "statuses": SchoolStatus.objects.filter(school=town["T2"]),
    }
    from indicators.models import IndicatorValue

    model_rows["values"] = IndicatorValue.objects.filter(school=town["T2"])
    pk = model_rows[resource].values_list("pk", flat=True)[0]

    assert client_for(principal_t1).get(f"/api/{resource}/{pk}/").status_code == 404


def test_anonymous_gets_nothing_and_writes_are_refused(client_for, principal_t1, inspector):
    assert client_for(None).get("/api/statuses/").status_code in (401, 403)
    assert client_for(principal_t1).post("/api/statuses/", {}).status_code in (403, 405)
    assert (
        client_for(inspector).delete(f"/api/statuses/{SchoolStatus.objects.first().pk}/").status_code == 405
    )
    assert SchoolStatus.objects.count() == 14  # 6 schools in 2023, 8 in 2024


def test_staff_filters_by_year_school_cluster_and_list(client_for, inspector, town):
    client = client_for(inspector)

    assert codes(client.get("/api/statuses/", {"year": 2024, "list": "low_results"})) == ["T1"]
    assert codes(client.get("/api/statuses/", {"year": 2024, "list": "unfavourable"})) == ["V1"]
    assert codes(client.get("/api/statuses/", {"year": 2024, "cluster": "Тестовый округ · село · <100"})) == [
        "V1",
        "V2",
    ]
    assert codes(client.get("/api/values/", {"year": 2024, "list": "low_results", "page_size": 500})) == [
        "T1"
    ]
    assert codes(client.get("/api/results/", {"school_code": "T2", "year": 2023})) == ["T2"]
    row = client.get(
        "/api/values/", {"year": 2024, "school_code": "T1", "indicator": "vpr_fail_share"}
    ).json()
    assert row["results"][0] | {"id": 0} == {
        "id": 0,
        "school_code": "T1",
        "year": 2024,
        "indicator": "vpr_fail_share",
        "value": 40.0,
        "numerator": 8.0,
        "denominator": 20.0,
        "is_low_data": False,
        "risk": 1.0,
        "rank": 1,
        "population_size": 4,
    }


def test_override_shows_in_list_filter_and_beside_computed(client_for, inspector, town):
    status_override_create(
        school=town["T1"],
        year=2024,
        list_kind=StatusOverride.List.LOW_RESULTS,
        decision=StatusOverride.Decision.EXCLUDE,
        reason="Ошибка в исходных данных ОГЭ",
        user=inspector,
    )

    response = client_for(inspector).get("/api/statuses/", {"year": 2024, "school_code": "T1"})

    row = response.json()["results"][0]
    assert (row["low_results"], row["low_results_computed"]) == (False, True)
    assert codes(client_for(inspector).get("/api/statuses/", {"year": 2024, "list": "low_results"})) == []


def test_indicator_catalogue_lists_every_code(catalogue, client_for, inspector):
    response = client_for(inspector).get("/api/indicators/", {"page_size": 100})

    assert response.json()["count"] == 18
    assert response.json()["results"][0]["code"] == "ege_high_share"

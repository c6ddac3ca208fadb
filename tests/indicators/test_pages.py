"""Pages: lists, table, «why» page, rules, compute button, exports; who may open what."""

import io

import pytest
from openpyxl import load_workbook

from indicators.models import MethodologyRules, SchoolStatus, StatusOverride
from schools.models import Job
from tests.indicators.factories import rules_form_data


def test_lists_page_shows_lists_with_dynamics_and_rules(client_for, inspector, town):
    response = client_for(inspector).get("/indicators/", {"year": 2024})

    assert response.status_code == 200
    html = response.content.decode()
    assert "ШНОР: 1" in html and "ШНСУ: 1" in html
    assert "T1 T1" in html and "вошла" in html
    assert "Вышли из списка" in html and "V1 V1" in html
    assert "Лет подряд для ШНОР (n)" in html


@pytest.mark.parametrize(
    "url",
    [
        "/indicators/",
        "/indicators/table/",
        "/indicators/rules/",
        "/indicators/export/statuses.xlsx",
        "/indicators/school/T2/",
    ],
)
def test_principal_cannot_open_staff_pages_or_another_school(client_for, principal_t1, url):
    assert client_for(principal_t1).get(url).status_code in (403, 404)


def test_principal_sees_why_own_school_is_on_the_list(client_for, principal_t1):
    response = client_for(principal_t1).get("/indicators/school/T1/", {"year": 2024})

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 из 4" in html and "Годы, по которым принято решение о ШНОР" in html
    assert "8 / 20" in html and "<svg" in html
    # its one ВПР row with «понизили» 7/20 is shown under the marker, which needs two such rows (DESIGN §8)
    assert "«понизили» 7 — 35,0\u00a0%" in html
    assert "Сохранить решение" not in html


def test_school_page_has_status_panel(client_for, principal_t1):
    response = client_for(principal_t1).get("/schools/T1/")

    assert "Почему школа в списке" in response.content.decode()


def test_table_filters_by_cluster_and_shows_medians(client_for, inspector, town):
    response = client_for(inspector).get(
        "/indicators/table/",
        {"year": 2024, "cluster": "Тестовый округ · село · <100", "sort": "-results_index"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "V1 V1" in html and "V2 V2" in html and "T1 T1" not in html
    assert "м. 20,0" in html  # median of ВПР «2»: 10 % and 30 %


def test_status_xlsx_has_the_export_columns(client_for, inspector, town):
    response = client_for(inspector).get("/indicators/export/statuses.xlsx", {"year": 2024})

    sheet = load_workbook(io.BytesIO(response.content))["Статусы ОО"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Код ОО", "Муниципалитет", "Учебный год", "Кластер")
    assert len(rows) == 9


def test_compute_button_runs_a_job(client_for, inspector, town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(inspector).post("/indicators/compute/", {"year": 2024})

    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    assert job.result["url"] == "/indicators/?year=2024"


def test_rules_form_creates_a_version_with_history(client_for, inspector, town):
    data = rules_form_data(
        valid_from=2025,
        size_edge_large=600,
        low_results_share="0.2",
        low_results_years=3,
        min_participants=5,
        comment="Приказ № 12 от 01.09.2025",
        weight_vpr_fail_share=2,
    )

    response = client_for(inspector).post("/indicators/rules/", data)

    assert response.status_code == 302
    rules = MethodologyRules.objects.get(valid_from=2025)
    assert (rules.size_edge_large, rules.low_results_years, rules.weights["vpr_fail_share"]) == (600, 3, 2.0)
    assert rules.changed_by == inspector
    assert rules.history.count() == 1
    assert MethodologyRules.objects.get(valid_from=2000).low_results_years == 2


def test_rules_form_rejects_bad_edges(client_for, inspector, town):
    response = client_for(inspector).post(
        "/indicators/rules/",
        {"valid_from": 2026, "size_edge_small": 500, "size_edge_large": 100, "comment": "x"},
    )

    assert response.status_code == 200
    assert "Граница крупных школ должна быть больше границы малых." in response.content.decode()
    assert not MethodologyRules.objects.filter(valid_from=2026).exists()


def test_override_needs_a_reason_and_is_shown(client_for, inspector, town):
    client = client_for(inspector)
    client.post(
        "/indicators/school/T2/override/",
        {"year": 2024, "list_kind": "low_results", "decision": "include", "reason": ""},
    )
    assert StatusOverride.objects.count() == 0

    client.post(
        "/indicators/school/T2/override/",
        {"year": 2024, "list_kind": "low_results", "decision": "include", "reason": "Решение комиссии"},
    )

    html = client.get("/indicators/school/T2/", {"year": 2024}).content.decode()
    assert "Решение комиссии" in html and "по расчёту: не в списке" in html
    assert SchoolStatus.objects.get(school__code="T2", year=2024).low_results is False


def test_dashboard_shows_list_counts(client_for, inspector, town):
    html = client_for(inspector).get("/dashboard/").content.decode()

    assert "Списки ШНОР и ШНСУ за 2024/2025" in html

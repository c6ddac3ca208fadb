"""The region dashboard and the regional assessment of municipal mechanisms (DESIGN §6, issue 18 items 3, 4),
on the hand-worked region of tests/roadmaps/region_work.py: figures, scope, «why», and query counts."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmaps import region
from tests.factories import MunicipalityFactory, SchoolFactory
from tests.roadmaps.region_work import build

PASSWORD = "пароль-для-тестов-123"


@pytest.fixture
def work(db):
    from indicators.reference import seed

    seed()
    return build()


def _user(username: str, role: str, *scope: str):
    from django.contrib.auth.models import User

    call_command("portal_user", username, "--role", role, *scope, "--password", PASSWORD)
    return User.objects.get(username=username)


@pytest.fixture
def regional(work):
    return _user("regional_t", "regional")


@pytest.fixture
def inspector_alpha(work):
    return _user("inspector_alpha", "inspector", "--municipality", "ALF")


def _codes(figures):
    return {m.code: m for m in figures.municipalities}


def test_dashboard_figures_by_municipality(regional):
    figures = region.region_dashboard(user=regional, years=[2023, 2024])
    municipalities = _codes(figures)
    alpha = figures.row(municipalities["ALF"].pk, 2024)
    beta = figures.row(municipalities["BET"].pk, 2024)

    assert (alpha.schools, alpha.members, beta.members) == (
        4,
        {"low_results": 1, "unfavourable": 1},
        {"low_results": 1, "unfavourable": 2},
    )
    # ШНОР share 1 of 4 = 25 %, ШНСУ in Бета 2 of 4 = 50 %
    assert (alpha.low_results_share, beta.unfavourable_share) == (25.0, 50.0)
    assert (alpha.entered, alpha.left) == (
        {"low_results": 1, "unfavourable": 0},
        {"low_results": 1, "unfavourable": 0},
    )
    assert (beta.entered, beta.left) == (
        {"low_results": 1, "unfavourable": 1},
        {"low_results": 0, "unfavourable": 0},
    )
    assert (alpha.levels, beta.levels) == (
        {"high": 1, "medium": 1, "low": 0},
        {"high": 0, "medium": 0, "low": 0},
    )
    assert (alpha.cards, alpha.cards_on_time, beta.cards, beta.cards_on_time) == (2, 1, 1, 0)
    assert (alpha.items_on_time, alpha.items_due, beta.items_due) == (1, 3, 0)
    assert (alpha.answered, alpha.recommendations, beta.answered, beta.recommendations) == (1, 2, 1, 2)
    # 2023 has no computed year before it: entered and left are unknown, not 0
    assert figures.row(municipalities["ALF"].pk, 2023).entered == {"low_results": None, "unfavourable": None}


def test_mechanism_assessment_ranks_the_municipalities(work):
    assessments, municipalities = region.mechanism_assessment(year=2024)
    by_code = {municipalities[mid].code: a for mid, a in assessments.items()}
    alpha, beta = by_code["ALF"], by_code["BET"]

    def shares(a):
        return {code: (f.numerator, f.denominator) for code, f in a.figures.items()}

    assert shares(alpha) == {
        "programme_share": (1, 1),  # A3 has a programme
        "items_on_time_share": (1, 3),
        "left_share": (1, 1),  # A1 left
        "cards_on_time_share": (1, 2),
        "answered_share": (1, 2),
    }
    assert shares(beta) == {
        "programme_share": (0, 1),  # B4 has none
        "items_on_time_share": (0, 0),
        "left_share": (0, 0),  # no ШНОР in 2023
        "cards_on_time_share": (0, 1),
        "answered_share": (1, 2),
    }
    # Альфа (100 + 33,33 + 100 + 50 + 50) / 5 = 66,67; Бета (0 + 0 + 50) / 3 = 16,67
    assert (round(alpha.score, 2), round(beta.score, 2)) == (66.67, 16.67)
    assert ((alpha.rank, alpha.population), (beta.rank, beta.population)) == ((1, 2), (2, 2))
    assert (alpha.figures["answered_share"].rank, beta.figures["answered_share"].rank) == (1, 1)
    assert (alpha.figures["items_on_time_share"].population, beta.figures["items_on_time_share"].rank) == (
        1,
        None,
    )


def test_regional_sees_every_municipality_on_the_dashboard(client_for, regional):
    page = client_for(regional).get("/region/", {"year": 2024}).content.decode()

    assert "Альфа" in page and "Бета" in page
    assert "1 из 3 (33,3\u00a0%)" in page  # Альфа's programme items on time
    assert "Построить годовые отчёты муниципалитетов за 2024/2025" in page


def test_an_inspector_sees_only_their_municipality(client_for, inspector_alpha):
    client = client_for(inspector_alpha)
    dashboard = client.get("/region/", {"year": 2024}).content.decode()
    mechanisms = client.get("/region/mechanisms/", {"year": 2024}).content.decode()

    assert "Альфа" in dashboard and "Бета" not in dashboard
    assert "Альфа" in mechanisms and "Бета" not in mechanisms
    assert "1 из 2" in mechanisms  # Альфа's place among the region's 2 municipalities
    assert client.get("/region/m/BET/", {"year": 2024}).status_code == 404
    assert client.get("/region/m/ALF/", {"year": 2024}).status_code == 200


def test_the_why_page_names_the_figures_and_what_is_behind_them(client_for, regional):
    page = client_for(regional).get("/region/m/BET/", {"year": 2024}).content.decode()

    assert "2 из 2 (1 — наибольший итоговый балл)" in page
    assert "16,7\u00a0% — среднее 3 показателей с данными" in page
    assert "B4 B4" in page  # a ШНОР without a programme, and its card not sent
    assert "не отправлена" in page
    assert "Проблема B2" in page and "Проблема B1" not in page  # unanswered only


def test_principals_may_not_open_region_pages(client_for, work):
    principal = _user("principal_a1", "principal", "--school", "A1")
    client = client_for(principal)

    assert [client.get(url).status_code for url in ("/region/", "/region/mechanisms/", "/region/m/ALF/")] == [
        403,
        403,
        403,
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_municipalities_and_schools(client_for, regional):
    client = client_for(regional)
    urls = ["/region/?year=2024", "/region/mechanisms/?year=2024", "/region/m/ALF/?year=2024"]
    before = [_queries(client, url) for url in urls]
    # a third municipality with 30 schools, each with a context and a status of both years
    from indicators.services import statuses_compute
    from schools.models import SchoolContext

    gamma = MunicipalityFactory(name="Гамма", code="GAM")
    for n in range(30):
        school = SchoolFactory(code=f"G{n:02d}", municipality=gamma, settlement="town")
        for year in (2023, 2024):
            SchoolContext.objects.create(school=school, year=year, students=200 + n, teachers=10)
    for year in (2023, 2024):
        statuses_compute(year=year)

    after = [_queries(client, url) for url in urls]

    assert after == before, (before, after)
    assert min(before) > 5  # the pages did read something

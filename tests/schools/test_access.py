"""Who sees what: staff see every school, a principal only their own (404 for others), the public nothing."""

import pytest
from rest_framework.authtoken.models import Token

from schools.models import School, SchoolContext
from tests.factories import SchoolContextFactory


@pytest.fixture
def users(administrator, inspector, principal_a, principal_b):
    return {
        "admin": administrator,
        "inspector": inspector,
        "principal_a": principal_a,
        "principal_b": principal_b,
        "anonymous": None,
    }


PAGES = [
    # (url, role, expected status)
    ("/dashboard/", "anonymous", 302),
    ("/dashboard/", "principal_a", 403),
    ("/dashboard/", "inspector", 200),
    ("/dashboard/", "admin", 200),
    ("/schools/", "anonymous", 302),
    ("/schools/", "principal_a", 200),
    ("/schools/", "inspector", 200),
    ("/schools/A001/", "anonymous", 302),
    ("/schools/A001/", "principal_a", 200),
    ("/schools/A001/", "principal_b", 404),
    ("/schools/B001/", "principal_a", 404),
    ("/schools/A001/", "inspector", 200),
    ("/schools/A001/", "admin", 200),
    ("/schools/import/", "anonymous", 302),
    ("/schools/import/", "principal_a", 403),
    ("/schools/import/", "inspector", 200),
    ("/schools/import/", "admin", 200),
    ("/schools/import/template/context.xlsx", "principal_a", 403),
    ("/schools/import/template/context.xlsx", "inspector", 200),
    ("/schools/contexts.xlsx", "principal_a", 403),
    ("/schools/contexts.xlsx", "inspector", 200),
]


@pytest.mark.parametrize(("url", "role", "status"), PAGES)
@pytest.mark.django_db
def test_page_access_by_role(client_for, users, school_b, url, role, status):
    response = client_for(users[role]).get(url)

    assert response.status_code == status


@pytest.mark.django_db
def test_principal_list_shows_only_own_school(client_for, principal_a, school_b):
    response = client_for(principal_a).get("/schools/")

    assert [s.code for s in response.context["schools"]] == ["A001"]


@pytest.mark.django_db
def test_school_list_filters_by_search_settlement_and_flag(client_for, inspector, school_a, school_b):
    School.objects.filter(code="B001").update(settlement="village", is_remote=True)
    client = client_for(inspector)

    assert [s.code for s in client.get("/schools/?settlement=village").context["schools"]] == ["B001"]
    assert [s.code for s in client.get("/schools/?flag=is_remote").context["schools"]] == ["B001"]
    assert [s.code for s in client.get("/schools/?q=Школа А").context["schools"]] == ["A001"]


@pytest.mark.django_db
def test_school_page_shows_context_table_and_chart(client_for, inspector, school_a):
    SchoolContextFactory(school=school_a, year=2023, students=480, teachers=37)
    SchoolContextFactory(school=school_a, year=2024, students=495, teachers=38)

    html = client_for(inspector).get("/schools/A001/").content.decode()

    assert "2023/2024" in html and "2024/2025" in html
    assert "<svg" in html and "Контингент по годам" in html


API = [
    ("/api/schools/", "anonymous", 403),
    ("/api/schools/", "principal_a", 200),
    ("/api/schools/", "inspector", 200),
    ("/api/schools/A001/", "principal_b", 404),
    ("/api/schools/A001/", "principal_a", 200),
    ("/api/contexts/", "anonymous", 403),
    ("/api/municipalities/", "principal_a", 200),
]


@pytest.mark.parametrize(("url", "role", "status"), API)
@pytest.mark.django_db
def test_api_read_access_by_role(client_for, users, school_b, url, role, status):
    assert client_for(users[role]).get(url).status_code == status


@pytest.mark.django_db
def test_api_principal_sees_only_own_school_and_context(client_for, principal_a, school_b, school_a):
    SchoolContextFactory(school=school_a, year=2024)
    SchoolContextFactory(school=school_b, year=2024)
    client = client_for(principal_a)

    schools = client.get("/api/schools/").json()
    contexts = client.get("/api/contexts/").json()

    assert (schools["count"], [s["code"] for s in schools["results"]]) == (1, ["A001"])
    assert [c["school_code"] for c in contexts["results"]] == ["A001"]


@pytest.mark.django_db
def test_api_principal_cannot_write_and_nothing_changes(client_for, principal_a, school_a):
    client = client_for(principal_a)

    response = client.patch("/api/schools/A001/", {"name": "Взлом"}, content_type="application/json")
    created = client.post(
        "/api/contexts/", {"school_code": "A001", "year": 2024}, content_type="application/json"
    )

    assert (response.status_code, created.status_code) == (403, 403)
    assert School.objects.get(code="A001").name != "Взлом"
    assert SchoolContext.objects.count() == 0


@pytest.mark.django_db
def test_api_inspector_writes_context_with_validation_in_russian(client_for, inspector, school_a):
    client = client_for(inspector)

    bad = client.post(
        "/api/contexts/",
        {"school_code": "A001", "year": 2024, "students": 10, "migrants": 11},
        content_type="application/json",
    )
    good = client.post(
        "/api/contexts/",
        {"school_code": "A001", "year": 2024, "students": 10, "migrants": 3},
        content_type="application/json",
    )

    assert bad.status_code == 400
    assert bad.json()["migrants"] == ["Не может быть больше, чем 10 (обучающихся)."]
    assert good.status_code == 201
    assert SchoolContext.objects.get().migrants == 3


@pytest.mark.django_db
def test_api_token_authentication(client, inspector):
    token = Token.objects.create(user=inspector)

    response = client.get("/api/schools/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200


@pytest.mark.django_db
def test_api_schema_and_docs_are_served(client_for, inspector):
    client = client_for(inspector)

    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200

"""School pages and API: list filters, the school page, context validation, tokens, the schema.

Who may open which page or endpoint is decided in tests/trust/test_permission_matrix.py.
"""

import pytest
from rest_framework.authtoken.models import Token

from schools.models import School, SchoolContext
from tests.factories import SchoolContextFactory


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
def test_api_schema_and_docs_are_served_to_portal_users_only(client_for, inspector, principal_a):
    for user in (inspector, principal_a):
        client = client_for(user)
        assert [client.get(url).status_code for url in ("/api/schema/", "/api/docs/", "/api/redoc/")] == [
            200
        ] * 3

    anonymous = client_for(None)
    refused = anonymous.get("/api/schema/")

    assert [refused.status_code, anonymous.get("/api/docs/").status_code] == [403, 403]
    assert "Учетные данные не были предоставлены." in refused.content.decode()


@pytest.mark.django_db
def test_only_administrators_upload_data_files_and_only_they_see_the_upload_button(
    client_for, inspector, administrator, make_xlsx
):
    from tests.schools.test_imports import SCHOOL_HEADER, school_row

    upload = make_xlsx([SCHOOL_HEADER, school_row()], name="реестр.xlsx")
    refused = client_for(inspector).post("/schools/import/", {"kind": "schools", "file": upload})

    assert refused.status_code == 403
    assert not School.objects.filter(code="0101").exists()
    assert "Загрузить данные из Excel" not in client_for(inspector).get("/dashboard/").content.decode()
    assert "Загрузить данные из Excel" in client_for(administrator).get("/dashboard/").content.decode()

"""Help pages: one per role, open to everybody, reachable from every page, with the import templates."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_gets_the_visitor_help(client_for):
    response = client_for(None).get("/help/")

    assert response.status_code == 200
    assert response.context["role"] == "visitor"
    assert "Раздел «Управление качеством образования»" in response.content.decode()


def test_help_opens_the_page_of_the_users_own_role(client_for, administrator, inspector, principal_a):
    assert client_for(administrator).get("/help/").context["role"] == "administrator"
    assert client_for(inspector).get("/help/").context["role"] == "inspector"
    assert client_for(principal_a).get("/help/").context["role"] == "principal"


def test_every_role_page_opens_for_anybody(client_for):
    for role in ("administrator", "inspector", "principal", "visitor"):
        response = client_for(None).get(f"/help/{role}/")
        assert response.status_code == 200, role


def test_unknown_role_is_404(client_for):
    assert client_for(None).get("/help/hacker/").status_code == 404


def test_administrator_help_links_every_import_template(client_for, administrator):
    page = client_for(administrator).get("/help/administrator/").content.decode()

    for kind in ("schools", "context"):
        assert reverse("schools:import-template", args=[kind]) in page


def test_anonymous_sees_no_template_links_but_is_told_to_log_in(client_for):
    page = client_for(None).get("/help/administrator/").content.decode()

    assert "/schools/import/template/" not in page
    assert "Шаблоны доступны сотрудникам управления образования после" in page


def test_login_and_school_pages_link_to_help(client_for, principal_a, school_a):
    assert 'href="/help/"' in client_for(None).get("/accounts/login/").content.decode()
    assert 'href="/help/"' in client_for(principal_a).get(school_a.get_absolute_url()).content.decode()

"""Region mode through the API (DESIGN §6): a municipal roadmap says which municipality it belongs to, a
regional specialist places it in one of the region's municipalities, and an inspector cannot place it
outside their own — the same rules as the roadmap form."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from roadmaps.models import Roadmap
from tests.factories import MunicipalityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

PASSWORD = "пароль-для-тестов-123"
NEW_ROADMAP = {"title": "Дорожная карта 2026", "kind": "municipal"}


@pytest.fixture
def region():
    alpha = MunicipalityFactory(name="Альфинский округ", code="alpha")
    beta = MunicipalityFactory(name="Бетинский округ", code="beta")
    SchoolFactory(code="A1", municipality=alpha)
    SchoolFactory(code="B1", municipality=beta)
    return alpha, beta


def _user(username: str, role: str, *scope: str) -> User:
    call_command("portal_user", username, "--role", role, *scope, "--password", PASSWORD)
    return User.objects.get(username=username)


def test_a_regional_specialist_places_a_municipal_roadmap_by_the_municipality_code(client_for, region):
    client = client_for(_user("regional_t", "regional"))

    answer = client.post(
        "/api/roadmaps/", {**NEW_ROADMAP, "municipality": "beta"}, content_type="application/json"
    )

    assert answer.status_code == 201, answer.json()
    assert answer.json()["municipality"] == "beta"
    assert Roadmap.objects.get(pk=answer.json()["id"]).municipality.code == "beta"
    assert client.get(f"/api/roadmaps/{answer.json()['id']}/").json()["municipality"] == "beta"


def test_a_school_programme_shows_its_schools_municipality(client_for, region):
    client = client_for(_user("regional_t", "regional"))

    answer = client.post(
        "/api/roadmaps/",
        {"title": "Программа помощи", "kind": "school", "school_code": "A1"},
        content_type="application/json",
    )

    assert answer.status_code == 201, answer.json()
    assert answer.json()["municipality"] == "alpha"


def test_an_inspector_cannot_place_a_roadmap_in_another_municipality(client_for, region):
    client = client_for(_user("inspector_a", "inspector", "--municipality", "alpha"))

    answer = client.post(
        "/api/roadmaps/", {**NEW_ROADMAP, "municipality": "beta"}, content_type="application/json"
    )

    assert answer.status_code == 400
    assert answer.json()["municipality"] == ["Объект с code=beta не существует."]
    assert not Roadmap.objects.exists()


def test_an_inspectors_roadmap_without_a_municipality_is_placed_in_their_own(client_for, region):
    client = client_for(_user("inspector_a", "inspector", "--municipality", "alpha"))

    answer = client.post("/api/roadmaps/", NEW_ROADMAP, content_type="application/json")

    assert answer.status_code == 201, answer.json()
    assert answer.json()["municipality"] == "alpha"


def test_the_regional_list_of_roadmaps_narrows_to_one_municipality(client_for, region):
    alpha, beta = region
    Roadmap.objects.create(title="Карта Альфы", kind="municipal", municipality=alpha)
    Roadmap.objects.create(title="Карта Беты", kind="municipal", municipality=beta)
    client = client_for(_user("regional_t", "regional"))

    titles = [r["title"] for r in client.get("/api/roadmaps/?municipality=beta").json()["results"]]

    assert titles == ["Карта Беты"]

"""Region mode, DESIGN §6: the staff lists can be filtered by municipality and show it; an inspector bound
to one municipality sees its schools only, without a filter that would offer nothing."""

import re

import pytest

from indicators.services import statuses_compute
from schools.models import Municipality, Profile, Region
from schools.reference import seed as seed_roles
from schools.roles import INSPECTOR, REGIONAL
from tests.factories import UserFactory
from tests.indicators.municipality import build


@pytest.fixture
def two_municipalities(catalogue):
    """The hand-worked town of tests/indicators (8 schools) with V1 and V2 moved to a second municipality."""
    seed_roles()
    schools = build()
    region = Region.objects.create(name="Тестовая область")
    first = schools["T1"].municipality
    first.region = region
    first.save()
    second = Municipality.objects.create(name="Сельский район", code="selsky", region=region)
    for code in ("V1", "V2"):
        schools[code].municipality = second
        schools[code].save()
    for year in (2023, 2024):
        statuses_compute(year=year)
    return first, second


def _school_links(html: str) -> set[str]:
    return set(re.findall(r"/indicators/school/([A-Z0-9]+)/", html))


def test_the_regional_specialist_filters_the_indicator_table_by_municipality(client, two_municipalities):
    first, second = two_municipalities
    from django.contrib.auth.models import Group

    client.force_login(UserFactory(username="regional", groups=[Group.objects.get(name=REGIONAL)]))
    page = client.get("/indicators/table/", {"year": 2024}).content.decode()
    assert 'name="municipality"' in page and "Сельский район" in page
    assert _school_links(page) == {"T1", "T2", "T3", "T4", "V1", "V2", "B1", "N1"}
    only_second = client.get("/indicators/table/", {"year": 2024, "municipality": "selsky"}).content.decode()
    assert _school_links(only_second) == {"V1", "V2"}
    assert only_second.count('data-label="Муниципалитет">Сельский район<') == 2


def test_an_inspector_of_one_municipality_sees_its_schools_and_no_municipality_filter(
    client, two_municipalities
):
    first, _ = two_municipalities
    from django.contrib.auth.models import Group

    inspector = UserFactory(username="insp", groups=[Group.objects.get(name=INSPECTOR)])
    Profile.objects.create(user=inspector).municipalities.set([first])
    client.force_login(inspector)
    page = client.get("/indicators/table/", {"year": 2024}).content.decode()
    assert 'name="municipality"' not in page
    assert _school_links(page) == {"T1", "T2", "T3", "T4", "B1", "N1"}
    # asking for the other municipality's schools gives nothing of it
    assert _school_links(
        client.get("/indicators/table/", {"year": 2024, "municipality": "selsky"}).content.decode()
    ) == {
        "T1",
        "T2",
        "T3",
        "T4",
        "B1",
        "N1",
    }
    lists = client.get("/indicators/", {"year": 2024}).content.decode()
    assert not {"V1", "V2"} & _school_links(lists)


def _list_section(html: str, kind: str) -> str:
    start = html.index(f'id="list-{kind}"')
    end = html.find('<section class="card"', start)
    return html[start:end]


def test_a_long_list_is_paged_each_list_on_its_own_and_the_pages_make_up_the_list(
    client, two_municipalities, monkeypatch
):
    """A region's ШНСУ list runs to thousands of schools: the lists page shows it a page at a time, and
    turning the pages of one list leaves the other where it was."""
    from django.contrib.auth.models import Group

    import indicators.views
    from indicators.selectors import list_dynamics

    monkeypatch.setattr(indicators.views, "LIST_PAGE_SIZE", 1)
    client.force_login(UserFactory(username="regional", groups=[Group.objects.get(name=REGIONAL)]))
    unfavourable = {s.code for s in list_dynamics(year=2024)["unfavourable"]["current"]}
    low_results = {s.code for s in list_dynamics(year=2024)["low_results"]["current"]}
    assert len(unfavourable) == 2  # two pages of one school

    seen, page_number = set(), 1
    while True:
        html = client.get(
            "/indicators/", {"year": 2024, "page_unfavourable": page_number, "page_low_results": 1}
        ).content.decode()
        section = _list_section(html, "unfavourable")
        on_page = _school_links(section.split('<p class="help">', 2)[1].split("Вышли из списка")[0])
        assert len(on_page) == 1
        assert f"Страница {page_number} из " in section
        seen |= on_page
        # the other list stays on its first page
        assert _school_links(_list_section(html, "low_results").split("Вышли из списка")[0]) <= low_results
        if 'rel="next"' not in section:
            break
        assert f"page_unfavourable={page_number + 1}" in section
        page_number += 1
    assert page_number == 2 and seen == unfavourable

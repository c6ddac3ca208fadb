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

"""Region mode, DESIGN §6: a report of an inspector bound to a municipality is about that municipality; the
kinds that cover the whole installation are left to those who see all of it."""

import pytest
from django.contrib.auth.models import Group

from reports.services import REPORT_WHOLE_REGION_ONLY, BuildError, report_create
from schools.models import Municipality, Profile, Region
from schools.reference import seed as seed_roles
from schools.roles import INSPECTOR
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector_of_north():
    seed_roles()
    region = Region.objects.create(name="Область")
    north = Municipality.objects.create(name="Северный округ", code="north", region=region)
    south = Municipality.objects.create(name="Южный округ", code="south", region=region)
    SchoolFactory(code="N1", municipality=north)
    SchoolFactory(code="S1", municipality=south)
    user = UserFactory(username="insp_north", groups=[Group.objects.get(name=INSPECTOR)])
    Profile.objects.create(user=user).municipalities.set([north])
    return user


def test_the_annual_report_of_a_bound_inspector_is_about_their_municipality(inspector_of_north):
    report = report_create(kind="annual", year=2025, user=inspector_of_north)
    assert (report.municipality.code, report.params["municipality"]) == ("north", "north")
    with pytest.raises(BuildError):
        report_create(kind="annual", year=2025, params={"municipality": "south"}, user=inspector_of_north)


def test_a_bound_inspector_profiles_only_their_schools_and_leaves_region_wide_kinds(inspector_of_north):
    assert (
        report_create(
            kind="school", year=2025, params={"school": "N1"}, user=inspector_of_north
        ).municipality.code
        == "north"
    )
    with pytest.raises(BuildError):
        report_create(kind="school", year=2025, params={"school": "S1"}, user=inspector_of_north)
    with pytest.raises(BuildError) as refused:
        report_create(kind="effectiveness", year=2025, user=inspector_of_north)
    assert refused.value.message == REPORT_WHOLE_REGION_ONLY


def test_the_counters_of_the_reports_page_count_only_the_reports_in_scope(inspector_of_north):
    from reports.selectors import report_kind_counts

    report_create(kind="annual", year=2025, params={"municipality": "south"})  # the region's staff built it
    report_create(kind="annual", year=2025, user=inspector_of_north)
    assert report_kind_counts(user=inspector_of_north) == {
        "total": 1,
        "published": 0,
        "failed": 0,
        "running": 1,
    }

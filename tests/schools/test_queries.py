"""schools.queries.distinct_years: the years of a table read by index probes, the same as SELECT DISTINCT."""

import pytest

from schools.models import SchoolContext
from schools.queries import distinct_years
from tests.factories import SchoolContextFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_distinct_years_are_every_year_once_newest_first_gaps_kept():
    first, second = SchoolFactory(), SchoolFactory()
    for school, year in [(first, 2019), (first, 2021), (second, 2021), (second, 2024), (first, 2024)]:
        SchoolContextFactory(school=school, year=year)

    assert distinct_years(SchoolContext.objects.all()) == [2024, 2021, 2019]
    assert distinct_years(SchoolContext.objects.filter(school=second)) == [2024, 2021]
    assert distinct_years(SchoolContext.objects.none()) == []
    assert distinct_years(SchoolContext.objects.filter(school=first, year__lt=2020)) == [2019]

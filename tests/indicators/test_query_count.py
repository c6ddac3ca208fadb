"""The computation and the list selectors run a fixed number of queries whatever the number of schools."""

import pytest

from indicators import selectors
from indicators.models import SchoolStatus
from indicators.services import statuses_compute
from schools.models import SchoolContext
from tests.factories import SchoolFactory
from tests.indicators.factories import result

# 40 for the indicators and lists, and a fixed number for the objectivity markers of DESIGN §8 (the
# year's ВПР, КДР and ОГЭ rows narrowed by the database, the group shares, the medal candidates, the
# list of the year before, and the bulk write).
MAX_QUERIES = 60


def make_schools(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        school = SchoolFactory(code=f"Q{n:03d}", is_small=n % 3 == 0)
        for year in (2023, 2024):
            SchoolContext.objects.create(
                school=school, year=year, students=150 + n, teachers=12, migrants=n % 4
            )
            result(school, year, "VPR", "russian", 5, 20, mark2=n % 7)


@pytest.mark.parametrize("count", [3, 30])
def test_compute_queries_do_not_grow_with_schools(catalogue, django_assert_max_num_queries, count):
    make_schools(count)

    with django_assert_max_num_queries(MAX_QUERIES):
        statuses_compute(year=2024)

    assert SchoolStatus.objects.filter(year=2024).count() == count


@pytest.mark.parametrize("count", [3, 30])
def test_list_selectors_queries_do_not_grow_with_schools(
    catalogue, django_assert_max_num_queries, count, inspector
):
    make_schools(count)
    statuses_compute(year=2023)
    statuses_compute(year=2024)

    # 15: the reader's scope (DESIGN §6) costs one query more, whatever the number of schools
    with django_assert_max_num_queries(15):
        selectors.list_dynamics(year=2024)
        selectors.status_list(year=2024, user=inspector)
        statuses = selectors.status_table(year=2024, user=inspector)
        selectors.indicator_cells(year=2024, statuses=statuses)


def test_compute_runs_the_same_queries_for_3_and_30_schools(catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_schools(3)
    with CaptureQueriesContext(connection) as small:
        statuses_compute(year=2024)
    make_schools(27, start=3)
    with CaptureQueriesContext(connection) as large:
        statuses_compute(year=2024)

    assert SchoolStatus.objects.filter(year=2024).count() == 30
    assert len(large.captured_queries) == len(small.captured_queries)

import pytest

from indicators.reference import seed
from indicators.services import statuses_compute
from schools.roles import PRINCIPAL
from tests.factories import UserFactory
from tests.indicators.municipality import build


@pytest.fixture
def catalogue(db):
    seed()


@pytest.fixture
def town(catalogue):
    """The test town of municipality.py with its statuses computed for 2023 and 2024 (test_compute.py
    overrides it with the town before any computation)."""
    schools = build()
    for year in (2023, 2024):
        statuses_compute(year=year)
    return schools


@pytest.fixture
def principal_t1(roles, town):
    return UserFactory(username="principal_t1", groups=[roles[PRINCIPAL]], school=town["T1"])

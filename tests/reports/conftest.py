import pytest

from tests.reports.factories import seed_catalogue, two_years


@pytest.fixture
def catalogue(db):
    seed_catalogue()


@pytest.fixture
def computed(catalogue):
    two_years()

import pytest

from indicators.reference import seed


@pytest.fixture
def catalogue(db):
    seed()

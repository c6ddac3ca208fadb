import pytest

from tests.monitoring.factories import make_open_campaign


@pytest.fixture
def campaign(school_a, school_b):
    """A campaign for schools A and B with every stage still open."""
    return make_open_campaign(schools=[school_a, school_b])

import pytest

from roadmaps.reference import seed


@pytest.fixture(autouse=True)
def roadmap_reference(db):
    """Directions, cycle stages and the responsibility matrix, as `seed_reference` creates them."""
    seed()

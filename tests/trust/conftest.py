"""Actors of every role and a small world of objects for URL kwargs (more apps add theirs when present)."""

import pytest

ROLES = ("anonymous", "principal_a", "principal_b", "inspector", "administrator")


@pytest.fixture
def actors(administrator, inspector, principal_a, principal_b):
    return {
        "anonymous": None,
        "principal_a": principal_a,
        "principal_b": principal_b,
        "inspector": inspector,
        "administrator": administrator,
    }

"""Objects that URL kwargs point at: school A (principal A's) and school B, and each app's objects of A."""

from django.apps import apps

from schools.jobs import job_create
from schools.models import ImportBatch
from tests.factories import SchoolContextFactory


def build_world(actors) -> dict:
    """A dict of named objects; apps that are not built yet simply add nothing."""
    principal_a = actors["principal_a"]
    school_a = principal_a.profile.school
    school_b = actors["principal_b"].profile.school
    world = {
        "school_a": school_a,
        "school_b": school_b,
        "context_a": SchoolContextFactory(school=school_a, year=2024),
        "job_a": job_create(kind="import:schools", title="Импорт", user=principal_a),
        "batch": ImportBatch.objects.create(kind="schools", file_name="schools.xlsx", sha256="0" * 64),
    }
    for extend in _EXTENSIONS:
        extend(world, actors)
    return world


def _app_ready(label: str, *models: str) -> bool:
    try:
        for model in models:
            apps.get_model(label, model)
    except LookupError:
        return False
    return True


_EXTENSIONS: list = []

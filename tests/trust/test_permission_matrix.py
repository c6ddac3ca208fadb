"""Permission matrix: every route × every role × every method it handles → the expected status.

`test_every_route_is_in_the_matrix` walks the URL resolver and fails for a route (or a method of it)
missing here, so a new page cannot ship without deciding who may open it. Denied writes change nothing.
Roles, in the order of each tuple: anonymous, principal of school A, principal of school B, inspector,
administrator. Objects in kwargs belong to school A (see world.py).
"""

import json

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse

from .conftest import ROLES
from .routes import portal_routes
from .world import build_world

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Statuses that mean "refused" (and the login redirect of an anonymous user, see _refused).
DENIED = {401, 403, 404, 405}

# (anonymous, principal A, principal B, inspector, administrator)
LOGIN = 302
OWN_REDIRECTS = {"home", "logout"}  # they redirect everyone somewhere else than the login page
MATRIX: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    # --- site root, login, two-factor ---
    "home": {"GET": (302, 302, 302, 302, 302)},
    "dashboard": {"GET": (LOGIN, 403, 403, 200, 200)},
    "login": {"GET": (200, 200, 200, 200, 200), "POST": (200, 200, 200, 200, 200)},
    "logout": {"POST": (302, 302, 302, 302, 302)},
    "two_factor:enrol": {"GET": (LOGIN, 403, 403, 200, 200), "POST": (LOGIN, 403, 403, 200, 200)},
    "two_factor:verify": {"GET": (LOGIN, 403, 403, 302, 302), "POST": (LOGIN, 403, 403, 302, 302)},
    # --- schools ---
    "schools:list": {"GET": (LOGIN, 200, 200, 200, 200)},
    "schools:detail": {"GET": (LOGIN, 200, 404, 200, 200)},
    "schools:import": {"GET": (LOGIN, 403, 403, 200, 200), "POST": (LOGIN, 403, 403, 200, 200)},
    "schools:import-template": {"GET": (LOGIN, 403, 403, 200, 200)},
    "schools:contexts-export": {"GET": (LOGIN, 403, 403, 200, 200)},
    "jobs:detail": {"GET": (LOGIN, 200, 404, 200, 200)},
    "jobs:status": {"GET": (LOGIN, 200, 404, 200, 200)},
    "audit": {"GET": (LOGIN, 403, 403, 200, 200)},
    # --- API: schema and docs are public (no data), data needs a role ---
    "api-schema": {"GET": (200, 200, 200, 200, 200)},
    "api-docs": {"GET": (200, 200, 200, 200, 200)},
    "api-redoc": {"GET": (200, 200, 200, 200, 200)},
    "api-token": {"POST": (400, 400, 400, 400, 400)},
    "municipality-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "municipality-detail": {
        "GET": (403, 200, 200, 200, 200), "PUT": (403, 403, 403, 400, 400), "PATCH": (403, 403, 403, 200, 200),
        "DELETE": (403, 403, 403, 409, 409),
    },
    "school-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "school-detail": {
        "GET": (403, 200, 404, 200, 200), "PUT": (403, 403, 403, 400, 400), "PATCH": (403, 403, 403, 200, 200),
        "DELETE": (403, 403, 403, 204, 204),
    },
    "context-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "context-detail": {
        "GET": (403, 200, 404, 200, 200), "PUT": (403, 403, 403, 400, 400), "PATCH": (403, 403, 403, 200, 200),
        "DELETE": (403, 403, 403, 204, 204),
    },
}

# URL kwargs by route name, from the world's objects.
KWARGS = {
    "schools:detail": lambda w: {"code": w["school_a"].code},
    "schools:import-template": lambda w: {"kind": "schools"},
    "jobs:detail": lambda w: {"pk": w["job_a"].pk},
    "jobs:status": lambda w: {"pk": w["job_a"].pk},
    "municipality-detail": lambda w: {"pk": w["school_a"].municipality_id},
    "school-detail": lambda w: {"code": w["school_a"].code},
    "context-detail": lambda w: {"pk": w["context_a"].pk},
}


def test_every_route_is_in_the_matrix():
    routes = portal_routes()
    missing = sorted(f"{name} ({route.route})" for name, route in routes.items() if name not in MATRIX)
    unlisted_methods = sorted(
        f"{name} {method}" for name, route in routes.items() if name in MATRIX
        for method in route.methods if method not in MATRIX[name]
    )
    stale = sorted(set(MATRIX) - set(routes))
    assert missing == [], "Маршруты без строки в матрице прав: " + ", ".join(missing)
    assert unlisted_methods == [], "Методы без строки в матрице прав: " + ", ".join(unlisted_methods)
    assert stale == [], "В матрице есть маршруты, которых больше нет: " + ", ".join(stale)


def _row_counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.db_table in tables}


def _request(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, {})
    return getattr(client, method.lower())(url, data=json.dumps({}), content_type="application/json")


def _refused(name: str, role: str, expected: int) -> bool:
    return expected in DENIED or (expected == LOGIN and role == "anonymous" and name not in OWN_REDIRECTS)


CASES = [(name, method) for name, methods in MATRIX.items() for method in methods]


@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_permission_matrix(name, method, actors, client_for):
    world = build_world(actors)
    url = reverse(name, kwargs=KWARGS[name](world) if name in KWARGS else None)
    observed, side_effects = {}, []
    for role, expected in zip(ROLES, MATRIX[name][method], strict=True):
        with transaction.atomic():
            client = client_for(actors[role])
            before = _row_counts() if method in UNSAFE and _refused(name, role, expected) else None
            response = _request(client, method, url)
            observed[role] = response.status_code
            if response.status_code == LOGIN and _refused(name, role, expected) and expected == LOGIN:
                assert response["Location"].startswith(reverse("login")), (name, method, response["Location"])
            if before is not None and _row_counts() != before:
                side_effects.append(role)
            transaction.set_rollback(True)
    assert observed == dict(zip(ROLES, MATRIX[name][method], strict=True)), f"{method} {url}"
    assert side_effects == [], f"{method} {url}: отказ, но данные изменились у {side_effects}"

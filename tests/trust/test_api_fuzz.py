"""schemathesis against /api/schema/: random valid and invalid requests never make the API answer 5xx.

Runs as a principal (school A) and as an inspector, through the Django WSGI app, with a bounded number of
examples per operation so the whole run stays around a minute or two.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from .world import build_world

MAX_EXAMPLES = 20


@pytest.fixture
def api_schema(db, actors):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    build_world(actors)
    token = Token.objects.get_or_create(user=actors["inspector"])[0].key  # the schema is for portal users
    # As Django's test client does: the real WSGI handler would close the connection holding the test's
    # transaction at the end of every request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.from_wsgi(
        "/api/schema/?format=json", application, headers={"Authorization": f"Token {token}"}
    )
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.from_pytest_fixture("api_schema")


@pytest.fixture
def tokens(actors):
    return {
        role: Token.objects.get_or_create(user=actors[role])[0].key for role in ("principal_a", "inspector")
    }


@pytest.mark.slow  # still part of every `make test` / CI run; -m "not slow" skips it locally
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_the_api_never_answers_5xx(case, tokens):
    for token in tokens.values():  # the same request as a principal and as an inspector
        response = case.call_wsgi(headers={"Authorization": f"Token {token}"})
        case.validate_response(response, checks=(not_a_server_error,))

"""Shared fixtures: users of every role, schools, files, and a real Celery worker when REDIS_URL is set."""

import io
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from openpyxl import Workbook

from schools.reference import seed as seed_roles
from schools.roles import ADMINISTRATOR, INSPECTOR, PRINCIPAL
from tests.factories import SchoolFactory, UserFactory

# `make test-fast` leaves out the tests marked slow. Marked here, so test bodies stay as they are: the
# Chromium journeys (their folder), property-based fuzzing (hypothesis and schemathesis tests), the
# tests taking a fixture that builds a WeasyPrint PDF (annual, built, published) and the walks over
# every route for every role (actors: they build the whole trust world per case, about 60 % of the CPU
# of the rest of the suite; test_every_route_is_in_the_matrix stays fast); other PDF and demo builders
# carry @pytest.mark.slow themselves.
SLOW_FOLDERS = (Path(__file__).parent / "browser",)
SLOW_FIXTURES = {"annual", "built", "published", "actors"}
# Under xdist (`-n`, `--dist loadgroup`) each group runs in one worker: the browser journeys share one
# demo database built per worker session, and the Celery worker tests share the queues on REDIS_URL.
XDIST_GROUPS = {"browser": "browser", "celery_worker": "redis"}


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects
def pytest_collection_modifyitems(items):
    for item in items:
        if (
            any(item.path.is_relative_to(folder) for folder in SLOW_FOLDERS)
            or getattr(getattr(item, "function", None), "is_hypothesis_test", False)
            or SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        ):
            item.add_marker(pytest.mark.slow)
        for marker, group in XDIST_GROUPS.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_DIR = settings.MEDIA_ROOT / "reports"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API throttle counters live in the cache: each test starts with none (no cross-test 429s)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def roles(db):
    seed_roles()
    return {name: Group.objects.get(name=name) for name in (ADMINISTRATOR, INSPECTOR, PRINCIPAL)}


@pytest.fixture
def school_a(db):
    return SchoolFactory(code="A001", short_name="Школа А")


@pytest.fixture
def school_b(db):
    return SchoolFactory(code="B001", short_name="Школа Б")


@pytest.fixture
def administrator(roles):
    return UserFactory(username="admin_user", groups=[roles[ADMINISTRATOR]], is_staff=True, is_superuser=True)


@pytest.fixture
def inspector(roles):
    return UserFactory(username="inspector_user", groups=[roles[INSPECTOR]])


@pytest.fixture
def principal_a(roles, school_a):
    return UserFactory(username="principal_a", groups=[roles[PRINCIPAL]], school=school_a)


@pytest.fixture
def principal_b(roles, school_b):
    return UserFactory(username="principal_b", groups=[roles[PRINCIPAL]], school=school_b)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a Django test client logged in as user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


def xlsx_file(rows, *, name="file.xlsx") -> io.BytesIO:
    """An in-memory xlsx whose first sheet holds `rows` (lists of cell values)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


@pytest.fixture
def make_xlsx():
    return xlsx_file


@pytest.fixture(scope="session")
def _celery_worker_thread(django_db_blocker):
    """A real Celery worker thread consuming from Redis, started once per session."""
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI") == "true" and os.environ.get("DATABASE_URL"):
            pytest.fail("REDIS_URL не задан в CI: тесты Celery должны идти через настоящего исполнителя.")
        pytest.skip("REDIS_URL не задан: тест с настоящим исполнителем Celery пропущен.")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with (
        django_db_blocker.unblock(),
        start_worker(
            app,
            queues=["celery", "reports"],
            perform_ping_check=False,
            pool="solo",
            loglevel="WARNING",
            shutdown_timeout=30,
        ),
    ):
        yield app


@pytest.fixture
def celery_worker_on_redis(_celery_worker_thread):
    """Tasks of this test go through the real worker; every other test keeps running them in process."""
    app = _celery_worker_thread
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = True

"""Faults: a worker killed mid-job, Redis down when a task starts, a dropped database connection."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from schools.jobs import QUEUE_UNAVAILABLE, job_create, job_enqueue, jobs_resend_stale
from schools.models import Job, Municipality, School
from schools.tasks import run_import_task
from tests.schools.test_imports import SCHOOL_HEADER, school_row
from tests.trust.fault_tasks import QUEUE

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI") == "true"


def _needs(condition: bool, reason: str) -> None:
    """Skip without the service.

    In CI's PostgreSQL + Redis run a missing service is a failure, never a skip.
    """
    if not condition:
        if IN_CI and os.environ.get("DATABASE_URL"):
            pytest.fail(f"В CI обязателен настоящий сервис: {reason}")
        pytest.skip(reason)


def _redis_alive(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.exceptions.RedisError:
        return False


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"не дождались: {what} за {seconds} с")


def _import_job(settings, make_xlsx, user):
    path = settings.MEDIA_ROOT / "uploads" / "schools.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(make_xlsx([SCHOOL_HEADER, school_row()]).getvalue())
    return job_create(
        kind="import:schools",
        title="Импорт",
        user=user,
        params={
            "kind": "schools",
            "path": "uploads/schools.xlsx",
            "file_name": "schools.xlsx",
            "dry_run": False,
        },
    )


# --- the sweeper (runs everywhere, with tasks run in process) ------------------------------------------


@pytest.fixture
def eager():
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = saved


def test_a_job_left_running_by_a_dead_worker_is_sent_again_and_finishes(
    eager, settings, make_xlsx, inspector, django_capture_on_commit_callbacks
):
    job = _import_job(settings, make_xlsx, inspector)
    job_enqueue(job=job, task=run_import_task)  # on_commit not run: the message "was lost with the worker"
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=1, updated_at=job.created_at - timedelta(hours=1)
    )
    assert jobs_resend_stale(older_than_minutes=35) == [job.pk]
    finished = Job.objects.get(pk=job.pk)
    assert (finished.status, finished.attempts) == (Job.Status.DONE, 2)
    assert School.objects.filter(code="0101").exists()
    assert jobs_resend_stale(older_than_minutes=35) == []


def test_a_live_job_is_not_sent_twice(eager, settings, make_xlsx, inspector):
    job = _import_job(settings, make_xlsx, inspector)
    job_enqueue(job=job, task=run_import_task)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1)
    assert jobs_resend_stale(older_than_minutes=35) == []
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_a_job_that_keeps_crashing_stops_after_three_attempts(eager, settings, make_xlsx, inspector):
    job = _import_job(settings, make_xlsx, inspector)
    job_enqueue(job=job, task=run_import_task)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=3, updated_at=job.created_at - timedelta(hours=1)
    )
    jobs_resend_stale(older_than_minutes=35)
    stopped = Job.objects.get(pk=job.pk)
    assert (stopped.status, stopped.message) == (
        Job.Status.FAILED,
        "Задача прервана 3 раза подряд и остановлена.",
    )


def test_the_sweeper_is_on_the_beat_schedule_and_limits_fit_the_broker(settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["jobs-resend-stale"]["task"] == "schools.tasks.jobs_resend_stale_task"
    )
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT < visibility
    assert settings.CELERY_TASK_TIME_LIMIT < settings.JOBS_STALE_AFTER_MINUTES * 60 < visibility
    assert (settings.CELERY_TASK_ACKS_LATE, settings.CELERY_TASK_REJECT_ON_WORKER_LOST) == (True, True)
    assert settings.CELERY_ACCEPT_CONTENT == ["json"] and settings.CELERY_TASK_SERIALIZER == "json"


# --- Redis down when a user starts a task -------------------------------------------------------------


@pytest.fixture
def dead_broker():
    """Celery pointed at a closed port, as with REDIS_URL=redis://127.0.0.1:9/0."""
    from config.celery import app

    def fresh_connections():  # producers are pooled per broker URL: drop them when it changes
        app._pool = None
        app.amqp._producer_pool = None

    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "broker_connection_timeout")}
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:9/0", broker_connection_timeout=1)
    fresh_connections()
    app.back_online = lambda: (app.conf.update(saved), fresh_connections())
    yield app
    app.conf.update(saved)
    fresh_connections()


def test_redis_down_gives_a_clear_message_and_loses_nothing(
    dead_broker, administrator, client_for, make_xlsx, caplog, django_capture_on_commit_callbacks
):
    client = client_for(administrator)
    upload = make_xlsx([SCHOOL_HEADER, school_row()])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/schools/import/", {"kind": "schools", "file": upload})
    assert time.monotonic() - started < 15
    job = Job.objects.get()
    assert "Connection refused" in " ".join(
        r.getMessage() for r in caplog.records if r.name == "schools.jobs"
    )
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.message) == (Job.Status.QUEUED, QUEUE_UNAVAILABLE)
    assert (Path(job.params["path"]).suffix, job.params["task"]) == (".xlsx", "schools.tasks.run_import_task")
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and "Очередь фоновых задач недоступна" in page.content.decode()
    assert client.get("/schools/").status_code == 200
    # The queue is back: the sweeper sends the saved job and the import completes.
    dead_broker.back_online()
    dead_broker.conf.task_always_eager = True  # run the resent job here, in process
    assert jobs_resend_stale() == [job.pk]
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE
    assert School.objects.filter(code="0101").exists()


# --- the database connection dropped between requests (PostgreSQL) -------------------------------------


def _wsgi_get(path: str, cookies) -> int:
    """A request through Django's real WSGI handler (the test client skips the request_started checks)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD="GET", HTTP_COOKIE=cookies.output(header="", sep="; ")
    )
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(int(status[:3])))
    response.close()
    return statuses[0]


@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_is_replaced_on_the_next_request(inspector, client_for, settings):
    _needs(connection.vendor == "postgresql", "проверка обрыва соединения — только на PostgreSQL")
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    cookies = client_for(inspector).cookies
    assert _wsgi_get("/schools/", cookies) == 200
    connection.ensure_connection()
    old_pid = connection.connection.info.backend_pid
    import psycopg2

    with psycopg2.connect(**connection.get_connection_params()) as killer, killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old_pid])
    assert _wsgi_get("/schools/", cookies) == 200
    assert connection.connection.info.backend_pid != old_pid


# --- a real worker killed with SIGKILL in the middle of a job -------------------------------------------


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-I",
            "tests.trust.fault_tasks",
            "-Q",
            QUEUE,
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
            "-n",
            f"trust-{time.time_ns()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_leaves_nothing_running_and_the_job_finishes(tmp_path):
    redis_url = os.environ.get("REDIS_URL", "")
    _needs(
        bool(redis_url) and _redis_alive(redis_url),
        "нужен Redis (REDIS_URL) для настоящего исполнителя Celery",
    )
    _needs(connection.vendor == "postgresql", "настоящий исполнитель работает с тестовой базой PostgreSQL")
    from config.celery import app
    from tests.trust.fault_tasks import slow_job_task

    with app.connection_for_write() as broker:  # messages of an earlier, interrupted run
        broker.default_channel.queue_declare(QUEUE, durable=True, auto_delete=False)
        broker.default_channel.queue_purge(QUEUE)

    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
    )
    app.conf.task_always_eager = False
    log = tmp_path / "worker.log"
    first = _start_worker(env, log)
    second = None
    try:
        job = job_create(kind="test:slow", title="Медленная задача")
        job_enqueue(job=job, task=slow_job_task)  # transactional test: on_commit sends at once
        _wait(lambda: Job.objects.get(pk=job.pk).progress >= 20, 60, "задача дошла до середины")
        _kill_group(first)  # SIGKILL to the worker and its pool: no ack, no cleanup
        stuck = Job.objects.get(pk=job.pk)
        assert (stuck.status, stuck.attempts) == (Job.Status.RUNNING, 1)
        assert not Municipality.objects.filter(
            name=f"Результат задачи {job.pk}"
        ).exists()  # nothing half-written

        second = _start_worker(env, log)
        Job.objects.filter(pk=job.pk).update(updated_at=stuck.updated_at - timedelta(hours=1))
        assert jobs_resend_stale(older_than_minutes=35) == [job.pk]  # what beat does every two minutes
        done = _wait(
            lambda: Job.objects.filter(pk=job.pk, status=Job.Status.DONE).first(), 60, "задача завершилась"
        )
        assert (done.progress, done.attempts, done.result) == (100, 2, {"attempt": 2})
        assert Municipality.objects.filter(name=f"Результат задачи {job.pk}").count() == 1
        assert not Job.objects.filter(status=Job.Status.RUNNING).exists()
    except AssertionError:
        print(log.read_text(errors="replace")[-4000:])
        raise
    finally:
        _kill_group(first)
        if second is not None:
            _kill_group(second)
        app.conf.task_always_eager = True  # the test settings' default (CELERY_TASK_ALWAYS_EAGER)

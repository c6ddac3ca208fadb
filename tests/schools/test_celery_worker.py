"""The upload → Celery → progress path through a real worker consuming from Redis (REDIS_URL)."""

import time

import pytest

from schools.jobs import job_create, job_enqueue
from schools.models import Job, School
from schools.tasks import run_import_task
from tests.schools.test_imports import SCHOOL_HEADER, school_row

pytestmark = pytest.mark.celery_worker


def wait_for(job_id: int, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"задача {job_id} не завершилась за {seconds} с")


@pytest.mark.django_db(transaction=True)
def test_import_job_runs_in_a_real_worker(celery_worker_on_redis, settings, make_xlsx, inspector):
    path = settings.MEDIA_ROOT / "uploads" / "schools.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(make_xlsx([SCHOOL_HEADER, school_row()]).getvalue())
    job = job_create(
        kind="import:schools",
        title="Импорт",
        user=inspector,
        params={
            "kind": "schools",
            "path": "uploads/schools.xlsx",
            "file_name": "schools.xlsx",
            "dry_run": False,
        },
    )

    job_enqueue(job=job, task=run_import_task)

    finished = wait_for(job.pk)
    assert (finished.status, finished.progress, finished.attempts) == ("done", 100, 1)
    assert School.objects.filter(code="0101").exists()

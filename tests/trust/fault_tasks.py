"""Fault tasks: a slow job for the worker-crash test (the worker subprocess loads this module with
`-I tests.trust.fault_tasks`) and a job that meets a locked database."""

import time

from celery import shared_task
from django.db import OperationalError, transaction

from schools.jobs import JobTask, job_finish, job_progress, job_start
from schools.models import Municipality

QUEUE = "trust-faults"  # its own queue: no other worker of the test session takes these messages
STEPS = 20
STEP_SECONDS = 0.25


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, queue=QUEUE)
def slow_job_task(self, job_id: int) -> None:
    """Reports progress for ~5 s, then writes its result in one transaction (never half-written)."""
    job = job_start(job_id=job_id)
    if job is None:
        return
    for step in range(STEPS):
        job_progress(job_id=job_id, percent=step * 100 // STEPS, message=f"шаг {step + 1} из {STEPS}")
        time.sleep(STEP_SECONDS)
    with transaction.atomic():
        Municipality.objects.get_or_create(name=f"Результат задачи {job_id}")
        job_finish(job_id=job_id, result={"attempt": job.attempts})


@shared_task(bind=True, base=JobTask)
def locked_database_task(self, job_id: int) -> None:
    """Starts its job, then meets what SQLite answers under a concurrent writer."""
    job_start(job_id=job_id)
    raise OperationalError("database is locked")

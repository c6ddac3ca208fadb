"""Services for background jobs: create, enqueue after commit, report progress, finish or fail.

Every long operation (an import, a computation, a report build) is a Job row the browser polls, and a
Celery task that takes the job id. Progress is written with UPDATE so it costs one query.
"""

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = (
    "Очередь фоновых задач недоступна. Задача сохранена и будет запущена повторно, "
    "когда очередь заработает; попробуйте обновить страницу позже."
)
MAX_ATTEMPTS = 3

ProgressCallback = Callable[[int, str], None]


def job_create(*, kind: str, title: str, params: dict | None = None, user=None) -> Job:
    return Job.objects.create(
        kind=kind, title=title, params=params or {}, created_by=user if getattr(user, "pk", None) else None
    )


def job_enqueue(*, job: Job, task) -> None:
    """Send `task(job.pk)` once the surrounding transaction commits; a broker failure marks the job."""

    def send():
        try:
            task.apply_async(args=[job.pk], retry=False)
        except Exception as error:  # kombu raises several connection error types
            logger.warning("could not enqueue job %s: %s", job.pk, error)
            Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(message=QUEUE_UNAVAILABLE)

    transaction.on_commit(send)


def job_start(*, job_id: int) -> Job | None:
    """Mark the job running and count the attempt; None if it is finished or out of attempts."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return None
    if job.attempts >= MAX_ATTEMPTS:
        job_fail(job_id=job_id, message=f"Задача прервана {job.attempts} раза подряд и остановлена.")
        return None
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING,
        attempts=job.attempts + 1,
        started_at=timezone.now(),
        progress=0,
        message="Выполняется…",
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def job_progress(*, job_id: int, percent: int, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        progress=max(0, min(100, int(percent))), message=message[:500], updated_at=timezone.now()
    )


def progress_callback(job_id: int) -> ProgressCallback:
    def report(percent: int, message: str = "") -> None:
        job_progress(job_id=job_id, percent=percent, message=message)

    return report


def job_finish(*, job_id: int, result: dict | None = None, message: str = "Готово") -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE,
        progress=100,
        message=message[:500],
        result=result or {},
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def job_fail(*, job_id: int, message: str, result: dict | None = None) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED,
        message=message[:500],
        result=result or {},
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def job_requeue_stale(*, older_than_minutes: int = 40) -> list[int]:
    """Jobs left running by a dead worker go back to the queue state; returns their ids."""
    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    stale = Job.objects.filter(status=Job.Status.RUNNING, updated_at__lt=cutoff)
    ids = list(stale.values_list("pk", flat=True))
    stale.update(status=Job.Status.QUEUED, message="Задача перезапущена после сбоя исполнителя.")
    return ids

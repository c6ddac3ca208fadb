"""Services for background jobs: create, enqueue after commit, report progress, finish or fail.

Every long operation (an import, a computation, a report build) is a Job row the browser polls, and a
Celery task that takes the job id. Progress is written with UPDATE so it costs one query, and to the cache:
an import or a computation runs in one transaction, so until it commits nobody else sees the row's
progress; the cache (Redis, shared by the web and the workers) shows it live.
"""

import logging
from collections.abc import Callable

from celery import Task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = (
    "Очередь фоновых задач недоступна. Задача сохранена и будет запущена повторно, "
    "когда очередь заработает; попробуйте обновить страницу позже."
)
MAX_ATTEMPTS = 3
REQUEUED_AFTER_CRASH = "Задача перезапущена после сбоя исполнителя."
JOB_FAILED_UNEXPECTEDLY = (
    "Задача остановлена из-за внутренней ошибки ({error}). Запустите её заново; если ошибка повторится, "
    "сообщите администратору."
)
JOB_DATABASE_BUSY = (
    "Задача остановлена: база данных была занята другой операцией. Запустите задачу заново через минуту."
)
JOB_ABANDONED = (
    "Задача остановлена: исполнитель перестал отвечать (нет сведений о ходе работы более {minutes} мин). "
    "Запустите её заново."
)

ProgressCallback = Callable[[int, str], None]


def job_create(*, kind: str, title: str, params: dict | None = None, user=None) -> Job:
    return Job.objects.create(
        kind=kind, title=title, params=params or {}, created_by=user if getattr(user, "pk", None) else None
    )


def job_enqueue(*, job: Job, task) -> None:
    """Send `task(job.pk)` once the surrounding transaction commits; a broker failure marks the job.

    The task's name is kept in job.params["task"], so the sweeper (jobs_resend_stale) can send it again
    after a dead worker or a broker that was down.
    """
    job.params = {**(job.params or {}), "task": task.name}
    Job.objects.filter(pk=job.pk).update(params=job.params)
    transaction.on_commit(lambda: _send(job.pk, task))


def _send(job_id: int, task) -> bool:
    try:
        task.apply_async(args=[job_id], retry=False)
    except Exception as error:  # kombu raises several connection error types
        logger.warning("could not enqueue job %s: %s", job_id, error)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(message=QUEUE_UNAVAILABLE)
        return False
    return True


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


PROGRESS_SECONDS = 3600


def _progress_key(job_id: int) -> str:
    return f"job:{job_id}:progress"


def job_progress(*, job_id: int, percent: int, message: str = "") -> None:
    percent = max(0, min(100, int(percent)))
    Job.objects.filter(pk=job_id).update(progress=percent, message=message[:500], updated_at=timezone.now())
    try:
        cache.set(_progress_key(job_id), (percent, message[:500]), PROGRESS_SECONDS)
    except Exception as error:  # the cache is a convenience: a Redis outage must not stop the task
        logger.warning("progress of job %s not cached: %s", job_id, error)


def job_live_progress(job: Job) -> tuple[int, str]:
    """(percent, message) of a job as the browser should see it, even while the task's transaction is open."""
    if job.status == Job.Status.RUNNING:
        try:
            cached = cache.get(_progress_key(job.pk))
        except Exception:  # no cache: the committed figures
            cached = None
        if cached and cached[0] >= job.progress:
            return cached
    return job.progress, job.message


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


def job_fail_after_error(*, job_id: int, error: BaseException) -> None:
    """A task raised: its job ends «Ошибка» with a Russian reason, unless it has already finished."""
    if "database is locked" in str(error):
        message = JOB_DATABASE_BUSY
    else:
        message = JOB_FAILED_UNEXPECTEDLY.format(error=type(error).__name__)
    try:
        Job.objects.filter(pk=job_id).exclude(status__in=[Job.Status.DONE, Job.Status.FAILED]).update(
            status=Job.Status.FAILED, message=message, finished_at=timezone.now(), updated_at=timezone.now()
        )
    except Exception:  # the database may still be locked: the sweeper ends the job later
        logger.exception("job %s could not be marked failed", job_id)


class JobTask(Task):
    """Base of every task that runs a Job (first argument: the job id).

    Whatever the task raises (a bug, «database is locked», a time limit), the job ends failed with a
    Russian message instead of staying «Выполняется». A worker killed outright runs no code at all: the
    broker hands the message out again (acks_late, reject_on_worker_lost), job_start counts the attempts,
    and the sweeper (jobs_resend_stale) ends what nobody picks up.
    """

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = args[0] if args else kwargs.get("job_id")
        if job_id is not None:
            job_fail_after_error(job_id=job_id, error=exc)
        super().on_failure(exc, task_id, args, kwargs, einfo)


def job_expire_if_abandoned(*, job: Job) -> Job:
    """In the embedded mode (tasks run inside the web process, no worker, no beat) a job that has reported
    nothing for JOBS_STALE_AFTER_MINUTES lost its process: it ends failed. With a worker, the sweeper
    decides instead (it may still send the job again)."""
    minutes = settings.JOBS_STALE_AFTER_MINUTES
    cutoff = timezone.now() - timezone.timedelta(minutes=minutes)
    if not settings.CELERY_TASK_ALWAYS_EAGER or job.status != Job.Status.RUNNING or job.updated_at >= cutoff:
        return job
    job_fail(job_id=job.pk, message=JOB_ABANDONED.format(minutes=minutes))
    job.refresh_from_db()
    return job


def job_requeue_stale(*, older_than_minutes: int = 40) -> list[int]:
    """Jobs left running by a dead worker go back to the queue state; returns their ids."""
    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    stale = Job.objects.filter(status=Job.Status.RUNNING, updated_at__lt=cutoff)
    ids = list(stale.values_list("pk", flat=True))
    stale.update(status=Job.Status.QUEUED, message=REQUEUED_AFTER_CRASH)
    return ids


def jobs_resend_stale(*, older_than_minutes: int = 40) -> list[int]:
    """The one beat sweeper (imports, computations and report builds alike): send again the jobs a dead
    worker left «running» and those the broker refused.

    A job counts as stale when it has reported nothing for `older_than_minutes` (longer than the task time
    limit, so a live task is never sent twice). job_start caps the attempts, so nothing loops forever.
    Returns the ids sent again.
    """
    from celery import current_app

    job_requeue_stale(older_than_minutes=older_than_minutes)
    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    waiting = Job.objects.filter(status=Job.Status.QUEUED).filter(
        Q(message=QUEUE_UNAVAILABLE) | Q(message=REQUEUED_AFTER_CRASH) | Q(updated_at__lt=cutoff)
    )
    sent = []
    for job_id, params in waiting.values_list("pk", "params"):
        task = current_app.tasks.get((params or {}).get("task", ""))
        if task is None:
            job_fail(
                job_id=job_id,
                message="Задача прервана сбоем и не может быть перезапущена: запустите её заново.",
            )
        elif _send(job_id, task):
            Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
                message="Задача снова поставлена в очередь.", updated_at=timezone.now()
            )
            sent.append(job_id)
    return sent

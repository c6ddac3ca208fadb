"""Celery tasks of the reports app (routed to the `reports` queue by CELERY_TASK_ROUTES): one task per
service, each running one report job (job.params["report_id"]) and safe to run twice."""

from collections.abc import Callable

from celery import shared_task
from django.urls import reverse

from schools.jobs import JobTask, job_fail, job_finish, job_start, progress_callback

from . import services
from .builders import BuildError

REPORT_JOB = {"base": JobTask, "acks_late": True, "reject_on_worker_lost": True, "max_retries": 0}


def _run_report_job(job_id: int, service: Callable, done: str, *, as_requester: bool = False) -> None:
    """Start the job, call `service(report_id=…, progress=…)` (with `user=` the job's requester if
    `as_requester`), and finish the job with `done`, or fail it with the builder's Russian message; the
    job's result links to the report."""
    job = job_start(job_id=job_id)
    if job is None:  # finished, or stopped after too many attempts: the report follows its job
        services.report_follow_stopped_job(job_id=job_id)
        return
    report_id = job.params["report_id"]
    url = reverse("reports:report-detail", args=[report_id])
    requester = {"user": job.created_by} if as_requester else {}
    try:
        service(report_id=report_id, progress=progress_callback(job_id), **requester)
    except BuildError as error:
        job_fail(job_id=job_id, message=str(error), result={"url": url})
        return
    job_finish(job_id=job_id, result={"url": url}, message=done)


@shared_task(**REPORT_JOB)
def report_build_task(job_id: int) -> None:
    """Build a report: its data, PDF and xlsx."""
    _run_report_job(job_id, services.report_build, "Отчёт построен.")


@shared_task(**REPORT_JOB)
def report_render_task(job_id: int) -> None:
    """Render a built report's PDF again (after its conclusions changed)."""
    _run_report_job(job_id, services.report_render, "PDF обновлён.")


@shared_task(**REPORT_JOB)
def report_publish_task(job_id: int) -> None:
    """Publish a report: its public PDF and xlsx on the «Управление качеством образования» tab."""
    _run_report_job(
        job_id,
        services.report_publish,
        "Отчёт опубликован на вкладке «Управление качеством образования».",
        as_requester=True,
    )

"""Celery tasks of the reports app (routed to the `reports` queue by CELERY_TASK_ROUTES)."""

from celery import shared_task
from django.urls import reverse

from schools.jobs import JobTask, job_fail, job_finish, job_start, progress_callback

from . import services
from .builders import BuildError


@shared_task(bind=True, base=JobTask, acks_late=True, reject_on_worker_lost=True, max_retries=0)
def report_build_task(self, job_id: int) -> None:
    """Build, re-render or publish one report (job.params: report_id, action). Safe to run twice."""
    job = job_start(job_id=job_id)
    if job is None:  # finished, or stopped after too many attempts: the report follows its job
        services.report_follow_stopped_job(job_id=job_id)
        return
    report_id, action = job.params["report_id"], job.params.get("action", "build")
    progress = progress_callback(job_id)
    url = reverse("reports:report-detail", args=[report_id])
    try:
        if action == "publish":
            services.report_publish(report_id=report_id, user=job.created_by, progress=progress)
            message = "Отчёт опубликован на вкладке «Управление качеством образования»."
        elif action == "render":
            services.report_render(report_id=report_id, progress=progress)
            message = "PDF обновлён."
        else:
            services.report_build(report_id=report_id, progress=progress)
            message = "Отчёт построен."
    except BuildError as error:
        job_fail(job_id=job_id, message=str(error), result={"url": url})
        return
    job_finish(job_id=job_id, result={"url": url}, message=message)

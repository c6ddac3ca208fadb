from pathlib import Path

from celery import shared_task
from django.conf import settings

from .importing import importer_keeps_upload, run_import
from .jobs import JobTask, job_fail, job_finish, job_start, jobs_resend_stale, progress_callback


@shared_task(bind=True, base=JobTask, acks_late=True, reject_on_worker_lost=True, max_retries=2)
def run_import_task(self, job_id: int) -> None:
    """Run an uploaded file's import (any registered kind) and keep its summary on the job."""
    job = job_start(job_id=job_id)
    if job is None:
        return
    path = Path(settings.MEDIA_ROOT) / job.params["path"]
    if not path.exists():
        job_fail(job_id=job_id, message="Загруженный файл не найден: загрузите его ещё раз.")
        return
    with path.open("rb") as file:
        summary = run_import(
            kind=job.params["kind"],
            file=file,
            file_name=job.params["file_name"],
            user=job.created_by,
            dry_run=job.params.get("dry_run", False),
            progress=progress_callback(job_id),
        )
    if not importer_keeps_upload(job.params["kind"]):
        path.unlink(missing_ok=True)
    if summary.ok:
        job_finish(job_id=job_id, result=summary.as_dict(), message=summary.text())
    else:
        job_fail(job_id=job_id, message=summary.text(), result=summary.as_dict())


@shared_task
def jobs_resend_stale_task() -> list[int]:
    """Beat, the one sweeper: jobs (imports, computations, report builds) left running by a killed worker,
    or refused by a broker that was down, are sent again; job_start stops them after MAX_ATTEMPTS."""
    return jobs_resend_stale(older_than_minutes=settings.JOBS_STALE_AFTER_MINUTES)

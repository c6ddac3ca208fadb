from celery import shared_task
from django.urls import reverse

from schools import formatting
from schools.jobs import JobTask, job_fail, job_finish, job_start, progress_callback

from .services import statuses_compute


@shared_task(bind=True, base=JobTask, acks_late=True, reject_on_worker_lost=True, max_retries=2)
def statuses_compute_task(self, job_id: int) -> None:
    """Compute one year (job.params["year"]); idempotent: a re-run replaces that year's results."""
    job = job_start(job_id=job_id)
    if job is None:
        return
    year = int(job.params["year"])
    try:
        run = statuses_compute(year=year, user=job.created_by, progress=progress_callback(job_id))
    except ValueError as error:
        job_fail(job_id=job_id, message=str(error))
        return
    job_finish(
        job_id=job_id,
        result={"url": reverse("indicators:index") + f"?year={year}", "run": run.pk},
        message=f"Расчёт за {formatting.school_year(year)} учебный год выполнен: школ — {run.schools}, "
        f"ШНОР — {run.low_results_count}, ШНСУ — {run.unfavourable_count}.",
    )

"""Every job ends in a final state with a Russian message (issue 15, items 3 and 8): a task that raises,
a database that stays locked, a process that died while the job was «Выполняется»."""

from datetime import timedelta

from django.utils import timezone

from schools.jobs import job_create, job_enqueue
from schools.models import Job
from schools.tasks import run_import_task
from tests.trust.fault_tasks import locked_database_task


def test_a_task_that_raises_ends_its_job_failed_with_a_russian_message(
    db, settings, django_capture_on_commit_callbacks
):
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "файл.xlsx").write_bytes(b"PK")
    job = job_create(kind="import", title="Импорт", params={"path": "uploads/файл.xlsx"})  # no «kind»: a bug
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue(job=job, task=run_import_task)
    failed = Job.objects.get(pk=job.pk)
    assert (failed.status, failed.message) == (
        Job.Status.FAILED,
        "Задача остановлена из-за внутренней ошибки (KeyError). Запустите её заново; если ошибка повторится, "
        "сообщите администратору.",
    )
    assert failed.finished_at is not None


def test_a_job_that_meets_a_locked_database_ends_failed_and_says_so(db, django_capture_on_commit_callbacks):
    job = job_create(kind="import", title="Импорт")
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue(job=job, task=locked_database_task)
    failed = Job.objects.get(pk=job.pk)
    assert (failed.status, failed.message) == (
        Job.Status.FAILED,
        "Задача остановлена: база данных была занята другой операцией. Запустите задачу заново через минуту.",
    )


def test_a_finished_job_keeps_its_result_when_a_late_error_arrives(db):
    from schools.jobs import job_fail_after_error, job_finish

    job = job_create(kind="import", title="Импорт")
    job_finish(job_id=job.pk, message="Импортировано: строк — 3.")
    job_fail_after_error(job_id=job.pk, error=RuntimeError("поздно"))
    assert Job.objects.get(pk=job.pk).message == "Импортировано: строк — 3."


def _running_job_last_heard_of(*, minutes_ago, user):
    """An import job «Выполняется» (first attempt) whose last word on its progress came `minutes_ago`."""
    job = job_create(kind="import", title="Импорт", user=user)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=1, updated_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return job


def test_a_job_whose_process_died_ends_failed_when_its_page_asks_in_the_embedded_mode(
    inspector, client_for, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no worker, no beat: tasks ran inside the web process
    job = _running_job_last_heard_of(minutes_ago=36, user=inspector)
    answer = client_for(inspector).get(f"/jobs/{job.pk}/status/").json()
    assert (answer["status"], answer["finished"]) == ("failed", True)
    assert answer["message"] == (
        "Задача остановлена: исполнитель перестал отвечать (нет сведений о ходе работы более 35 мин). "
        "Запустите её заново."
    )


def test_a_job_that_reported_recently_is_left_running(inspector, client_for, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    job = _running_job_last_heard_of(minutes_ago=34, user=inspector)
    assert client_for(inspector).get(f"/jobs/{job.pk}/status/").json()["status"] == "running"


def test_with_a_worker_the_page_leaves_a_stale_job_to_the_sweeper(inspector, client_for, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    job = _running_job_last_heard_of(minutes_ago=36, user=inspector)
    assert client_for(inspector).get(f"/jobs/{job.pk}/status/").json()["status"] == "running"

import pytest

from schools.models import Job, School
from tests.schools.test_imports import SCHOOL_HEADER, school_row


@pytest.mark.django_db(transaction=True)
def test_an_administrators_upload_runs_the_import_as_a_job_and_shows_the_result(
    client_for, administrator, make_xlsx
):
    client = client_for(administrator)
    upload = make_xlsx([SCHOOL_HEADER, school_row()], name="реестр.xlsx")

    response = client.post("/schools/import/", {"kind": "schools", "file": upload})

    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert (job.status, job.progress, job.created_by) == ("done", 100, administrator)
    assert School.objects.filter(code="0101").exists()
    status = client.get(f"/jobs/{job.pk}/status/").json()
    assert (status["status"], status["progress"], status["finished"]) == ("done", 100, True)
    assert "Импортировано: файл «реестр.xlsx»" in client.get(response.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_upload_with_errors_shows_row_errors_and_changes_nothing(client_for, administrator, make_xlsx):
    client = client_for(administrator)
    upload = make_xlsx([SCHOOL_HEADER, school_row(settlement="хутор")], name="bad.xlsx")

    response = client.post("/schools/import/", {"kind": "schools", "file": upload})
    page = client.get(response.url).content.decode()

    assert Job.objects.get().status == "failed"
    assert "ожидается «город» или «село»" in page and "хутор" in page
    assert School.objects.count() == 0


@pytest.mark.django_db
def test_job_of_another_user_is_hidden_from_a_principal(client_for, principal_a, inspector):
    job = Job.objects.create(kind="import:schools", title="Импорт", created_by=inspector)

    assert client_for(principal_a).get(f"/jobs/{job.pk}/status/").status_code == 404


@pytest.mark.django_db
def test_progress_reported_inside_a_task_transaction_is_shown_before_it_commits(client_for, inspector):
    """An import or a computation reports progress from inside its one transaction.

    The bar must still move.
    """
    from django.db import transaction

    from schools.jobs import job_progress

    job = Job.objects.create(
        kind="import:results", title="Импорт результатов", created_by=inspector, status=Job.Status.RUNNING
    )

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():  # the task's transaction, not yet committed
        job_progress(job_id=job.pk, percent=40, message="Проверено строк: 80000")
        raise Rollback

    job.refresh_from_db()
    assert job.progress == 0  # what the database shows other connections
    status = client_for(inspector).get(f"/jobs/{job.pk}/status/").json()
    assert (status["progress"], status["message"]) == (40, "Проверено строк: 80000")


@pytest.mark.django_db
def test_a_finished_job_shows_its_stored_figures_not_a_stale_cached_progress(client_for, inspector):
    from schools.jobs import job_finish, job_progress

    job = Job.objects.create(
        kind="import:results", title="Импорт результатов", created_by=inspector, status=Job.Status.RUNNING
    )
    job_progress(job_id=job.pk, percent=90, message="Почти готово")
    job_finish(job_id=job.pk, message="Импортировано строк: 10")

    status = client_for(inspector).get(f"/jobs/{job.pk}/status/").json()
    assert (status["progress"], status["message"], status["finished"]) == (
        100,
        "Импортировано строк: 10",
        True,
    )


@pytest.mark.django_db(transaction=True)
def test_upload_history_keeps_refused_files_and_dry_runs_with_the_persons_name(
    client_for, administrator, principal_a, make_xlsx
):
    administrator.first_name, administrator.last_name = "Анна", "Администратова"
    administrator.save()
    client = client_for(administrator)
    client.post(
        "/schools/import/",
        {
            "kind": "schools",
            "file": make_xlsx([SCHOOL_HEADER, school_row(settlement="хутор")], name="bad.xlsx"),
        },
    )
    client.post(
        "/schools/import/",
        {
            "kind": "schools",
            "file": make_xlsx([SCHOOL_HEADER, school_row()], name="try.xlsx"),
            "dry_run": "on",
        },
    )
    Job.objects.create(kind="report:build", title="Отчёт", created_by=administrator)  # not an upload

    from schools.selectors import import_history

    history = import_history(user=administrator)

    # newest first; a dry run writes nothing (no new or updated rows), a refused file has no rows at all
    assert [(h["file_name"], h["outcome"], h["rows"], h["created"], h["person"]) for h in history] == [
        ("try.xlsx", "Только проверка: ошибок нет", 1, None, "Анна Администратова"),
        ("bad.xlsx", "Не импортирован: ошибок — 1", None, None, "Анна Администратова"),
    ]
    assert not School.objects.filter(code="0101").exists()  # neither upload wrote the school
    assert import_history(user=principal_a) == []  # a principal sees only the uploads they started

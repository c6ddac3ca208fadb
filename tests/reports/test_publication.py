"""Publication and withdrawal, what the public sees (pages, API).

Also the small-count rule, failures and retries.
"""

import io

import pytest
from django.urls import reverse

from reports import services
from reports.models import Document, Report
from roadmaps.models import CycleStage, Direction


@pytest.fixture
def built(computed):
    return services.report_build(report_id=services.report_create(kind="annual", year=2025).pk)


@pytest.fixture
def document(catalogue):
    return Document.objects.create(
        title="Приказ № 1048 о механизмах управления качеством",
        kind="managerial",
        direction=Direction.objects.get(code="1.2"),
        stage=CycleStage.objects.get(number=1),
        number="1048",
        url="https://example.org/1048.pdf",
    )


def test_report_becomes_public_only_when_published_and_goes_away_when_withdrawn(
    built, client_for, inspector, django_capture_on_commit_callbacks
):
    anonymous = client_for(None)
    public_url = reverse("quality:report-detail", args=[built.pk])
    assert anonymous.get(public_url).status_code == 404
    assert built.title not in anonymous.get(reverse("quality:index")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(inspector).post(reverse("reports:report-action", args=[built.pk, "publish"]))

    assert response.status_code == 302
    built.refresh_from_db()
    assert built.is_published and built.published_at is not None and built.public_pdf
    index = anonymous.get(reverse("quality:index")).content.decode()
    assert built.title in index
    pdf = anonymous.get(reverse("quality:report-file", args=[built.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline;")
    assert anonymous.get(reverse("quality:report-file", args=[built.pk, "pdf"]) + "?download=1")[
        "Content-Disposition"
    ].startswith("attachment;")

    client_for(inspector).post(reverse("reports:report-action", args=[built.pk, "withdraw"]))

    built.refresh_from_db()
    assert not built.is_published and not built.public_pdf
    assert anonymous.get(public_url).status_code == 404
    assert anonymous.get(reverse("quality:report-file", args=[built.pk, "pdf"])).status_code == 404


def test_anonymous_and_principal_cannot_publish(
    built, client_for, principal_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            c.post(reverse("reports:report-action", args=[built.pk, "publish"]))
            for c in (client_for(None), client_for(principal_a))
        ]

    assert responses[0].status_code == 302 and "/accounts/login/" in responses[0]["Location"]
    assert responses[1].status_code == 403
    built.refresh_from_db()
    assert not built.is_published


def test_public_report_page_masks_small_counts(built, client_for):
    services.report_publish(report_id=built.pk)

    page = client_for(None).get(reverse("quality:report-detail", args=[built.pk])).content.decode()

    # the cluster table: 300 + 250 + 7 = 557 students (not small); list table shows S1
    assert "557" in page and "Школа S1" in page


@pytest.mark.slow
def test_small_counts_are_masked_on_the_public_page_and_shown_to_staff(catalogue, client_for, inspector):
    from tests.reports.factories import computed_year

    computed_year(
        2025, [{"code": "T1", "students": 8, "results_index": 40.0, "rank": 1, "low": True, "oge": (2, 6)}]
    )
    report = services.report_build(report_id=services.report_create(kind="annual", year=2025).pk)
    services.report_publish(report_id=report.pk)

    public = client_for(None).get(reverse("quality:report-detail", args=[report.pk])).content.decode()
    staff = client_for(inspector).get(reverse("reports:report-detail", args=[report.pk])).content.decode()

    assert "&lt;10" in public and ">8<" not in public
    assert ">8<" in staff


def test_api_lists_published_reports_only_for_the_public(built, client_for, inspector):
    other = services.report_create(kind="annual", year=2024)

    assert client_for(None).get("/api/reports/").json()["count"] == 0
    services.report_publish(report_id=built.pk)
    public = client_for(None).get("/api/reports/").json()
    staff = client_for(inspector).get("/api/reports/").json()

    assert public["count"] == 1
    item = public["results"][0]
    assert {k: item[k] for k in ("id", "kind", "year", "status", "is_published")} == {
        "id": built.pk,
        "kind": "annual",
        "year": 2025,
        "status": "done",
        "is_published": True,
    }
    assert item["pdf"] == f"http://testserver/quality/reports/{built.pk}/pdf/"
    assert {r["id"] for r in staff["results"]} == {built.pk, other.pk}
    assert client_for(None).get(f"/api/reports/{other.pk}/").status_code == 404
    assert client_for(None).post("/api/reports/", {}).status_code in (401, 403, 405)


def test_api_documents_public_sees_published_only(document, client_for, inspector):
    assert client_for(None).get("/api/documents/").json()["count"] == 0
    assert client_for(inspector).get("/api/documents/").json()["count"] == 1

    services.document_publish(document=document, user=inspector)
    item = client_for(None).get("/api/documents/").json()["results"][0]

    assert (item["title"], item["kind"], item["direction"], item["stage"], item["number"]) == (
        document.title,
        "managerial",
        "1.2",
        1,
        "1048",
    )


def test_document_publication_and_withdrawal_on_the_public_grid(document, client_for, inspector):
    anonymous = client_for(None)
    assert document.title not in anonymous.get(reverse("quality:index")).content.decode()

    client_for(inspector).post(reverse("reports:document-action", args=[document.pk, "publish"]))
    assert document.title in anonymous.get(reverse("quality:index")).content.decode()
    assert anonymous.get(reverse("quality:document-detail", args=[document.pk])).status_code == 200

    client_for(inspector).post(reverse("reports:document-action", args=[document.pk, "withdraw"]))
    assert document.title not in anonymous.get(reverse("quality:index")).content.decode()
    assert anonymous.get(reverse("quality:document-detail", args=[document.pk])).status_code == 404


def test_staff_grid_marks_gaps_and_public_grid_does_not(document, client_for, inspector):
    staff = client_for(inspector).get(reverse("reports:grid")).content.decode()
    public = client_for(None).get(reverse("quality:index")).content.decode()

    assert staff.count("grid-gap") == 9 * 6 - 1  # one cell holds the (unpublished) order
    assert "пробел" in staff and "пробел" not in public


def test_home_sends_anonymous_visitors_to_the_public_tab(client_for):
    response = client_for(None).get("/")

    assert response.status_code == 302 and response["Location"] == reverse("quality:index")


@pytest.mark.slow
def test_failing_build_is_reported_and_retried(
    catalogue, client_for, inspector, django_capture_on_commit_callbacks
):
    client = client_for(inspector)
    refused = client.post(reverse("reports:report-create"), {"kind": "annual", "year": 2025})
    assert refused.context["form"].errors == {
        "year": ["За 2025 учебный год данных нет: выберите год из списка."]
    }
    assert not Report.objects.exists()
    # A year can still lose its data between the request and the build (the service is called directly here).
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request(kind="annual", year=2025, params={}, user=inspector)
    report = Report.objects.get()

    assert report.status == Report.Status.FAILED and report.attempts == 1
    assert "нет рассчитанных показателей" in report.error
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Отчёт не построен" in page and "Повторить построение" in page

    from tests.reports.factories import two_years

    two_years()  # the data arrives; the retry succeeds
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report-action", args=[report.pk, "retry"]))

    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.error == "" and report.pdf


def test_retry_is_refused_for_a_report_that_did_not_fail(built, inspector):
    with pytest.raises(services.BuildError, match="завершившееся ошибкой"):
        services.report_retry(report=built, user=inspector)


def _lost_build(*, attempts: int) -> Report:
    """A build whose worker died: its message is gone, the job and the report still say «running»."""
    from datetime import timedelta

    from django.utils import timezone

    from schools.models import Job

    report = services.report_request(kind="annual", year=2025)
    old = timezone.now() - timedelta(hours=1)
    Job.objects.filter(pk=report.job_id).update(status="running", attempts=attempts, updated_at=old)
    Report.objects.filter(pk=report.pk).update(status="running", heartbeat_at=old)
    return Report.objects.get(pk=report.pk)


def test_a_build_left_running_by_a_dead_worker_is_swept_with_every_other_job(
    computed, django_capture_on_commit_callbacks
):
    from schools.jobs import jobs_resend_stale

    with django_capture_on_commit_callbacks(execute=False):  # the message was lost with the worker
        report = _lost_build(attempts=1)
    assert jobs_resend_stale(older_than_minutes=35) == [report.job_id]
    report.refresh_from_db()
    assert (report.status, report.job.status, report.job.attempts) == ("done", "done", 2)
    assert report.pdf


def test_a_build_that_keeps_dying_ends_failed_with_the_reason_of_its_job(
    computed, django_capture_on_commit_callbacks
):
    from schools.jobs import jobs_resend_stale

    with django_capture_on_commit_callbacks(execute=False):
        report = _lost_build(attempts=3)
    jobs_resend_stale(older_than_minutes=35)
    report.refresh_from_db()
    assert (report.job.status, report.job.message) == (
        "failed",
        "Задача прервана 3 раза подряд и остановлена.",
    )
    assert (report.status, report.error) == ("failed", "Задача прервана 3 раза подряд и остановлена.")


def test_one_sweeper_is_on_the_beat_schedule(settings):
    sweepers = [name for name in settings.CELERY_BEAT_SCHEDULE if "stale" in name]
    assert sweepers == ["jobs-resend-stale"]


def test_edited_conclusions_are_kept_and_printed(built, inspector, django_capture_on_commit_callbacks):
    import pypdf

    with django_capture_on_commit_callbacks(execute=True):
        services.report_update_conclusions(
            report=built, text="Рост доли ниже минимума ОГЭ требует мер.", user=inspector
        )

    built.refresh_from_db()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(built.pdf.open("rb").read())).pages)
    assert built.conclusions_edited and "Рост доли ниже минимума ОГЭ требует мер." in " ".join(text.split())
    rebuilt = services.report_build(report_id=built.pk)
    assert rebuilt.conclusions == "Рост доли ниже минимума ОГЭ требует мер."


def test_public_tab_is_served_from_cache_until_something_is_withdrawn(
    document, client_for, inspector, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    anonymous = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_publish(document=document, user=inspector)
    assert document.title in anonymous.get(reverse("quality:index")).content.decode()

    with django_assert_max_num_queries(0):
        cached = anonymous.get(reverse("quality:index"))
    with django_capture_on_commit_callbacks(execute=True):
        services.document_withdraw(document=document, user=inspector)

    assert document.title in cached.content.decode()
    assert document.title not in anonymous.get(reverse("quality:index")).content.decode()

"""One Celery task per report service (build, render, publish), each named `<service>_task`."""

import pytest

from reports import services
from schools.models import Job


@pytest.fixture
def built(computed):
    return services.report_build(report_id=services.report_create(kind="annual", year=2025).pk)


def test_each_report_action_is_sent_to_its_own_task(built, inspector, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        requested = services.report_request(kind="annual", year=2025, user=inspector)
        services.report_update_conclusions(report=built, text="Выводы инспектора.", user=inspector)
        services.report_request_publication(report=built, user=inspector)

    jobs = Job.objects.order_by("pk")
    assert [(job.kind, job.params["task"]) for job in jobs] == [
        ("report:build", "reports.tasks.report_build_task"),
        ("report:render", "reports.tasks.report_render_task"),
        ("report:publish", "reports.tasks.report_publish_task"),
    ]
    assert [job.params["report_id"] for job in jobs] == [requested.pk, built.pk, built.pk]
    assert len(sent) == 3

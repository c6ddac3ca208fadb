"""«Мои задачи» and the e-mail of a new recommendation (issue 17, item 7)."""

from datetime import date

from django.core import mail

from roadmaps.models import Recommendation
from roadmaps.services.recommendations import recommendation_save
from schools.panels import tasks_for

TODAY = date(2026, 3, 2)


def _recommendation(school, status):
    return Recommendation(
        school=school,
        text="Провести диагностику дефицитов учителей математики.",
        problem_area="Математика, ВПР 5 класс",
        source_kind="other",
        status=status,
        due_date=date(2026, 3, 20),
    )


def test_sending_a_recommendation_mails_the_principal_an_absolute_link_once(
    inspector, principal_a, school_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://uko.example.ru"
    principal_a.email = "director@school.example"
    principal_a.save()
    recommendation = _recommendation(school_a, "draft")
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_save(recommendation=recommendation, user=inspector)
    assert mail.outbox == []
    recommendation.status = "sent"
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_save(recommendation=recommendation, user=inspector)
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_save(recommendation=recommendation, user=inspector)  # saved again: no second letter
    (letter,) = mail.outbox
    assert (letter.subject, letter.to) == ("Новая адресная рекомендация", ["director@school.example"])
    assert (
        f"Ответьте на неё до 20.03.2026: https://uko.example.ru/roadmaps/recommendations/{recommendation.pk}/"
        in (letter.body)
    )


def test_principal_tasks_list_the_recommendation_to_answer_with_its_deadline(
    inspector, principal_a, school_a
):
    recommendation = _recommendation(school_a, "sent")
    recommendation_save(recommendation=recommendation, user=inspector)
    tasks = tasks_for(principal_a, TODAY)
    assert [(t.title, t.url, t.due) for t in tasks] == [
        ("Ответить на рекомендацию", f"/roadmaps/recommendations/{recommendation.pk}/", date(2026, 3, 20))
    ]
    assert tasks_for(inspector, TODAY) == []

import datetime

import time_machine
from django.core import mail

from roadmaps.models import DigestDelivery, ItemStatus
from roadmaps.selectors import deadline_state, item_list_visible_to, items_due_soon, items_overdue
from roadmaps.services.digest import deadline_digest_send
from roadmaps.tasks import deadline_digest_send_task
from tests.factories import UserFactory
from tests.roadmaps.factories import ProgrammeFactory, RoadmapItemFactory

DUE = datetime.date(2026, 3, 10)


def _numbers(queryset):
    return [item.number for item in queryset]


def test_an_item_is_quiet_then_due_soon_then_overdue_until_done(inspector):
    item = RoadmapItemFactory(number="1", due_date=DUE)
    items = item_list_visible_to(user=inspector)

    for today, expected_state in [
        (datetime.date(2026, 2, 23), ""),  # 15 days before
        (datetime.date(2026, 2, 24), "due_soon"),  # 14 days before
        (DUE, "due_soon"),
        (datetime.date(2026, 3, 11), "overdue"),
    ]:
        assert deadline_state(item, today) == expected_state
        assert _numbers(items_overdue(items=items, today=today)) == (
            ["1"] if expected_state == "overdue" else []
        )
        assert _numbers(items_due_soon(items=items, today=today)) == (
            ["1"] if expected_state == "due_soon" else []
        )

    item.status, item.completed_on = ItemStatus.DONE, datetime.date(2026, 3, 12)
    item.save()
    assert deadline_state(item, datetime.date(2026, 4, 1)) == ""
    assert _numbers(items_overdue(items=items, today=datetime.date(2026, 4, 1))) == []


def test_cancelled_and_undated_items_are_never_overdue(inspector):
    RoadmapItemFactory(number="1", due_date=DUE, status=ItemStatus.CANCELLED)
    RoadmapItemFactory(number="2", due_date=None)

    assert (
        _numbers(items_overdue(items=item_list_visible_to(user=inspector), today=datetime.date(2027, 1, 1)))
        == []
    )


def test_dashboard_and_school_page_show_overdue_items(client_for, inspector, principal_a, school_a):
    programme = ProgrammeFactory(school=school_a)
    RoadmapItemFactory(roadmap=programme, number="4", title="Диагностика дефицитов учителей", due_date=DUE)
    RoadmapItemFactory(
        roadmap=programme,
        number="5",
        title="Курсы повышения квалификации",
        due_date=datetime.date(2026, 3, 20),
    )

    with time_machine.travel(datetime.datetime(2026, 3, 12, 10, 0, tzinfo=datetime.UTC), tick=False):
        dashboard = client_for(inspector).get("/dashboard/").content.decode()
        school_page = client_for(principal_a).get(f"/schools/{school_a.code}/").content.decode()

    assert "№ 4. Диагностика дефицитов учителей" in dashboard and "просрочено" in dashboard
    assert "№ 5. Курсы повышения квалификации" in dashboard and "срок в ближайшие 14 дн." in dashboard
    assert "№ 4. Диагностика дефицитов учителей" in school_page


def test_the_dashboard_shows_the_first_ten_overdue_and_sends_to_the_roadmaps_page_for_the_rest(
    client_for, inspector, school_a
):
    programme = ProgrammeFactory(school=school_a)
    for n in range(1, 13):
        RoadmapItemFactory(roadmap=programme, number=str(n), title=f"Мероприятие {n}", due_date=DUE)

    with time_machine.travel(datetime.datetime(2026, 3, 12, 10, 0, tzinfo=datetime.UTC), tick=False):
        dashboard = client_for(inspector).get("/dashboard/").content.decode()
        roadmaps = client_for(inspector).get("/roadmaps/").content.decode()

    assert dashboard.count('<span class="tag tag-red">просрочено</span>') == 10
    assert "Показаны первые 10 из 12 просроченных." in dashboard
    assert 'href="/roadmaps/">Все сроки — на странице «Дорожные карты»</a>' in dashboard
    assert roadmaps.count('<span class="tag tag-red">просрочено</span>') == 12


def test_weekly_digest_goes_to_principal_and_responsible_once_a_week(principal_a, school_a, principal_b):
    methodologist = UserFactory(username="metod", email="metod@edu.example")
    programme = ProgrammeFactory(school=school_a)
    item = RoadmapItemFactory(roadmap=programme, number="4", title="Диагностика дефицитов", due_date=DUE)
    item.responsible_users.add(methodologist)
    RoadmapItemFactory(roadmap=programme, number="9", title="Далёкое", due_date=datetime.date(2026, 6, 30))

    assert deadline_digest_send(today=datetime.date(2026, 3, 12)) == 2  # Thursday

    assert sorted(m.to[0] for m in mail.outbox) == ["metod@edu.example", "principal_a@edu.example"]
    body = mail.outbox[0].body
    assert "Просрочено:" in body and "до 10.03.2026: № 4. Диагностика дефицитов" in body
    assert "Далёкое" not in body
    assert deadline_digest_send(today=datetime.date(2026, 3, 13)) == 0  # same week
    assert deadline_digest_send(today=datetime.date(2026, 3, 16)) == 2  # next Monday
    assert DigestDelivery.objects.count() == 4


def test_digest_task_uses_the_current_date(principal_a, school_a):
    RoadmapItemFactory(roadmap=ProgrammeFactory(school=school_a), number="1", due_date=DUE)

    with time_machine.travel(datetime.datetime(2026, 1, 5, 7, 0, tzinfo=datetime.UTC), tick=False):
        assert deadline_digest_send_task.delay().get() == 0  # due in two months: nothing to say
    with time_machine.travel(datetime.datetime(2026, 3, 2, 7, 0, tzinfo=datetime.UTC), tick=False):
        assert deadline_digest_send_task.delay().get() == 1
    assert mail.outbox[0].to == ["principal_a@edu.example"]


def test_beat_schedule_runs_the_digest_weekly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["roadmaps-deadline-digest"]

    assert entry["task"] == "roadmaps.tasks.deadline_digest_send_task"
    assert entry["schedule"].day_of_week == {1}

"""Lost updates: a save made from a stale form or API read is refused and overwrites nothing.

Run on SQLite and, with DATABASE_URL, on PostgreSQL (the conditional UPDATE is the same on both).
"""

import datetime
import threading

import pytest
import time_machine
from django.db import connection

from roadmaps import services
from roadmaps.models import ItemStatus, ManagementDecision, Recommendation, Roadmap, RoadmapItem
from schools.versioning import StaleRecord
from tests.factories import api_client
from tests.roadmaps.factories import (
    DecisionFactory,
    ProgrammeFactory,
    RecommendationFactory,
    RoadmapItemFactory,
)

EVIDENCE = "https://school-a.edu.example/prikaz-15.pdf"
PAGE_CONFLICT = "Запись изменил другой пользователь, пока вы её редактировали."


@pytest.fixture
def item(school_a):
    return RoadmapItemFactory(roadmap=ProgrammeFactory(school=school_a), number="4", title="Педсовет")


def _item_form(item, **changes):
    data = {
        "stage": item.stage_id,
        "number": item.number,
        "section": "",
        "direction": "",
        "title": item.title,
        "term": item.term,
        "due_date": "2026-03-10",
        "responsible": item.responsible,
        "result": "",
        "status": item.status,
        "evidence": "\n".join(item.evidence),
        "completed_on": "",
        "notes": "",
        "version": item.version,
    }
    return {**data, **changes}


def _progress(client, item, **data):
    payload = {"status": "done", "evidence": "", "completed_on": "", "version": item.version, **data}
    return client.post(
        f"/roadmaps/items/{item.pk}/progress/", {f"item{item.pk}-{k}": v for k, v in payload.items()}
    )


# --- pages -------------------------------------------------------------------------------------


def test_an_inspectors_stale_form_does_not_undo_the_principals_done_item(
    item, inspector, principal_a, client_for
):
    opened = _item_form(item, status=ItemStatus.IN_PROGRESS, notes="Перенести на апрель")  # read at version 1
    with time_machine.travel(datetime.date(2026, 3, 1), tick=False):
        assert _progress(client_for(principal_a), item, evidence=EVIDENCE).status_code == 302

    response = client_for(inspector).post(f"/roadmaps/items/{item.pk}/edit/", opened)

    html = response.content.decode()
    assert response.status_code == 409
    assert PAGE_CONFLICT in html
    rows = html.split("Сохранено другим пользователем")[1]
    assert '<th scope="row">Статус</th><td>Выполнено</td><td>Выполняется</td>' in rows
    assert f"<td>{EVIDENCE}</td><td>—</td>" in rows
    assert '<th scope="row">Дата выполнения</th><td>01.03.2026</td><td>—</td>' in rows
    assert 'name="version" value="2"' in html  # saving again is a deliberate overwrite of version 2
    saved = RoadmapItem.objects.get(pk=item.pk)
    assert (saved.status, saved.evidence, saved.completed_on, saved.notes, saved.version) == (
        ItemStatus.DONE,
        [EVIDENCE],
        datetime.date(2026, 3, 1),
        "",
        2,
    )


def test_saving_the_conflict_form_again_overwrites_on_purpose(item, inspector, principal_a, client_for):
    opened = _item_form(item, notes="Перенести на апрель")
    assert _progress(client_for(principal_a), item, status=ItemStatus.IN_PROGRESS).status_code == 302
    client = client_for(inspector)
    assert client.post(f"/roadmaps/items/{item.pk}/edit/", opened).status_code == 409

    response = client.post(f"/roadmaps/items/{item.pk}/edit/", {**opened, "version": 2})

    assert response.status_code == 302
    saved = RoadmapItem.objects.get(pk=item.pk)
    assert (saved.status, saved.notes, saved.version) == (ItemStatus.PLANNED, "Перенести на апрель", 3)


def test_a_principals_stale_progress_form_is_shown_again_with_both_values(
    item, inspector, principal_a, client_for
):
    stale = {"version": 1}
    services.roadmap_item_progress_update(
        item=item, user=inspector, status=ItemStatus.IN_PROGRESS, evidence=[], version=1
    )

    response = _progress(client_for(principal_a), item, evidence=EVIDENCE, **stale)

    html = response.content.decode()
    assert response.status_code == 409
    assert PAGE_CONFLICT in html
    assert '<th scope="row">Статус</th><td>Выполняется</td><td>Выполнено</td>' in html
    assert "Сохранить мой вариант" in html
    saved = RoadmapItem.objects.get(pk=item.pk)
    assert (saved.status, saved.evidence, saved.version) == (ItemStatus.IN_PROGRESS, [], 2)


def test_a_stale_recommendation_form_keeps_the_schools_answer(school_a, inspector, principal_a, client_for):
    recommendation = RecommendationFactory(school=school_a)
    form = {
        "school": school_a.pk,
        "target_group": "",
        "year": "",
        "direction": "",
        "problem_area": recommendation.problem_area,
        "text": recommendation.text,
        "source_kind": recommendation.source_kind,
        "source_ref": recommendation.source_ref,
        "due_date": "",
        "status": Recommendation.Status.CLOSED,
        "version": 1,
    }
    answer = {"answer": "Провели занятия.", "evidence": EVIDENCE, "version": 1}
    assert (
        client_for(principal_a).post(f"/roadmaps/recommendations/{recommendation.pk}/", answer).status_code
        == 302
    )

    response = client_for(inspector).post(f"/roadmaps/recommendations/{recommendation.pk}/edit/", form)

    assert response.status_code == 409
    assert '<th scope="row">Статус</th><td>Получен ответ</td><td>Исполнена</td>' in response.content.decode()
    saved = Recommendation.objects.get(pk=recommendation.pk)
    assert (saved.status, saved.answer, saved.answer_evidence, saved.version) == (
        Recommendation.Status.ANSWERED,
        "Провели занятия.",
        [EVIDENCE],
        2,
    )


def test_a_principals_stale_answer_is_refused(school_a, inspector, principal_a, client_for):
    recommendation = RecommendationFactory(school=school_a)
    services.recommendation_answer(recommendation=recommendation, user=inspector, answer="Со слов школы.")

    response = client_for(principal_a).post(
        f"/roadmaps/recommendations/{recommendation.pk}/", {"answer": "Наш ответ.", "version": 1}
    )

    assert response.status_code == 409
    assert "<td>Со слов школы.</td><td>Наш ответ.</td>" in response.content.decode()
    assert Recommendation.objects.get(pk=recommendation.pk).answer == "Со слов школы."


# --- API ---------------------------------------------------------------------------------------


def test_api_a_stale_version_gets_409_and_changes_nothing(item, inspector, principal_a):
    read = api_client(inspector).get(f"/api/roadmap-items/{item.pk}/").json()
    assert read["version"] == 1
    assert (
        api_client(principal_a)
        .patch(
            f"/api/roadmap-items/{item.pk}/",
            {"status": "done", "evidence": [EVIDENCE], "version": 1},
            format="json",
        )
        .status_code
        == 200
    )

    response = api_client(inspector).patch(
        f"/api/roadmap-items/{item.pk}/", {"status": "in_progress", "version": read["version"]}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Запись изменил другой пользователь после того, как вы её прочитали (ваша версия 1, "
        "текущая 2). Ничего не сохранено: прочитайте запись заново и повторите изменение.",
        "errors": {"version": 2},
    }
    saved = RoadmapItem.objects.get(pk=item.pk)
    assert (saved.status, saved.evidence, saved.version) == (ItemStatus.DONE, [EVIDENCE], 2)


def test_api_the_current_version_saves_and_no_version_still_saves(item, inspector):
    client = api_client(inspector)

    with_version = client.patch(f"/api/roadmap-items/{item.pk}/", {"notes": "а", "version": 1}, format="json")
    without = client.patch(f"/api/roadmap-items/{item.pk}/", {"notes": "б"}, format="json")

    assert (with_version.status_code, with_version.json()["version"]) == (200, 2)
    assert (without.status_code, without.json()["version"]) == (200, 3)
    assert RoadmapItem.objects.get(pk=item.pk).notes == "б"


SHARED = {
    "roadmaps": (Roadmap, lambda school: ProgrammeFactory(school=school), "notes"),
    "recommendations": (Recommendation, lambda school: RecommendationFactory(school=school), "text"),
    "decisions": (ManagementDecision, lambda school: DecisionFactory(), "title"),
}


@pytest.mark.parametrize("resource", SHARED)
def test_api_every_shared_record_refuses_a_stale_version(resource, school_a, inspector):
    model, make, field = SHARED[resource]
    record = make(school_a)
    client = api_client(inspector)
    first = client.patch(f"/api/{resource}/{record.pk}/", {field: "первая правка"}, format="json")
    assert (first.status_code, first.json()["version"]) == (200, 2)

    response = client.patch(f"/api/{resource}/{record.pk}/", {field: "вторая", "version": 1}, format="json")

    assert (response.status_code, response.json()["errors"]) == (409, {"version": 2})
    saved = model.objects.get(pk=record.pk)
    assert (getattr(saved, field), saved.version) == ("первая правка", 2)


def test_a_decision_form_refuses_a_stale_version(inspector, client_for):
    decision = DecisionFactory(title="Курсы для учителей математики")
    services.decision_save(decision=decision, user=inspector, version=1)
    form = {"kind": decision.kind, "title": "Курсы", "year": 2025, "status": "planned", "version": 1}

    response = client_for(inspector).post(f"/roadmaps/decisions/{decision.pk}/edit/", form)

    assert response.status_code == 409
    assert "<td>Курсы для учителей математики</td><td>Курсы</td>" in response.content.decode()
    assert ManagementDecision.objects.get(pk=decision.pk).title == "Курсы для учителей математики"


# --- two writers at the same moment (PostgreSQL: real concurrent transactions) ---------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; see the tests above"
)
def test_two_simultaneous_saves_of_one_version_let_exactly_one_through(item, inspector, principal_a):
    barrier, outcomes = threading.Barrier(2), []

    def save(user, status):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.roadmap_item_progress_update(
                item=RoadmapItem.objects.get(pk=item.pk), user=user, status=status, evidence=[], version=1
            )
            outcomes.append(status)
        except StaleRecord:
            outcomes.append("конфликт")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=save, args=(principal_a, ItemStatus.DONE)),
        threading.Thread(target=save, args=(inspector, ItemStatus.CANCELLED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    saved = RoadmapItem.objects.get(pk=item.pk)
    assert sorted(outcomes, key=lambda o: o == "конфликт") == [saved.status, "конфликт"]
    assert saved.version == 2

"""Nothing with history is hard-deleted by staff: items are archived, API deletions are refused with 409;
a principal cannot reopen what is closed."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from roadmaps import services
from roadmaps.api.views import DECISION_NOT_DELETED, ITEM_NOT_DELETED, RECOMMENDATION_NOT_DELETED
from roadmaps.models import ItemStatus, Recommendation, Roadmap, RoadmapItem
from roadmaps.services.core import ITEM_ALREADY_ARCHIVED, ITEM_CLOSED_FOR_PRINCIPAL
from roadmaps.services.recommendations import RECOMMENDATION_CLOSED
from schools.audit import audit_entries
from tests.factories import api_client
from tests.roadmaps.factories import (
    DecisionFactory,
    ProgrammeFactory,
    RecommendationFactory,
    RoadmapItemFactory,
)

EVIDENCE = "https://school-a.edu.example/otchet.pdf"


@pytest.fixture
def programme(school_a):
    roadmap = ProgrammeFactory(school=school_a)
    RoadmapItemFactory(roadmap=roadmap, number="1", title="Диагностика дефицитов")
    RoadmapItemFactory(roadmap=roadmap, number="2", title="Лишнее мероприятие")
    return roadmap


def test_an_archived_item_leaves_the_roadmap_but_keeps_its_history_and_comes_back(
    programme, inspector, principal_a, client_for
):
    extra = programme.items.get(number="2")
    staff = client_for(inspector)

    response = staff.post(reverse("roadmaps:item-archive", args=[extra.pk]))

    assert response.status_code == 302
    saved = RoadmapItem.all_objects.get(pk=extra.pk)
    assert (saved.is_archived, saved.archived_by) == (True, inspector)
    assert [i.number for i in Roadmap.objects.get(pk=programme.pk).items.all()] == ["1"]
    assert [r["number"] for r in api_client(inspector).get("/api/roadmap-items/").json()["results"]] == ["1"]
    assert (
        "Лишнее мероприятие" not in client_for(principal_a).get(programme.get_absolute_url()).content.decode()
    )
    staff_page = staff.get(programme.get_absolute_url()).content.decode()
    assert "Архив мероприятий" in staff_page and "Лишнее мероприятие" in staff_page
    (entry,) = [e for e in audit_entries(model_label="roadmaps.RoadmapItem") if e.change == "~"]
    assert (entry.user, ("в архиве", "нет", "да") in [(c.field, c.old, c.new) for c in entry.changes]) == (
        "inspector_user",
        True,
    )

    staff.post(reverse("roadmaps:item-archive", args=[extra.pk]), {"restore": "1"})

    assert [i.number for i in Roadmap.objects.get(pk=programme.pk).items.all()] == ["1", "2"]


def test_archiving_an_archived_item_goes_back_to_the_roadmap_with_the_refusal(
    programme, inspector, client_for
):
    extra = programme.items.get(number="2")
    services.roadmap_item_archive(item=extra, user=inspector)
    archived_at = RoadmapItem.all_objects.get(pk=extra.pk).archived_at

    response = client_for(inspector).post(
        reverse("roadmaps:item-archive", args=[extra.pk]),
        HTTP_REFERER="http://testserver/roadmaps/",  # the page the view names wins over the referring one
        follow=True,
    )

    assert response.redirect_chain == [(programme.get_absolute_url(), 302)]
    assert [str(m) for m in response.context["messages"]] == [ITEM_ALREADY_ARCHIVED.format(number="2")]
    assert RoadmapItem.all_objects.get(pk=extra.pk).archived_at == archived_at


def test_a_new_item_cannot_take_the_number_of_an_archived_one(programme, inspector, client_for):
    extra = programme.items.get(number="2")
    services.roadmap_item_archive(item=extra, user=inspector)
    form = {"stage": extra.stage_id, "number": "2", "title": "Новое", "status": "planned"}

    response = client_for(inspector).post(reverse("roadmaps:item-create", args=[programme.pk]), form)

    assert response.status_code == 200
    assert (
        "Мероприятие № 2 уже есть в этой дорожной карте, в архиве: верните его из архива или выберите "
        "другой номер." in response.content.decode()
    )
    assert RoadmapItem.all_objects.filter(roadmap=programme).count() == 2


@pytest.mark.parametrize(
    ("resource", "make", "message"),
    [
        (
            "roadmap-items",
            lambda school: RoadmapItemFactory(roadmap=ProgrammeFactory(school=school)),
            ITEM_NOT_DELETED,
        ),
        ("recommendations", lambda school: RecommendationFactory(school=school), RECOMMENDATION_NOT_DELETED),
        ("decisions", lambda school: DecisionFactory(), DECISION_NOT_DELETED),
    ],
)
def test_api_delete_is_refused_with_a_russian_reason_and_deletes_nothing(
    resource, make, message, school_a, administrator
):
    record = make(school_a)

    response = api_client(administrator).delete(f"/api/{resource}/{record.pk}/")

    assert (response.status_code, response.json()) == (409, {"detail": message})
    assert type(record).objects.filter(pk=record.pk).exists()


def test_the_administrator_hard_deletes_in_the_admin_only_and_the_journal_keeps_it(
    programme, inspector, administrator, client_for
):
    url = reverse("admin:roadmaps_roadmap_delete", args=[programme.pk])
    refused = client_for(inspector).post(url, {"post": "yes"})  # the admin is for administrators only
    assert (refused.status_code, refused["Location"]) == (302, f"/admin/login/?next={url}")
    assert Roadmap.objects.filter(pk=programme.pk).exists()
    assert "Вы уверены" in client_for(administrator).get(url).content.decode()

    response = client_for(administrator).post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Roadmap.objects.filter(pk=programme.pk).exists()
    deleted = [(e.model_label, e.user) for e in audit_entries(username="admin_user") if e.change == "-"]
    assert sorted(deleted) == [
        ("roadmaps.Roadmap", "admin_user"),
        ("roadmaps.RoadmapItem", "admin_user"),
        ("roadmaps.RoadmapItem", "admin_user"),
    ]


# --- closed records stay closed for the principal ---------------------------------------------------


def test_a_principal_cannot_cancel_an_item_already_done(programme, principal_a, client_for):
    item = programme.items.get(number="1")
    with time_machine.travel(datetime.date(2026, 3, 1), tick=False):
        services.roadmap_item_progress_update(item=item, user=principal_a, status="done", evidence=[EVIDENCE])
    message = ITEM_CLOSED_FOR_PRINCIPAL.format(number="1", status="Выполнено")

    page = client_for(principal_a).post(
        f"/roadmaps/items/{item.pk}/progress/",
        {f"item{item.pk}-status": "cancelled", f"item{item.pk}-evidence": "", f"item{item.pk}-version": 2},
    )
    api = api_client(principal_a).patch(
        f"/api/roadmap-items/{item.pk}/", {"status": "in_progress"}, format="json"
    )

    assert [str(m) for m in page.wsgi_request._messages] == [f"Мероприятие № 1: {message}"]
    assert (api.status_code, api.json()) == (400, [message])
    saved = RoadmapItem.objects.get(pk=item.pk)
    assert (saved.status, saved.evidence, saved.completed_on) == (
        ItemStatus.DONE,
        [EVIDENCE],
        datetime.date(2026, 3, 1),
    )
    assert message == (
        "Мероприятие № 1 уже в состоянии «Выполнено»: руководитель ОО не может изменить его статус. "
        "Если отметка ошибочна, обратитесь в управление образования."
    )


def test_a_principal_may_still_add_evidence_to_a_done_item(programme, principal_a):
    item = programme.items.get(number="1")
    services.roadmap_item_progress_update(item=item, user=principal_a, status="done", evidence=[])

    response = api_client(principal_a).patch(
        f"/api/roadmap-items/{item.pk}/", {"evidence": [EVIDENCE]}, format="json"
    )

    assert response.status_code == 200
    assert RoadmapItem.objects.get(pk=item.pk).evidence == [EVIDENCE]


def test_a_principal_cannot_rewrite_the_answer_of_a_closed_recommendation(
    school_a, principal_a, inspector, client_for
):
    recommendation = RecommendationFactory(school=school_a)
    services.recommendation_answer(recommendation=recommendation, user=principal_a, answer="Провели занятия.")
    recommendation.status = Recommendation.Status.CLOSED
    services.recommendation_save(recommendation=recommendation, user=inspector)
    message = RECOMMENDATION_CLOSED.format(status="Исполнена")

    page = client_for(principal_a).post(
        f"/roadmaps/recommendations/{recommendation.pk}/", {"answer": "Другой ответ.", "version": 3}
    )
    api = api_client(principal_a).patch(
        f"/api/recommendations/{recommendation.pk}/", {"answer": "Другой ответ."}, format="json"
    )

    assert message in page.content.decode()
    assert (api.status_code, api.json()) == (400, [message])
    assert Recommendation.objects.get(pk=recommendation.pk).answer == "Провели занятия."
    assert message == (
        "Рекомендация в состоянии «Исполнена»: ответ школы уже не изменяется. Если нужно дополнить ответ, "
        "обратитесь в управление образования."
    )
    staff = services.recommendation_answer(recommendation=recommendation, user=inspector, answer="Уточнено.")
    assert staff.answer == "Уточнено."

import datetime

import pytest
import time_machine

from roadmaps.models import ItemStatus, ManagementDecision, Recommendation, Roadmap, RoadmapItem
from tests.factories import api_client
from tests.roadmaps.factories import (
    DecisionFactory,
    ProgrammeFactory,
    RecommendationFactory,
    RoadmapFactory,
    RoadmapItemFactory,
)


@pytest.fixture
def programmes(school_a, school_b):
    own = RoadmapItemFactory(roadmap=ProgrammeFactory(school=school_a), number="1", title="Своё")
    other = RoadmapItemFactory(roadmap=ProgrammeFactory(school=school_b), number="1", title="Чужое")
    municipal = RoadmapItemFactory(roadmap=RoadmapFactory(), number="1", title="Муниципальное")
    return own, other, municipal


def _progress(client, item, **data):
    payload = {
        f"item{item.pk}-{k}": v
        for k, v in {"status": "done", "evidence": "", "completed_on": "", **data}.items()
    }
    return client.post(f"/roadmaps/items/{item.pk}/progress/", payload)


def test_principal_reports_progress_on_own_programme(client_for, principal_a, programmes):
    own, _, _ = programmes

    with time_machine.travel(datetime.date(2026, 3, 1), tick=False):
        response = _progress(client_for(principal_a), own, evidence="https://school-a.edu.example/prikaz.pdf")

    own.refresh_from_db()
    assert response.status_code == 302
    assert (own.status, own.completed_on, own.evidence) == (
        ItemStatus.DONE,
        datetime.date(2026, 3, 1),
        ["https://school-a.edu.example/prikaz.pdf"],
    )
    assert own.title == "Своё"


def test_principal_cannot_touch_another_schools_or_municipal_items(client_for, principal_a, programmes):
    _, other, municipal = programmes
    client = client_for(principal_a)

    assert _progress(client, other).status_code == 404
    assert _progress(client, municipal).status_code == 404
    assert client.get(f"/roadmaps/{other.roadmap_id}/").status_code == 404
    assert client.get(f"/roadmaps/{municipal.roadmap_id}/").status_code == 404
    assert set(RoadmapItem.objects.values_list("status", flat=True)) == {ItemStatus.PLANNED}


def test_principal_cannot_use_staff_pages(client_for, principal_a, programmes):
    own, _, _ = programmes
    client = client_for(principal_a)

    for url in [
        "/roadmaps/",
        f"/roadmaps/items/{own.pk}/edit/",
        f"/roadmaps/{own.roadmap_id}/edit/",
        f"/roadmaps/{own.roadmap_id}/import/",
        "/roadmaps/recommendations/new/",
        "/roadmaps/decisions/new/",
        "/roadmaps/effectiveness/",
        "/roadmaps/directions/",
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/roadmaps/items/{own.pk}/edit/", {"title": "Взлом", "number": "1", "stage": 1, "status": "done"}
    )
    assert response.status_code == 403
    assert client.post(f"/roadmaps/items/{own.pk}/archive/").status_code == 403
    assert RoadmapItem.objects.get(pk=own.pk).title == "Своё"


def test_evidence_must_be_http_links(client_for, principal_a, programmes):
    own, _, _ = programmes

    response = _progress(client_for(principal_a), own, evidence="file:///etc/passwd")

    assert response.status_code == 302
    assert RoadmapItem.objects.get(pk=own.pk).status == ItemStatus.PLANNED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Мероприятие № 1: Ссылка «file:///etc/passwd» не принята: допускаются только адреса "
        "http:// или https://."
    ]


def test_principal_entry_page_lists_only_own_programme(client_for, principal_a, programmes):
    page = client_for(principal_a).get("/roadmaps/my-school/").content.decode()

    assert "Программа помощи A001" in page
    assert "Программа помощи B001" not in page


def test_api_principal_patches_status_and_evidence_of_own_items_only(principal_a, programmes):
    own, other, municipal = programmes
    client = api_client(principal_a)

    response = client.patch(
        f"/api/roadmap-items/{own.pk}/",
        {"status": "in_progress", "evidence": ["https://a.example/1"]},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["evidence"]) == (
        "in_progress",
        ["https://a.example/1"],
    )

    response = client.patch(f"/api/roadmap-items/{own.pk}/", {"title": "Взлом"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Руководитель ОО может изменять только статус, ссылки на подтверждения и дату выполнения."
    )
    assert (
        client.patch(f"/api/roadmap-items/{other.pk}/", {"status": "done"}, format="json").status_code == 404
    )
    assert (
        client.patch(f"/api/roadmap-items/{municipal.pk}/", {"status": "done"}, format="json").status_code
        == 404
    )
    assert client.delete(f"/api/roadmap-items/{own.pk}/").status_code == 403
    assert client.patch(f"/api/roadmaps/{own.roadmap_id}/", {"title": "x"}, format="json").status_code == 403
    assert (
        client.post("/api/roadmaps/", {"title": "x", "kind": "municipal"}, format="json").status_code == 403
    )
    assert RoadmapItem.objects.get(pk=own.pk).title == "Своё"
    assert RoadmapItem.objects.get(pk=other.pk).status == ItemStatus.PLANNED
    assert Roadmap.objects.count() == 3


def test_api_roadmap_shape_and_principal_scope(principal_a, inspector, programmes, school_a):
    own, _, _ = programmes
    own.due_date = datetime.date(2026, 3, 10)
    own.save()

    data = api_client(principal_a).get("/api/roadmaps/").json()
    assert data["count"] == 1
    roadmap = data["results"][0]
    assert (roadmap["id"], roadmap["title"], roadmap["school_code"]) == (
        own.roadmap_id,
        "Программа помощи A001",
        "A001",
    )
    assert roadmap["items"] == [
        {
            "id": own.pk,
            "number": "1",
            "stage": 3,
            "section": "",
            "direction": None,
            "title": "Своё",
            "term": "ежегодно",
            "due_date": "2026-03-10",
            "responsible": "Отдел образования",
            "result": "",
            "status": "planned",
            "evidence": [],
            "completed_on": None,
            "notes": "",
            "version": 1,
        }
    ]
    staff = api_client(inspector).get("/api/roadmaps/").json()
    assert staff["count"] == 3
    assert sorted(r["school_code"] or "" for r in staff["results"]) == ["", "A001", "B001"]


def test_api_staff_create_item_validates_in_russian(inspector):
    roadmap = RoadmapFactory()
    client = api_client(inspector)

    response = client.post(
        "/api/roadmap-items/",
        {"roadmap": roadmap.pk, "number": "1", "stage": 2, "title": "Т", "evidence": ["ftp://x"]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "evidence": ["Ссылка «ftp://x» не принята: допускаются только адреса http:// или https://."]
    }
    ok = client.post(
        "/api/roadmap-items/", {"roadmap": roadmap.pk, "number": "1", "stage": 2, "title": "Т"}, format="json"
    )
    assert ok.status_code == 201
    assert RoadmapItem.objects.get(roadmap=roadmap).stage.number == 2


def test_recommendations_principal_answers_own_only(client_for, principal_a, school_a, school_b):
    own = RecommendationFactory(school=school_a)
    other = RecommendationFactory(school=school_b)
    draft = RecommendationFactory(school=school_a, status=Recommendation.Status.DRAFT)
    client = client_for(principal_a)

    response = client.post(
        f"/roadmaps/recommendations/{own.pk}/",
        {"answer": "Занятия организованы", "evidence": "https://a.example/plan"},
    )
    assert response.status_code == 302
    assert client.post(f"/roadmaps/recommendations/{other.pk}/", {"answer": "x"}).status_code == 404
    assert client.get(f"/roadmaps/recommendations/{draft.pk}/").status_code == 404
    own.refresh_from_db()
    assert (own.status, own.answer, own.answer_evidence, own.answered_by) == (
        Recommendation.Status.ANSWERED,
        "Занятия организованы",
        ["https://a.example/plan"],
        principal_a,
    )
    assert Recommendation.objects.get(pk=other.pk).answer == ""


def test_api_recommendations_principal_changes_only_the_answer(principal_a, school_a, school_b):
    own = RecommendationFactory(school=school_a)
    other = RecommendationFactory(school=school_b)
    client = api_client(principal_a)

    listed = client.get("/api/recommendations/").json()
    assert [r["id"] for r in listed["results"]] == [own.pk]
    assert listed["results"][0]["school_code"] == "A001"
    assert (
        client.patch(f"/api/recommendations/{own.pk}/", {"status": "closed"}, format="json").status_code
        == 403
    )
    assert (
        client.patch(f"/api/recommendations/{other.pk}/", {"answer": "x"}, format="json").status_code == 404
    )
    response = client.patch(f"/api/recommendations/{own.pk}/", {"answer": "Сделано"}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "answered")
    assert (
        client.post(
            "/api/recommendations/",
            {"school_code": "A001", "text": "x", "problem_area": "y", "source_kind": "other"},
            format="json",
        ).status_code
        == 403
    )


def test_api_group_recommendation_and_decision_shapes(inspector, school_a, school_b):
    client = api_client(inspector)

    response = client.post(
        "/api/recommendations/",
        {
            "target_group": "teachers",
            "problem_area": "Объективность ВПР",
            "text": "Критериальное оценивание",
            "source_kind": "indicator",
            "source_ref": "indicator:vpr_lowered_share:2025",
            "status": "sent",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["school_code"] is None
    both = client.post(
        "/api/recommendations/",
        {
            "school_code": "A001",
            "target_group": "parents",
            "text": "x",
            "problem_area": "y",
            "source_kind": "other",
        },
        format="json",
    )
    assert both.status_code == 400
    assert both.json() == {
        "school": [
            "Укажите адресата: либо школу, либо группу (педагоги, руководители, родители, обучающиеся)."
        ]
    }

    decision = client.post(
        "/api/decisions/",
        {
            "kind": "training",
            "title": "КПК для учителей",
            "year": 2025,
            "school_codes": ["B001", "A001"],
            "recommendations": [response.json()["id"]],
            "document_number": "245-о",
            "document_date": "2025-10-10",
        },
        format="json",
    )
    assert decision.status_code == 201
    assert sorted(decision.json()["school_codes"]) == ["A001", "B001"]
    assert ManagementDecision.objects.get().recommendations.get().problem_area == "Объективность ВПР"


def test_principal_sees_decisions_of_own_school_read_only(principal_a, school_a, school_b):
    mine = DecisionFactory()
    mine.schools.set([school_a, school_b])
    DecisionFactory().schools.set([school_b])
    client = api_client(principal_a)

    data = client.get("/api/decisions/").json()
    assert [d["id"] for d in data["results"]] == [mine.pk]
    assert client.patch(f"/api/decisions/{mine.pk}/", {"status": "done"}, format="json").status_code == 403
    assert ManagementDecision.objects.get(pk=mine.pk).status == ItemStatus.PLANNED


def test_the_programmes_list_is_paged_and_counts_every_programme(
    client_for, inspector, programmes, monkeypatch
):
    """A region has a programme for every ШНОР school: the roadmaps page shows them a page at a time and
    the count above counts them all."""
    import roadmaps.views

    monkeypatch.setattr(roadmaps.views, "PROGRAMMES_PAGE_SIZE", 1)
    own, other, _ = programmes
    client = client_for(inspector)

    def programmes_on(page: str) -> set[str]:
        section = page.split("Программы помощи ОО</h2>", 1)[1]
        return {r.get_absolute_url() for r in (own.roadmap, other.roadmap) if r.get_absolute_url() in section}

    first = client.get("/roadmaps/").content.decode()
    second = client.get("/roadmaps/", {"page": 2}).content.decode()

    assert '<span class="stat-value">2</span><span class="stat-label">программ помощи ОО</span>' in first
    assert "Страница 1 из 2" in first and "Страница 2 из 2" in second
    assert len(programmes_on(first)) == len(programmes_on(second)) == 1
    assert programmes_on(first) | programmes_on(second) == {
        own.roadmap.get_absolute_url(),
        other.roadmap.get_absolute_url(),
    }

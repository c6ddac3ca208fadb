"""API permission matrix for templates, campaigns and cards, and the card workflow through the API."""

import json

import pytest
from rest_framework.test import APIClient

from monitoring.models import Campaign, CardAnswer, CardTemplate, ExpertCard
from monitoring.reference import BUILTIN_TEMPLATE
from tests.monitoring.factories import make_campaign

LINK = "https://docs.example/plan.pdf"


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def cards(school_a, school_b):
    campaign = make_campaign(schools=[school_a, school_b], due=(_future(30), _future(40), _future(50)))
    return {card.school.code: card for card in campaign.cards.select_related("school")}


def _future(days):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=days)


def test_card_shows_the_contract_fields(cards, principal_a):
    body = api(principal_a).get(f"/api/cards/{cards['A001'].pk}/").json()
    assert {"id", "school_code", "campaign", "status", "score", "max_score", "level", "answers"} <= set(body)
    assert (body["school_code"], body["status"], body["score"], body["max_score"], body["level"]) == (
        "A001",
        "not_started",
        None,
        17,
        None,
    )
    first = body["answers"][0]
    assert {"criterion", "claimed", "evidence", "computed", "verdict", "points"} <= set(first)
    assert (
        first["criterion"],
        first["claimed"],
        first["evidence"],
        first["computed"],
        first["verdict"],
        first["points"],
    ) == ("1.1", False, [], None, "pending", 0)


@pytest.mark.parametrize(
    ("who", "list_codes", "a_status", "b_status"),
    [
        ("principal_a", ["A001"], 200, 404),
        ("principal_b", ["B001"], 404, 200),
        ("inspector", ["A001", "B001"], 200, 200),
        ("anonymous", None, 403, 403),
    ],
)
def test_card_read_matrix(request, cards, who, list_codes, a_status, b_status):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = api(user)
    listing = client.get("/api/cards/")
    if list_codes is None:
        assert listing.status_code in (401, 403)
    else:
        assert [c["school_code"] for c in listing.json()["results"]] == list_codes
    assert client.get(f"/api/cards/{cards['A001'].pk}/").status_code in (
        {a_status} | ({401} if user is None else set())
    )
    assert client.get(f"/api/cards/{cards['B001'].pk}/").status_code in (
        {b_status} | ({401} if user is None else set())
    )


def test_principal_a_cannot_change_school_b_card_and_nothing_changes(cards, principal_a):
    card_b = cards["B001"]
    patch = api(principal_a).patch(
        f"/api/cards/{card_b.pk}/",
        {"version": 1, "answers": [{"criterion": "2.3", "claimed": True, "evidence": [LINK]}]},
        format="json",
    )
    submit = api(principal_a).post(f"/api/cards/{card_b.pk}/submit/", {"version": 1}, format="json")
    assert (patch.status_code, submit.status_code) == (404, 404)
    card_b.refresh_from_db()
    assert (card_b.status, card_b.version) == ("not_started", 1)
    assert not CardAnswer.objects.filter(card=card_b, claimed=True).exists()


def test_inspector_cannot_fill_and_principal_cannot_verify(cards, principal_a, inspector):
    card = cards["A001"]
    refused = api(inspector).patch(
        f"/api/cards/{card.pk}/",
        {"version": 1, "answers": [{"criterion": "2.3", "claimed": True}]},
        format="json",
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Заполнять карту может только руководитель этой школы."
    assert (
        api(principal_a).post(f"/api/cards/{card.pk}/verify/", {"version": 1}, format="json").status_code
        == 403
    )
    assert ExpertCard.objects.get(pk=card.pk).version == 1


def test_whole_cycle_through_the_api(cards, principal_a, inspector):
    card = cards["A001"]
    principal, staff = api(principal_a), api(inspector)
    saved = principal.patch(
        f"/api/cards/{card.pk}/",
        {
            "version": 1,
            "answers": [
                {"criterion": "2.3", "claimed": True, "evidence": [LINK]},
                {"criterion": "3.1", "claimed": True, "evidence": LINK},
                {"criterion": "2.1", "numerator": 9, "denominator": 10, "evidence": [LINK]},
            ],
        },
        format="json",
    )
    assert saved.status_code == 200 and saved.json()["status"] == "draft"
    stale = principal.patch(
        f"/api/cards/{card.pk}/",
        {"version": 1, "answers": [{"criterion": "2.3", "comment": "устаревшая вкладка"}]},
        format="json",
    )
    assert stale.status_code == 409
    submitted = principal.post(f"/api/cards/{card.pk}/submit/", {"version": 2}, format="json").json()
    assert (submitted["status"], submitted["self_score"]) == ("submitted", 3)
    verdicts = staff.post(
        f"/api/cards/{card.pk}/verdicts/",
        {
            "version": 3,
            "verdicts": [
                {"criterion": "2.3", "verdict": "confirmed"},
                {"criterion": "3.1", "verdict": "confirmed"},
                {"criterion": "2.1", "verdict": "rejected", "comment": "маршруты не утверждены"},
            ],
        },
        format="json",
    )
    assert verdicts.status_code == 200
    verified = staff.post(f"/api/cards/{card.pk}/verify/", {"version": 4}, format="json").json()
    assert (verified["status"], verified["score"], verified["self_score"], verified["level"]) == (
        "verified",
        2,
        3,
        "low",
    )
    points = {a["criterion"]: (a["verdict"], a["points"]) for a in verified["answers"] if a["claimed"]}
    assert points == {"2.1": ("rejected", 0), "2.3": ("confirmed", 1), "3.1": ("confirmed", 1)}


def test_bad_evidence_through_the_api_is_a_400_with_field_errors(cards, principal_a):
    response = api(principal_a).patch(
        f"/api/cards/{cards['A001'].pk}/",
        {
            "version": 1,
            "answers": [{"criterion": "2.3", "claimed": True, "evidence": ["file:///C:/plan.docx"]}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "не ссылка http(s)" in response.json()["errors"]["2.3"]["evidence"]


def test_templates_resource_read_for_portal_users_write_for_staff(roles, principal_a, inspector):
    from monitoring.reference import seed_shnor as seed  # the ШНОР template alone

    seed()
    listing = api(principal_a).get("/api/templates/").json()
    assert [t["slug"] for t in listing["results"]] == ["lesosibirsk-shnor"]
    assert sum(s["maximum"] for s in listing["results"][0]["sections"]) == 17
    new = json.loads(json.dumps(BUILTIN_TEMPLATE))
    new.update(slug="social-monitoring", title="Социальный мониторинг")
    assert api(principal_a).post("/api/templates/", new, format="json").status_code == 403
    created = api(inspector).post("/api/templates/", new, format="json")
    assert created.status_code == 201 and created.json()["version"] == 1
    broken = api(inspector).post("/api/templates/", {**new, "sections": []}, format="json")
    assert broken.status_code == 400 and "В шаблоне нет разделов." in broken.json()["errors"]
    assert CardTemplate.objects.count() == 2


def test_campaigns_resource(school_a, school_b, principal_a, inspector):
    from monitoring.reference import seed

    seed()
    body = {"year": 2025, "template": "lesosibirsk-shnor", "school_codes": ["A001"]}
    assert api(principal_a).post("/api/campaigns/", body, format="json").status_code == 403
    created = api(inspector).post("/api/campaigns/", body, format="json")
    assert created.status_code == 201
    assert created.json()["self_assessment_due"] == "2026-09-30"
    duplicate = api(inspector).post("/api/campaigns/", body, format="json")
    assert duplicate.status_code == 400
    campaign = Campaign.objects.get()
    assert list(campaign.cards.values_list("school__code", flat=True)) == ["A001"]
    assert [c["id"] for c in api(principal_a).get("/api/campaigns/").json()["results"]] == [campaign.pk]
    added = api(inspector).post(
        f"/api/campaigns/{campaign.pk}/participants/", {"add": ["B001"]}, format="json"
    )
    assert added.status_code == 200 and added.json()["cards_count"] == 2

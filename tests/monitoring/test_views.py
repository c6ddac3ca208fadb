"""Pages: the principal fills and submits in the browser, the inspector verifies, dashboard and export."""

import io
import json

from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import CardAnswer, CardChange, ExpertCard
from tests.monitoring.factories import post_verdicts, submit_claims_in_form, submit_new_card_form

LINK = "https://docs.example/plan.pdf"


def test_principal_entry_point_goes_to_their_card(campaign, client_for, principal_a):
    card = campaign.cards.get(school__code="A001")
    response = client_for(principal_a).get(reverse("monitoring:my-cards"))
    assert response.status_code == 302 and response["Location"] == card.get_absolute_url()
    page = client_for(principal_a).get(card.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="card-form"' in html and "js/card.js" in html and "<script>" not in html
    assert html.count('<article class="criterion') == 17
    other = campaign.cards.get(school__code="B001")
    assert client_for(principal_a).get(other.get_absolute_url()).status_code == 404


def test_autosave_json_endpoint_and_conflict(campaign, client_for, principal_a):
    card = campaign.cards.get(school__code="A001")
    client = client_for(principal_a)
    url = reverse("monitoring:card-save", args=[card.pk])
    ok = client.post(
        url,
        json.dumps({"version": 1, "answers": [{"criterion": "2.3", "claimed": True, "evidence": LINK}]}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["status_display"] == "черновик"
    stale = client.post(
        url,
        json.dumps({"version": 1, "answers": [{"criterion": "2.3", "comment": "x"}]}),
        content_type="application/json",
    )
    assert stale.status_code == 409 and "другой пользователь" in stale.json()["error"]
    bad = client.post(
        url,
        json.dumps({"version": 2, "answers": [{"criterion": "2.4", "evidence": "не ссылка"}]}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "2.4" in bad.json()["errors"]
    assert CardAnswer.objects.get(card=card, criterion_code="2.3").comment == ""


def test_plain_form_submit_saves_everything_then_submits(campaign, client_for, principal_a):
    card = campaign.cards.get(school__code="A001")
    response = submit_new_card_form(
        client_for(principal_a),
        card,
        {
            "a-2.3-claimed": "on",
            "a-2.3-evidence": LINK,
            "a-3.1-evidence": "",
            "a-2.1-numerator": "4",
            "a-2.1-denominator": "5",
            "a-2.1-evidence": LINK,
        },
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.status, card.self_score) == (ExpertCard.Status.SUBMITTED, 2)
    page = client_for(principal_a).get(card.get_absolute_url()).content.decode()
    assert 'id="card-form"' not in page and "Карта в состоянии «отправлена»" in page


def test_inspector_verifies_in_the_browser(campaign, client_for, principal_a, inspector):
    card = campaign.cards.get(school__code="A001")
    submit_claims_in_form(client_for(principal_a), card, link=LINK)
    staff = client_for(inspector)
    page = staff.get(card.get_absolute_url()).content.decode()
    assert 'name="verdict-2.3"' in page and "Завершить проверку" in page
    post_verdicts(
        staff,
        card,
        version=3,
        verdicts={"2.3": "confirmed", "3.1": "rejected"},
        comments={"3.1": "соглашение не подписано"},
    )
    staff.post(reverse("monitoring:card-verify", args=[card.pk]), {"version": 4})
    card.refresh_from_db()
    assert (card.status, card.self_score, card.score, card.level) == ("verified", 2, 1, "low")
    page = staff.get(card.get_absolute_url()).content.decode()
    assert "Подготовить адресную рекомендацию" in page and "соглашение не подписано" in page
    assert CardChange.objects.filter(card=card, action="verified").count() == 1


def test_dashboard_results_and_export_are_staff_only(campaign, client_for, inspector, principal_a):
    for name in ("monitoring:campaign-detail", "monitoring:campaign-results", "monitoring:campaign-export"):
        url = reverse(name, args=[campaign.pk])
        assert client_for(principal_a).get(url).status_code == 403
        assert client_for(inspector).get(url).status_code == 200
    dashboard = (
        client_for(inspector).get(reverse("monitoring:campaign-detail", args=[campaign.pk])).content.decode()
    )
    assert "не начата: 2" in dashboard
    export = client_for(inspector).get(reverse("monitoring:campaign-export", args=[campaign.pk]))
    sheet = load_workbook(io.BytesIO(export.content))["Результаты"]
    rows = list(sheet.values)
    assert rows[0][:7] == (
        "Код ОО",
        "Школа",
        "Состояние",
        "Самооценка, баллов",
        "Подтверждено, баллов",
        "Максимум",
        "Степень эффективности",
    )
    assert [r[0] for r in rows[1:]] == ["A001", "B001"]


def test_recommendation_draft_from_a_rejected_criterion(campaign, client_for, principal_a, inspector):
    from roadmaps.models import Recommendation

    card = campaign.cards.get(school__code="A001")
    client_for(principal_a).post(
        reverse("monitoring:card-submit", args=[card.pk]),
        {"version": 1, "present": ["3.1"], "a-3.1-claimed": "on", "a-3.1-evidence": LINK},
    )
    staff = client_for(inspector)
    post_verdicts(staff, card, version=3, verdicts={"3.1": "rejected"}, comments={"3.1": "нет соглашения"})
    staff.post(reverse("monitoring:card-verify", args=[card.pk]), {"version": 4})
    url = reverse("monitoring:card-recommend", args=[card.pk, "3.1"])
    assert client_for(principal_a).post(url).status_code == 403
    staff.post(url)
    staff.post(url)  # a second click does not draft a second one
    recommendation = Recommendation.objects.get()
    assert (recommendation.school.code, recommendation.status, recommendation.source_kind) == (
        "A001",
        "draft",
        "campaign",
    )
    assert recommendation.source_ref == f"campaign:{campaign.pk}/card:{card.pk}/criterion:3.1"
    assert "нет соглашения" in recommendation.text


def test_template_pages_export_and_upload(campaign, client_for, inspector):
    staff = client_for(inspector)
    assert staff.get(reverse("monitoring:template-detail", args=["lesosibirsk-shnor"])).status_code == 200
    exported = staff.get(reverse("monitoring:template-export", args=["lesosibirsk-shnor", "json"])).content
    data = json.loads(exported)
    data.update(slug="websites", title="Мониторинг сайтов")
    upload = io.BytesIO(json.dumps(data).encode())
    upload.name = "websites.json"
    response = staff.post(reverse("monitoring:template-list"), {"file": upload})
    assert response.status_code == 302
    assert staff.get(reverse("monitoring:template-detail", args=["websites"])).status_code == 200

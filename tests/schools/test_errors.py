"""ApplicationError is translated once for pages and once for the API: the status and the Russian message."""

import json
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from monitoring.models import Campaign, CardTemplate, ExpertCard
from monitoring.reference import BUILTIN_TEMPLATE
from monitoring.services.campaigns import DEADLINES_ORDER
from monitoring.services.cards import NOT_YOUR_CARD, STAFF_ONLY
from monitoring.services.recommendations import NOT_A_FINDING
from roadmaps.models import Recommendation
from schools.errors import RecordInvalid
from tests.monitoring.factories import make_campaign

IN_WORK = "Школу {school} нельзя исключить: её карта уже в работе (черновик)."


def _campaign_with_a_draft(school_a, school_b):
    campaign = make_campaign(schools=[school_a, school_b])
    ExpertCard.objects.filter(campaign=campaign, school=school_a).update(status=ExpertCard.Status.DRAFT)
    return campaign


def test_api_answers_a_refused_removal_with_400_and_the_russian_message(inspector, school_a, school_b):
    campaign = _campaign_with_a_draft(school_a, school_b)
    client = APIClient()
    client.force_authenticate(inspector)

    response = client.post(
        f"/api/campaigns/{campaign.pk}/participants/", {"add": [], "remove": ["A001"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": IN_WORK.format(school=school_a)}
    assert campaign.cards.count() == 2


def test_api_answers_a_principals_verification_with_403(principal_a, school_a):
    card = make_campaign(schools=[school_a]).cards.get()
    client = APIClient()
    client.force_authenticate(principal_a)

    response = client.post(f"/api/cards/{card.pk}/verify/", {"version": 1}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": STAFF_ONLY, "errors": {}}
    assert ExpertCard.objects.get().version == 1


def test_api_answers_a_staff_save_of_a_principals_card_with_403(inspector, school_a):
    card = make_campaign(schools=[school_a]).cards.get()
    client = APIClient()
    client.force_authenticate(inspector)

    response = client.patch(f"/api/cards/{card.pk}/", {"version": 1, "answers": []}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": NOT_YOUR_CARD, "errors": {}}


def test_page_goes_back_with_the_message_after_a_refused_action(client_for, inspector, school_a, school_b):
    campaign = _campaign_with_a_draft(school_a, school_b)
    client = client_for(inspector)
    page = f"http://testserver/monitoring/campaigns/{campaign.pk}/"

    response = client.post(
        f"/monitoring/campaigns/{campaign.pk}/participants/",
        {"remove": school_a.pk},
        HTTP_REFERER=page,
        follow=True,
    )

    assert response.redirect_chain == [(page, 302)]
    assert [str(m) for m in response.context["messages"]] == [IN_WORK.format(school=school_a)]
    assert campaign.cards.count() == 2


def test_page_without_a_page_to_go_back_to_shows_the_message_with_the_status(
    client_for, inspector, school_a, school_b
):
    campaign = _campaign_with_a_draft(school_a, school_b)

    response = client_for(inspector).post(
        f"/monitoring/campaigns/{campaign.pk}/participants/",
        {"remove": school_a.pk},
        HTTP_REFERER="https://evil.example/",
    )

    assert response.status_code == 400
    assert IN_WORK.format(school=school_a) in response.content.decode()
    assert campaign.cards.count() == 2


def test_form_page_shows_the_refusal_in_the_form(client_for, inspector, school_a):
    campaign = make_campaign(schools=[school_a])

    response = client_for(inspector).post(
        f"/monitoring/campaigns/{campaign.pk}/edit/",
        {
            "title": "Мониторинг",
            "self_assessment_due": "2026-10-20",
            "verification_due": "2026-10-15",
            "evaluation_due": "2026-11-01",
            "reminder_days": 3,
            "revision_days": 7,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [DEADLINES_ORDER]
    assert DEADLINES_ORDER in response.content.decode()
    assert Campaign.objects.get().self_assessment_due == date(2026, 9, 30)


def test_a_refused_action_without_a_referer_goes_back_to_the_page_its_view_names(
    client_for, inspector, school_a
):
    card = make_campaign(schools=[school_a]).cards.get()

    response = client_for(inspector).post(
        reverse("monitoring:card-recommend", args=[card.pk, "9.9"]), follow=True
    )

    assert response.redirect_chain == [(card.get_absolute_url(), 302)]
    assert [str(m) for m in response.context["messages"]] == [NOT_A_FINDING]
    assert not Recommendation.objects.exists()


def test_a_refused_template_file_lists_every_problem_at_the_file_field(client_for, inspector):
    data = json.loads(json.dumps(BUILTIN_TEMPLATE))
    data.update(slug="empty-monitoring", title="Пустой мониторинг", sections=[])
    upload = SimpleUploadedFile("empty.json", json.dumps(data).encode())

    response = client_for(inspector).post(reverse("monitoring:template-list"), {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Файл: В шаблоне нет разделов."]}
    assert not CardTemplate.objects.filter(slug="empty-monitoring").exists()


def test_a_record_its_model_refuses_shows_each_message_at_its_field():
    refused = RecordInvalid(
        DjangoValidationError(
            {
                "size_edge_large": ["Граница крупных школ должна быть больше границы малых."],
                NON_FIELD_ERRORS: ["Правила с 2030/31 учебного года уже есть."],
            }
        )
    )

    assert refused.form_errors() == {
        "size_edge_large": ["Граница крупных школ должна быть больше границы малых."],
        None: ["Правила с 2030/31 учебного года уже есть."],
    }
    assert refused.message == (
        "Граница крупных школ должна быть больше границы малых. Правила с 2030/31 учебного года уже есть."
    )
    assert refused.status_code == 400

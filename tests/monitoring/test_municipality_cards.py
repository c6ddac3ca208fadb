"""A monitoring about municipalities (DESIGN §6, §7): the municipal programme card is filled by an inspector
of that municipality and verified by the regional specialist; other municipalities' staff and principals
do not see it; scoring and level worked by hand."""

from datetime import date

import pytest

from monitoring import services
from monitoring.builtin import PROGRAMME_SLUG
from monitoring.models import CardTemplate, ExpertCard
from monitoring.reference import seed
from schools.models import Municipality
from schools.reference import seed as seed_roles
from schools.services import user_create_or_update
from tests.factories import SchoolFactory

TODAY = date(2026, 9, 1)
URL = "https://omc.example/programme"


@pytest.fixture
def region(db):
    seed_roles()
    seed()
    first = Municipality.objects.create(name="Первый округ", code="m1")
    second = Municipality.objects.create(name="Второй округ", code="m2")
    school = SchoolFactory(code="P001", short_name="Школа П", municipality=first)
    users = {
        "inspector1": user_create_or_update(username="i1", role="inspector", municipality_codes=["m1"]),
        "inspector2": user_create_or_update(username="i2", role="inspector", municipality_codes=["m2"]),
        "regional": user_create_or_update(username="reg", role="regional"),
        "principal": user_create_or_update(username="p1", role="principal", school_code="P001"),
    }
    users = {name: (u[0] if isinstance(u, tuple) else u) for name, u in users.items()}
    campaign = services.campaign_create(
        year=2025,
        template=CardTemplate.objects.get(slug=PROGRAMME_SLUG),
        user=users["regional"],
        self_assessment_due=date(2026, 9, 30),
        verification_due=date(2026, 10, 15),
        evaluation_due=date(2026, 11, 1),
    )
    card = ExpertCard.objects.get(campaign=campaign, municipality=first)
    return {"campaign": campaign, "card": card, "first": first, "second": second, "school": school, **users}


ANSWERS = [
    {"criterion": "1.1", "choice": "full", "evidence": URL},
    {"criterion": "1.2", "choice": "full", "evidence": URL},
    {"criterion": "1.3", "choice": "partial", "evidence": URL},
    {"criterion": "1.4", "choice": "full", "evidence": URL},
    {"criterion": "1.5", "choice": "full", "evidence": URL},
    {"criterion": "1.6", "choice": "absent"},
    {"criterion": "2.1", "claimed": True, "evidence": URL},
    {"criterion": "2.2", "numerator": 8, "denominator": 10, "evidence": URL},
    {"criterion": "2.3", "text": "Программу дополнить показателями по ШНСУ."},
]


def test_all_municipalities_take_part(region):
    cards = ExpertCard.objects.filter(campaign=region["campaign"])
    assert sorted(c.municipality.code for c in cards) == ["m1", "m2"]
    assert all(c.school_id is None for c in cards)
    assert region["card"].max_score == 15  # 6 × 2 + 1 + 2 + 0


def test_municipality_campaign_end_to_end(region):
    card = region["card"]
    card = services.card_submit(
        card_id=card.pk, user=region["inspector1"], version=card.version, answers=ANSWERS, today=TODAY
    )
    # 2 + 2 + 1 + 2 + 2 + 0 (choices) + 1 (2.1) + 2 (2.2: 8/10 = 80 % ≥ 80) + 0 (text) = 12
    assert (card.status, card.self_score) == ("submitted", 12)
    with pytest.raises(services.CardError):  # the inspector who filled it does not verify it
        services.card_verify(card_id=card.pk, user=region["inspector1"], version=card.version)
    verdicts = {
        a["criterion"]: {"verdict": "confirmed"} for a in ANSWERS if a["criterion"] not in ("1.6", "2.3")
    }
    verdicts["1.4"] = {"verdict": "rejected", "comment": "Ответственные указаны не по всем мероприятиям."}
    card = services.card_verdicts_set(
        card_id=card.pk, user=region["regional"], version=card.version, verdicts=verdicts
    )
    card = services.card_verify(card_id=card.pk, user=region["regional"], version=card.version)
    # 12 − 2 (1.4 rejected) = 10 of 15: medium from ⌈0.6 × 15⌉ = 9, high from ⌈0.8 × 15⌉ = 12
    assert (card.score, card.level) == (10, "medium")
    card = services.card_evaluate(card_id=card.pk, user=region["regional"], version=card.version)
    assert card.status == "evaluated"


def test_other_municipality_staff_and_principals_get_404(region, client_for):
    url = region["card"].get_absolute_url()
    assert client_for(region["inspector1"]).get(url).status_code == 200
    assert client_for(region["regional"]).get(url).status_code == 200
    assert client_for(region["inspector2"]).get(url).status_code == 404
    assert client_for(region["principal"]).get(url).status_code == 404
    saved = client_for(region["inspector2"]).post(
        region["card"].get_absolute_url() + "save/",
        {"version": region["card"].version, "a-1.1-choice": "full"},
    )
    assert saved.status_code == 404
    assert ExpertCard.objects.get(pk=region["card"].pk).status == "not_started"


def test_regional_specialist_does_not_fill_a_municipality_card(region):
    card = region["card"]
    with pytest.raises(services.CardError) as refused:
        services.card_save(
            card_id=card.pk, user=region["regional"], version=card.version, answers=ANSWERS[:1]
        )
    assert "заполняет специалист (инспектор) этого муниципалитета" in refused.value.message


def test_principal_fills_only_own_school_card(region, client_for):
    from tests.monitoring.factories import make_campaign

    other = SchoolFactory(code="P002", short_name="Школа Д", municipality=region["first"])
    campaign = make_campaign(schools=[region["school"], other], year=2025)
    own = ExpertCard.objects.get(campaign=campaign, school=region["school"])
    foreign = ExpertCard.objects.get(campaign=campaign, school=other)
    client = client_for(region["principal"])
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(foreign.get_absolute_url()).status_code == 404
    refused = client.post(
        foreign.get_absolute_url() + "save/", {"version": foreign.version, "a-3.1-claimed": "on"}
    )
    assert refused.status_code == 404
    assert not foreign.answers.get(criterion_code="3.1").claimed

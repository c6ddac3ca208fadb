"""The verifier confirms in one action every claim the computation backs; the principal checks the card
before sending it."""

from datetime import date

import pytest

from monitoring.models import CardAnswer, CardChange, ExpertCard
from monitoring.services import CardConflict, card_check, card_confirm_agreeing, card_submit
from tests.indicators.factories import result
from tests.monitoring.factories import make_campaign, save_new_card

BEFORE = date(2026, 9, 1)
LINK = "https://docs.example/plan.pdf"


@pytest.fixture
def submitted(school_a, principal_a):
    # ВПР Russian grade 5: «2» 5 → 4 of 20 (1.5 positive); ВПР mathematics grade 5: 2 → 3 (1.7 not).
    for year, russian, math in ((2024, 5, 2), (2025, 4, 3)):
        result(school_a, year, "VPR", "russian", 5, 20, mark2=russian)
        result(school_a, year, "VPR", "math", 5, 20, mark2=math)
    card = make_campaign(schools=[school_a]).cards.get()
    save_new_card(
        card,
        principal_a,
        today=BEFORE,
        answers=[{"criterion": c, "claimed": True, "evidence": LINK} for c in ("1.5", "1.7", "2.3")],
    )
    return card_submit(card_id=card.pk, user=principal_a, version=2, today=BEFORE)


def test_one_action_confirms_only_claims_the_computation_agrees_with(submitted, inspector):
    card, confirmed = card_confirm_agreeing(card_id=submitted.pk, user=inspector, version=submitted.version)
    assert confirmed == 1
    verdicts = {
        a.criterion_code: (a.verdict, a.points)
        for a in CardAnswer.objects.filter(card=submitted, claimed=True)
    }
    assert verdicts == {"1.5": ("confirmed", 1), "1.7": ("pending", 0), "2.3": ("pending", 0)}
    assert ExpertCard.objects.get(pk=submitted.pk).version == submitted.version + 1
    assert CardChange.objects.filter(card=submitted, action=CardChange.Action.VERDICT).count() == 2


def test_one_action_with_a_stale_version_changes_nothing(submitted, inspector):
    with pytest.raises(CardConflict):
        card_confirm_agreeing(card_id=submitted.pk, user=inspector, version=submitted.version - 1)
    assert not CardAnswer.objects.filter(card=submitted, verdict="confirmed").exists()


def test_check_lists_claims_with_their_links_and_what_is_missing(school_a, principal_a):
    card = make_campaign(schools=[school_a]).cards.get()
    save_new_card(
        card,
        principal_a,
        today=BEFORE,
        answers=[
            {"criterion": "2.3", "claimed": True, "evidence": f"{LINK}\nhttps://docs.example/order.pdf"},
            {"criterion": "3.1", "claimed": True},
            {"criterion": "2.1", "numerator": "4"},
        ],
    )
    check = card_check(ExpertCard.objects.get(pk=card.pk))
    assert check["claimed"] == [
        {"code": "2.3", "points": 1, "links": 2},
        {"code": "3.1", "points": 1, "links": 0},
    ]
    assert (check["claimed_points"], check["max_points"]) == (2, 17)
    assert check["missing"] == [
        {"code": "2.1", "message": "Укажите и числитель, и знаменатель."},
        {"code": "3.1", "message": "Для заявленного балла нужна ссылка на подтверждающий документ."},
    ]

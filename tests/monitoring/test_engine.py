"""The template engine of DESIGN §7: every criterion kind scored at its boundaries, the level bands, and
a card filled, submitted and verified on a template that uses them all."""

from datetime import date
from decimal import Decimal

import pytest

from monitoring import rules, services
from monitoring.models import CardAnswer, ExpertCard
from monitoring.services.templates import template_import, template_validate
from tests.factories import SchoolContextFactory

TODAY = date(2026, 9, 1)


def _c(code, kind, points=1, **extra):
    return {"code": code, "text": f"Критерий {code}", "kind": kind, "points": points, **extra}


ALL_KINDS = {
    "slug": "all-kinds",
    "title": "Все виды критериев",
    "subject": "school",
    "participants": "manual",
    "levels": {"high": "0.8", "medium": "0.6"},
    "sections": [
        {
            "number": 1,
            "title": "Все виды",
            # points 1 + 2 + 1 + 3 + 1 + 0 + 1 = 9, capped at 8
            "maximum": 8,
            "criteria": [
                _c("f1", "flag"),
                _c("n1", "number", 2, threshold="10"),
                _c("s1", "share", threshold="50"),
                _c(
                    "c1",
                    "choice",
                    0,
                    options=[
                        {"value": "none", "label": "нет", "points": 0},
                        {"value": "part", "label": "частично", "points": 1},
                        {"value": "full", "label": "полностью", "points": 3},
                    ],
                ),
                _c("l1", "link", evidence_required=False),
                _c("t1", "text", 0, evidence_required=False),
                _c(
                    "k1",
                    "computed",
                    rule={"source": "context", "field": "students", "test": "gte", "value": "100"},
                ),
            ],
        }
    ],
}


def _template():
    import copy

    return template_import(data=copy.deepcopy(ALL_KINDS))


# --- pure rules at their boundaries ----------------------------------------------------------------


def test_choice_points_are_the_best_option_and_the_chosen_option_scores():
    import copy

    data = copy.deepcopy(ALL_KINDS)
    assert template_validate(data) == []
    choice = data["sections"][0]["criteria"][3]
    assert choice["points"] == 3  # the best option
    assert rules.claimed_points(choice, claimed=True, choice="part") == 1
    assert rules.claimed_points(choice, claimed=True, choice="full") == 3
    assert rules.claim_of(choice, choice="none") is False  # 0 points claims nothing
    assert rules.claim_of(choice, choice="") is False


@pytest.mark.parametrize(
    ("numerator", "denominator", "claimed"),
    [(5, 10, True), (49, 99, False), (50, 100, True), (0, 0, False), (None, None, False)],
)
def test_share_meets_its_threshold_exactly(numerator, denominator, claimed):
    # 5/10 = 50 % ≥ 50; 49/99 = 49.49… % < 50; no denominator claims nothing
    criterion = ALL_KINDS["sections"][0]["criteria"][2]
    assert rules.claim_of(criterion, numerator=numerator, denominator=denominator) is claimed


@pytest.mark.parametrize(
    ("value", "claimed"), [(Decimal("10"), True), (Decimal("9.99"), False), (None, False)]
)
def test_number_meets_its_threshold(value, claimed):
    assert rules.claim_of(ALL_KINDS["sections"][0]["criteria"][1], value=value) is claimed


def test_link_claims_when_a_link_is_given_and_text_never():
    link = ALL_KINDS["sections"][0]["criteria"][4]
    assert rules.claim_of(link, evidence="https://omc.example/quality") is True
    assert rules.claim_of(link, evidence="") is False
    assert rules.claimed_points(ALL_KINDS["sections"][0]["criteria"][5], claimed=False) == 0


@pytest.mark.parametrize(
    ("rule", "current", "previous", "expected"),
    [
        ({"test": "gte", "value": "100"}, 100, None, True),  # 100 ≥ 100
        ({"test": "gte", "value": "100"}, 99, None, False),
        ({"test": "lte", "value": "15"}, 15.0, None, True),  # 15 ≤ 15
        ({"test": "lte", "value": "15"}, 15.01, None, False),
        ({"test": "up"}, 12, 11, True),
        ({"test": "up"}, 11, 11, False),  # no rise
        ({"test": "down"}, 0, 0, True),  # staying at 0 counts as a decrease (§4.5)
        ({"test": "down"}, 3, 3, False),
        ({"test": "down"}, 3, None, None),  # no data for the previous year
        ({"test": "gte", "value": "1"}, None, None, None),
    ],
)
def test_value_rules(rule, current, previous, expected):
    assert rules.value_test(rule, current=current, previous=previous)[0] is expected


def test_level_bands_of_a_capped_maximum():
    # maximum 8: high from ⌈0.8 × 8⌉ = 7 (6.4 rounds up), medium from ⌈0.6 × 8⌉ = 5 (4.8 rounds up)
    assert rules.level_thresholds(maximum=8, high_share="0.8", medium_share="0.6") == (7, 5)
    snapshot = {"sections": [{"maximum": 8}], "levels": {"high": "0.8", "medium": "0.6"}}
    assert [rules.snapshot_level(snapshot, score) for score in (7, 6, 5, 4)] == [
        "high",
        "medium",
        "medium",
        "low",
    ]


def test_a_template_without_points_has_no_level():
    snapshot = {"sections": [{"maximum": 0}], "levels": {"high": "0.8", "medium": "0.6"}}
    assert rules.snapshot_level(snapshot, 0) == ""


def test_old_fact_kind_reads_as_flag():
    assert rules.kind_of({"kind": "fact"}) == "flag"


# --- a card on a template with every kind --------------------------------------------------------


def _campaign(school, user=None):
    return services.campaign_create(
        year=2025,
        template=_template(),
        user=user,
        self_assessment_due=date(2026, 9, 30),
        verification_due=date(2026, 10, 15),
        evaluation_due=date(2026, 11, 1),
        school_ids=[school.pk],
    )


def test_card_with_every_kind_scores_confirmed_points_and_level(school_a, principal_a, inspector):
    SchoolContextFactory(school=school_a, year=2025, students=100)  # k1: 100 ≥ 100
    campaign = _campaign(school_a, inspector)
    card = ExpertCard.objects.get(campaign=campaign)
    assert card.max_score == 8
    assert CardAnswer.objects.get(card=card, criterion_code="k1").computed is True
    answers = [
        {"criterion": "f1", "claimed": True, "evidence": "https://s.example/f1"},
        {"criterion": "n1", "value": "10", "evidence": "https://s.example/n1"},
        {"criterion": "s1", "numerator": 5, "denominator": 10, "evidence": "https://s.example/s1"},
        {"criterion": "c1", "choice": "part", "evidence": "https://s.example/c1"},
        {"criterion": "l1", "evidence": "https://s.example/page"},
        {"criterion": "t1", "text": "Программа обновлена в мае."},
        {"criterion": "k1", "claimed": True, "evidence": "https://s.example/k1"},
    ]
    card = services.card_submit(
        card_id=card.pk, user=principal_a, version=card.version, answers=answers, today=TODAY
    )
    # claimed: f1 1 + n1 2 + s1 1 + c1 «частично» 1 + l1 1 + t1 0 + k1 1 = 7
    assert card.self_score == 7
    assert CardAnswer.objects.get(card=card, criterion_code="t1").text == "Программа обновлена в мае."
    confirm = {code: {"verdict": "confirmed"} for code in ("f1", "n1", "s1", "c1", "l1", "k1")}
    confirm["n1"] = {"verdict": "rejected", "comment": "Нет приказа."}
    card = services.card_verdicts_set(card_id=card.pk, user=inspector, version=card.version, verdicts=confirm)
    card = services.card_verify(card_id=card.pk, user=inspector, version=card.version)
    # confirmed 7 − n1's 2 = 5 of 8: medium (5 ≤ score < 7)
    assert (card.score, card.level) == (5, "medium")
    assert CardAnswer.objects.get(card=card, criterion_code="c1").points == 1


def test_unknown_choice_is_refused_and_nothing_is_saved(school_a, principal_a):
    campaign = _campaign(school_a)
    card = ExpertCard.objects.get(campaign=campaign)
    with pytest.raises(services.CardError) as refused:
        services.card_save(
            card_id=card.pk,
            user=principal_a,
            version=card.version,
            answers=[{"criterion": "c1", "choice": "many"}, {"criterion": "f1", "claimed": True}],
            today=TODAY,
        )
    assert refused.value.errors == {"c1": {"choice": services.cards.CHOICE_UNKNOWN.format(value="many")}}
    assert not CardAnswer.objects.get(card=card, criterion_code="f1").claimed
    assert ExpertCard.objects.get(pk=card.pk).version == card.version


def test_template_errors_for_new_kinds_are_russian():
    import copy

    data = copy.deepcopy(ALL_KINDS)
    criteria = data["sections"][0]["criteria"]
    criteria[3]["options"] = [{"value": "x", "label": "один", "points": 1}]
    criteria[5]["points"] = 2
    criteria[6]["rule"] = {"source": "context", "field": "pupils", "test": "gte", "value": "1"}
    errors = template_validate(data)
    assert "Раздел 1, критерий «c1»: у выбора нужно не меньше двух вариантов." in errors
    assert "Раздел 1, критерий «t1»: текстовый ответ баллов не даёт (укажите 0)." in errors
    assert any("«field» — поле контекста ОО" in e for e in errors)

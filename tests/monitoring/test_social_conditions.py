"""The social monitoring (DESIGN §7.2): verified values become that year's school context with the card as
provenance; a later context import of the same year keeps them and lists where the file differs."""

from datetime import date

import pytest

from monitoring import services
from monitoring.builtin import SOCIAL_SLUG
from monitoring.models import CardContextRecord, CardTemplate, ExpertCard
from monitoring.reference import seed
from schools.importing import run_import
from schools.models import SchoolContext
from tests.factories import SchoolContextFactory

TODAY = date(2026, 9, 1)
HEADER = [
    "Код ОО",
    "Учебный год",
    "Обучающихся",
    "Педагогов",
    "На учёте ОДН/КДН",
    "Лишение или приостановление аккредитации",
]


@pytest.fixture
def social_card(school_a, inspector):
    seed()
    campaign = services.campaign_create(
        year=2025,
        template=CardTemplate.objects.get(slug=SOCIAL_SLUG),
        user=inspector,
        self_assessment_due=date(2026, 9, 30),
        verification_due=date(2026, 10, 15),
        evaluation_due=date(2026, 11, 1),
        school_ids=[school_a.pk],
    )
    return ExpertCard.objects.get(campaign=campaign)


def _fill(card, principal, **values):
    answers = [{"criterion": code, "value": value} for code, value in values.items()]
    answers.append({"criterion": "2.6", "claimed": False})
    return services.card_submit(
        card_id=card.pk, user=principal, version=card.version, answers=answers, today=TODAY
    )


def test_social_conditions_is_a_data_card_of_every_school(social_card):
    # 11 criteria without points: maximum 0, no level
    assert (social_card.max_score, social_card.answers.count()) == (0, 11)
    template = CardTemplate.objects.get(slug=SOCIAL_SLUG)
    assert (template.subject, template.participants) == ("school", "all_schools")


def test_verified_card_becomes_school_context_with_provenance(social_card, principal_a, inspector):
    SchoolContextFactory(school=social_card.school, year=2025, students=600, teachers=40, migrants=7)
    card = _fill(social_card, principal_a, **{"1.1": "640", "1.2": "41", "2.1": "3"})
    assert card.self_score == 0
    context = SchoolContext.objects.get(school=card.school, year=2025)
    assert context.students == 600  # nothing changes before verification
    card = services.card_verify(card_id=card.pk, user=inspector, version=card.version)
    assert (card.score, card.level) == (0, "")
    context.refresh_from_db()
    # entered values replace the old ones; «мигранты» left empty keeps its 7; the flag «нет» is a value
    assert (context.students, context.teachers, context.police_registered, context.migrants) == (
        640,
        41,
        3,
        7,
    )
    assert context.accreditation_suspended is False and context.import_batch is None
    record = CardContextRecord.objects.get(card=card)
    assert record.context == context
    assert record.values == {
        "students": 640,
        "teachers": 41,
        "police_registered": 3,
        "accreditation_suspended": False,
    }
    assert context.history.first().history_change_reason == f"проверенная карта мониторинга № {card.pk}"


def test_part_larger_than_whole_is_refused(social_card, principal_a):
    with pytest.raises(services.CardError) as refused:
        _fill(social_card, principal_a, **{"1.1": "40", "2.1": "41"})
    assert refused.value.errors["2.1"] == {"value": "41 — больше общей численности (40)."}
    # the submission is all or nothing: neither sent nor saved
    assert ExpertCard.objects.get(pk=social_card.pk).status == "not_started"
    assert social_card.answers.get(criterion_code="2.1").value is None


def test_context_import_of_the_same_year_shows_differences_and_keeps_the_card_values(
    social_card, principal_a, inspector, school_b, make_xlsx
):
    card = _fill(social_card, principal_a, **{"1.1": "640", "1.2": "41", "2.1": "3"})
    services.card_verify(card_id=card.pk, user=inspector, version=card.version)
    file = make_xlsx(
        [
            HEADER,
            ["A001", "2025/2026", 650, 41, 3, "да"],  # differs in «Обучающихся» and the flag
            ["B001", "2025/2026", 300, 20, 1, "нет"],  # no card: imported as usual
        ]
    )
    summary = run_import(kind="context", file=file, file_name="context.xlsx", user=inspector)
    assert summary.ok and (summary.created, summary.updated) == (1, 1)
    label = f"карта мониторинга «{card.campaign.title}», 2025/2026, № {card.pk}"
    assert summary.extra["differences"] == [
        {"row": 2, "code": "A001", "column": "Обучающихся", "file": "650", "kept": "640", "source": label},
        {
            "row": 2,
            "code": "A001",
            "column": "Лишение или приостановление аккредитации",
            "file": "да",
            "kept": "нет",
            "source": label,
        },
    ]
    assert "Расхождений со значениями проверенных карт мониторинга: 2" in summary.text()
    kept = SchoolContext.objects.get(school=card.school, year=2025)
    assert (kept.students, kept.accreditation_suspended) == (640, False)
    assert SchoolContext.objects.get(school=school_b, year=2025).students == 300


def test_value_changed_by_hand_after_the_card_may_be_imported(social_card, principal_a, inspector, make_xlsx):
    card = _fill(social_card, principal_a, **{"1.1": "640"})
    services.card_verify(card_id=card.pk, user=inspector, version=card.version)
    SchoolContext.objects.filter(school=card.school, year=2025).update(students=645)
    summary = run_import(
        kind="context",
        file=make_xlsx([HEADER[:3], ["A001", "2025/2026", 650]]),
        file_name="c.xlsx",
        user=inspector,
    )
    assert summary.ok and "differences" not in summary.extra
    assert SchoolContext.objects.get(school=card.school, year=2025).students == 650

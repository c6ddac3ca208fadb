"""The card page names what a criterion of any template asks (found by the editor's browser journey, issue
19): a share's two numbers are its numerator and denominator, not «teachers with routes» (the ШНОР card's
words shown on every template), and a computed criterion with a threshold says whether the condition holds,
not that the dynamic is positive."""

from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring import rules, services
from monitoring.builtin import PROGRAMME_SLUG
from monitoring.models import CardChange, CardTemplate, ExpertCard
from monitoring.reference import seed
from monitoring.services import editor
from schools.models import Municipality, SchoolContext
from schools.services import user_create_or_update


def _open_deadlines() -> dict:
    today = timezone.localdate()
    return {
        "self_assessment_due": today + timedelta(days=10),
        "verification_due": today + timedelta(days=20),
        "evaluation_due": today + timedelta(days=30),
    }


def _user(**kwargs):
    user = user_create_or_update(**kwargs)
    return user[0] if isinstance(user, tuple) else user


@pytest.mark.django_db
def test_a_share_of_the_municipal_programme_asks_for_its_numerator_and_denominator(client_for, roles):
    seed()
    municipality = Municipality.objects.create(name="Первый округ", code="m1")
    inspector = _user(username="i1", role="inspector", municipality_codes=["m1"])
    campaign = services.campaign_create(
        year=2025, template=CardTemplate.objects.get(slug=PROGRAMME_SLUG), **_open_deadlines()
    )
    card = ExpertCard.objects.get(campaign=campaign, municipality=municipality)
    card = services.card_save(
        card_id=card.pk,
        user=inspector,
        version=card.version,
        answers=[
            {
                "criterion": "2.2",
                "numerator": 8,
                "denominator": 10,
                "evidence": "https://m1.omc.example/report",
                "comment": "по отчёту за год",
            }
        ],
    )

    page = client_for(inspector).get(card.get_absolute_url()).content.decode()

    share = page[page.index('data-criterion="2.2"') : page.index('data-criterion="2.3"')]
    assert '<label for="a-2.2-numerator">Числитель (отвечает показателю)</label>' in share
    assert '<label for="a-2.2-denominator">Знаменатель (всего)</label>' in share
    assert "Доля 80,0" in share  # 8 of 10 against the 80 % threshold
    assert "педагог" not in share.lower()

    services.card_submit(card_id=card.pk, user=inspector, version=card.version)
    regional = _user(username="reg", role="regional")
    shown = client_for(regional).get(card.get_absolute_url()).content.decode()
    assert "<dt>Комментарий муниципалитета</dt><dd>по отчёту за год</dd>" in shown
    assert "Комментарий руководителя" not in shown


@pytest.mark.django_db
def test_a_computed_threshold_on_the_school_context_says_whether_the_condition_holds(
    school_a, principal_a, client_for
):
    template = editor.template_create(slug="big-schools", title="Крупные школы", subject="school")
    template = editor.template_section_save(template=template, version=1, number=None, title="Контингент")
    rule = {"source": "context", "field": "students", "test": "gte", "value": "500"}
    for code, value in (("1.1", "500"), ("1.2", "700")):
        template = editor.template_criterion_save(
            template=template,
            version=template.version,
            section_number=1,
            code=None,
            criterion={
                "code": code,
                "text": f"Обучающихся не менее {value}",
                "kind": "computed",
                "points": 1,
                "rule": {**rule, "value": value},
                "evidence_required": False,
            },
        )
    SchoolContext.objects.create(school=school_a, year=2025, students=640)
    campaign = services.campaign_create(
        year=2025, template=template, school_ids=[school_a.pk], **_open_deadlines()
    )
    card = ExpertCard.objects.get(campaign=campaign)

    page = client_for(principal_a).get(card.get_absolute_url()).content.decode()

    met = page[page.index('data-criterion="1.1"') : page.index('data-criterion="1.2"')]
    assert "Расчёт портала по контексту ОО:" in met
    assert "условие выполнено" in met and "значение 640, требуется не менее 500" in met
    start = page.index('data-criterion="1.2"')
    missed = page[start : page.index("</article>", start)]
    assert "условие не выполнено" in missed and "значение 640, требуется не менее 700" in missed
    assert "динамик" not in met + missed and "загруженным результатам" not in page
    # no method, no periodicity: no empty «· ·» in the criterion's line
    assert '<p class="muted">1 балл. · источник: —</p>' in met


@pytest.mark.django_db
def test_the_history_of_a_number_answer_shows_the_number_as_typed(school_a, principal_a):
    template = editor.template_create(slug="updates", title="Обновления сайта", subject="school")
    template = editor.template_section_save(template=template, version=1, number=None, title="Сайт")
    template = editor.template_criterion_save(
        template=template,
        version=2,
        section_number=1,
        code=None,
        criterion={
            "code": "1.1",
            "text": "Обновлений за год",
            "kind": "number",
            "points": 1,
            "threshold": "12",
        },
    )
    campaign = services.campaign_create(
        year=2025, template=template, school_ids=[school_a.pk], **_open_deadlines()
    )
    card = ExpertCard.objects.get(campaign=campaign)
    for typed in ("14", "12,5"):
        card = services.card_save(
            card_id=card.pk,
            user=principal_a,
            version=card.version,
            answers=[{"criterion": "1.1", "value": typed}],
        )

    changes = CardChange.objects.filter(card=card, field="value").order_by("pk")
    assert [(c.old_text, c.new_text) for c in changes] == [("", "14"), ("14", "12,5")]


def test_a_value_rule_shows_its_figures_as_people_write_them():
    """A count stays a whole number; an indicator keeps at most two decimals."""
    assert rules.value_test({"test": "gte", "value": "500"}, current=640, previous=None) == (
        True,
        {"current": "640", "text": "значение 640, требуется не менее 500"},
    )
    passed, detail = rules.value_test({"test": "up"}, current=62.5, previous=61.25)
    assert (passed, detail["text"]) == (True, "61,25 → 62,5: динамика положительная")

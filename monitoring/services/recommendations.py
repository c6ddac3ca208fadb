"""From a rejected or zero-point criterion, a draft targeted recommendation for that school (roadmaps app)."""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User

from schools.roles import is_staff_member

from ..models import CardAnswer, ExpertCard
from ..rules import snapshot_criteria
from .cards import STAFF_ONLY, CardError, CardNotAllowed

NOT_A_FINDING = "Рекомендация готовится по отклонённому критерию или критерию без баллов после проверки."
SHNOR_DIRECTION = "1.2"  # «Система работы со ШНОР и ШНСУ» (DESIGN §4.1)


def recommendation_source_ref(card: ExpertCard, code: str) -> str:
    return f"campaign:{card.campaign_id}/card:{card.pk}/criterion:{code}"


def _draft_text(criterion: dict, answer: CardAnswer) -> tuple[str, str]:
    problem = f"Критерий {criterion['code']}: {criterion['text']}"
    if criterion["kind"] == "computed":
        found = answer.computed_detail.get("text") or "положительная динамика не подтверждена"
        text = (
            f"По результатам мониторинга: {found}. Проанализировать причины на методическом объединении, "
            f"определить обучающихся группы риска и включить адресные меры в программу помощи школе "
            f"(дорожную карту) на следующий учебный год."
        )
    else:
        reason = answer.verifier_comment or "балл не подтверждён документами"
        text = (
            f"Показатель «{criterion['text']}» не выполнен ({reason}). "
            "Обеспечить его выполнение и разместить "
            f"подтверждающие документы в АИС «Образование»; включить мероприятие в программу помощи школе."
        )
    return problem[:500], text


def recommendation_draft_for_answer(*, card_id: int, code: str, user: User) -> tuple[Any, bool]:
    """Create (or return the already drafted) recommendation for this card's criterion."""
    if not is_staff_member(user):
        raise CardNotAllowed(STAFF_ONLY)
    card = ExpertCard.objects.select_related("campaign", "school").get(pk=card_id)
    criteria = {c["code"]: c for c in snapshot_criteria(card.template_snapshot)}
    answer = card.answers.filter(criterion_code=code).first()
    finished = card.status in (ExpertCard.Status.VERIFIED, ExpertCard.Status.EVALUATED)
    if (
        answer is None
        or code not in criteria
        or not (answer.verdict == CardAnswer.Verdict.REJECTED or (finished and answer.points == 0))
    ):
        raise CardError(NOT_A_FINDING)
    recommendation_model = apps.get_model("roadmaps", "Recommendation")
    source_ref = recommendation_source_ref(card, code)
    existing = recommendation_model.objects.filter(school=card.school, source_ref=source_ref).first()
    if existing:
        return existing, False
    direction = apps.get_model("roadmaps", "Direction").objects.filter(code=SHNOR_DIRECTION).first()
    problem, text = _draft_text(criteria[code], answer)
    create = import_module("roadmaps.services").recommendation_create
    recommendation = create(
        school=card.school,
        text=text,
        problem_area=problem,
        source_kind="campaign",
        source_ref=source_ref,
        author=user,
        direction=direction,
        year=card.campaign.year,
    )
    return recommendation, True

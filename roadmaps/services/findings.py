"""Draft targeted recommendations from the findings of the monitoring (registered with monitoring in
`RoadmapsConfig.ready`; monitoring decides what a finding is, see `monitoring.rules.is_finding`)."""

from monitoring.models import CardAnswer, ExpertCard

from ..models import Recommendation
from .recommendations import recommendation_draft_once

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
            f"Показатель «{criterion['text']}» не выполнен ({reason}). Обеспечить его выполнение и "
            f"разместить подтверждающие документы в АИС «Образование»; включить мероприятие в программу "
            f"помощи школе."
        )
    return problem[:500], text


def recommendation_draft_from_card(
    *, card: ExpertCard, criterion: dict, answer: CardAnswer, user
) -> tuple[Recommendation, bool]:
    """A draft recommendation to the card's school about one criterion, or the one drafted before."""
    return recommendation_draft_once(
        school=card.school,
        source_ref=recommendation_source_ref(card, criterion["code"]),
        texts=lambda: _draft_text(criterion, answer),
        source_kind=Recommendation.SourceKind.CAMPAIGN,
        direction_code=SHNOR_DIRECTION,
        year=card.campaign.year,
        user=user,
    )

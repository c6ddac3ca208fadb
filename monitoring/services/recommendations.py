"""From a finding of a checked card (a rejected or zero-point criterion), a draft targeted recommendation.

Monitoring decides what a finding is; recommendations belong to the roadmaps app, which imports
monitoring and never the reverse. So roadmaps registers, in its `AppConfig.ready`, the function that
drafts one (`register_recommendation_drafter`), and this service hands the finding to it.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from schools.roles import is_staff_member

from ..models import ExpertCard
from ..rules import is_finding, snapshot_criteria
from .cards import STAFF_ONLY, CardError, CardNotAllowed

NOT_A_FINDING = "Рекомендация готовится по отклонённому критерию или критерию без баллов после проверки."
NO_DRAFTER = "Адресные рекомендации ведутся в разделе «Дорожные карты», а он не подключён."

_drafters: list[Callable] = []


def register_recommendation_drafter(drafter: Callable) -> None:
    """`drafter(*, card, criterion, answer, user) -> (recommendation, created)`; the last one wins."""
    _drafters[:] = [drafter]


def recommendation_draft_for_answer(*, card_id: int, code: str, user: User) -> tuple[Any, bool]:
    """Create (or return the already drafted) recommendation for this card's criterion: (it, created)."""
    if not is_staff_member(user):
        raise CardNotAllowed(STAFF_ONLY)
    card = ExpertCard.objects.select_related("campaign", "school").get(pk=card_id)
    criteria = {c["code"]: c for c in snapshot_criteria(card.template_snapshot)}
    answer = card.answers.filter(criterion_code=code).first()
    if (
        answer is None
        or code not in criteria
        or not is_finding(status=card.status, verdict=answer.verdict, points=answer.points)
    ):
        raise CardError(NOT_A_FINDING)
    if not _drafters:
        raise CardError(NO_DRAFTER)
    return _drafters[0](card=card, criterion=criteria[code], answer=answer, user=user)

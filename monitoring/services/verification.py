"""Staff actions on a submitted card: verdicts per criterion (one by one or all the computation backs),
return for revision, reopen, finish, evaluate."""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from ..models import CardAnswer, CardChange, ExpertCard
from ..rules import STAFF_ACTION_STATUSES, claimed_points, score_points, snapshot_criteria, snapshot_level
from .cards import (
    CARD_CONFLICT,
    COMPUTED_NO_DATA,
    REJECT_NEEDS_COMMENT,
    REOPEN_DATE_PAST,
    RETURN_NEEDS_MESSAGE,
    VERDICT_UNCLAIMED,
    VERDICT_UNKNOWN,
    VERDICTS_MISSING,
    CardConflict,
    CardError,
    _answers_by_code,
    _load,
    _locked_update,
    _log,
    _require_staff,
    _require_status,
    _require_verifier,
)
from .context import card_context_write

S = ExpertCard.Status


def _card_for_staff_action(card_id: int, user: User, action: str) -> ExpertCard:
    """The card, once `user` is staff who may verify it and its status allows `action`
    (rules.STAFF_ACTION_STATUSES); CardNotAllowed or CardError otherwise."""
    _require_staff(user)
    card = _load(card_id)
    _require_verifier(user, card)
    _require_status(card, *STAFF_ACTION_STATUSES[action])
    return card


@transaction.atomic
def card_verdicts_set(*, card_id: int, user: User, version: int, verdicts: dict[str, dict]) -> ExpertCard:
    """verdicts: {criterion code: {"verdict": confirmed|rejected|pending, "comment": "..."}}."""
    card = _card_for_staff_action(card_id, user, "verdicts")
    if card.version != version:
        raise CardConflict(CARD_CONFLICT)
    criteria = {c["code"]: c for c in snapshot_criteria(card.template_snapshot)}
    answers = _answers_by_code(card)
    errors, changed, changes = {}, [], []
    for code, raw in verdicts.items():
        answer = answers.get(code)
        verdict = (raw or {}).get("verdict", CardAnswer.Verdict.PENDING) or CardAnswer.Verdict.PENDING
        comment = str((raw or {}).get("comment", answer.verifier_comment if answer else "") or "").strip()
        if answer is None:
            errors[code] = {"verdict": f"Критерия «{code}» нет в карте."}
        elif verdict not in CardAnswer.Verdict.values:
            errors[code] = {"verdict": VERDICT_UNKNOWN.format(verdict=verdict)}
        elif verdict != CardAnswer.Verdict.PENDING and not answer.claimed:
            errors[code] = {"verdict": VERDICT_UNCLAIMED}
        elif verdict == CardAnswer.Verdict.REJECTED and not comment:
            errors[code] = {"verifier_comment": REJECT_NEEDS_COMMENT}
        elif (
            verdict == CardAnswer.Verdict.CONFIRMED
            and criteria[code]["kind"] == "computed"
            and answer.computed is None
        ):
            errors[code] = {"verdict": COMPUTED_NO_DATA}
        if code in errors:
            continue
        new: dict[str, Any] = {
            "verdict": verdict,
            "verifier_comment": comment,
            "points": claimed_points(
                criteria[code], claimed=verdict == CardAnswer.Verdict.CONFIRMED, choice=answer.choice
            ),
        }
        diff = {name: value for name, value in new.items() if getattr(answer, name) != value}
        for name, value in diff.items():
            shown_old = answer.get_verdict_display() if name == "verdict" else getattr(answer, name)
            shown_new = CardAnswer.Verdict(value).label if name == "verdict" else value
            changes.append(
                _log(
                    card, user, CardChange.Action.VERDICT, code=code, field=name, old=shown_old, new=shown_new
                )
            )
            setattr(answer, name, value)
        if diff:
            changed.append(answer)
    if errors:
        raise CardError("Решения не сохранены: исправьте отмеченные поля.", errors)
    _locked_update(card, version=version)
    CardAnswer.objects.bulk_update(changed, ["verdict", "verifier_comment", "points"])
    CardChange.objects.bulk_create(changes)
    return card


def agreeing_codes(card: ExpertCard) -> list[str]:
    """Criteria still to check where the principal's claim and the portal's computation agree
    (a claimed point with a positive computed dynamic); reads the card's prefetched answers."""
    return [
        a.criterion_code
        for a in card.answers.all()
        if a.claimed and a.computed is True and a.verdict == CardAnswer.Verdict.PENDING
    ]


def card_confirm_agreeing(*, card_id: int, user, version: int) -> tuple[ExpertCard, int]:
    """One action for the verifier: confirm every pending claim the computation agrees with.
    Returns the card and how many criteria were confirmed (0 writes nothing)."""
    card = _card_for_staff_action(card_id, user, "verdicts")
    if card.version != version:
        raise CardConflict(CARD_CONFLICT)
    codes = agreeing_codes(card)
    if not codes:
        return card, 0
    verdicts = {code: {"verdict": CardAnswer.Verdict.CONFIRMED} for code in codes}
    return card_verdicts_set(card_id=card_id, user=user, version=version, verdicts=verdicts), len(codes)


@transaction.atomic
def card_return(
    *, card_id: int, user: User, version: int, message: str, today: date | None = None
) -> ExpertCard:
    """Return a submitted card to the principal with a message; it is open for `revision_days` more days."""
    from ..tasks import card_returned_notify_task

    card = _card_for_staff_action(card_id, user, "return_for_revision")
    message = (message or "").strip()
    if not message:
        raise CardError(RETURN_NEEDS_MESSAGE, {"": {"message": RETURN_NEEDS_MESSAGE}})
    today = today or timezone.localdate()
    until = max(card.campaign.self_assessment_due, today + timedelta(days=card.campaign.revision_days))
    _locked_update(card, version=version, status=S.RETURNED, return_message=message, reopened_until=until)
    _log(
        card,
        user,
        CardChange.Action.RETURNED,
        field="return_message",
        new=f"{message} (доработать до {until:%d.%m.%Y})",
    ).save()
    transaction.on_commit(lambda: card_returned_notify_task.delay(card.pk))
    return card


@transaction.atomic
def card_reopen(
    *, card_id: int, user: User, version: int, until: date, today: date | None = None
) -> ExpertCard:
    """Open the card to its principal until `until` (also after the deadline or after submission)."""
    card = _card_for_staff_action(card_id, user, "reopen")
    if until < (today or timezone.localdate()):
        raise CardError(REOPEN_DATE_PAST)
    status = S.DRAFT if card.status == S.SUBMITTED else card.status
    old = card.reopened_until
    _locked_update(card, version=version, status=status, reopened_until=until)
    _log(
        card,
        user,
        CardChange.Action.REOPENED,
        field="reopened_until",
        old=old and f"{old:%d.%m.%Y}",
        new=f"{until:%d.%m.%Y}",
    ).save()
    return card


@transaction.atomic
def card_verify(*, card_id: int, user: User, version: int) -> ExpertCard:
    """Finish the verification: score = confirmed points, level by the template's shares."""
    card = _card_for_staff_action(card_id, user, "verify")
    answers = _answers_by_code(card)
    scored = {c["code"] for c in snapshot_criteria(card.template_snapshot) if c["points"]}
    pending = [
        code
        for code, a in answers.items()
        if code in scored and a.claimed and a.verdict == CardAnswer.Verdict.PENDING
    ]
    if pending:
        raise CardError(
            VERDICTS_MISSING.format(codes=", ".join(pending)),
            {code: {"verdict": "Подтвердите или отклоните балл."} for code in pending},
        )
    score = score_points(card.template_snapshot, {code: a.points for code, a in answers.items()})
    level = snapshot_level(card.template_snapshot, score)
    _locked_update(
        card, version=version, status=S.VERIFIED, score=score, level=level, verified_at=timezone.now()
    )
    card_context_write(card=card, user=user)
    _log(
        card,
        user,
        CardChange.Action.VERIFIED,
        field="score",
        old=card.self_score,
        new=f"{score} ({card.get_level_display()})",
    ).save()
    return card


@transaction.atomic
def card_evaluate(*, card_id: int, user: User, version: int) -> ExpertCard:
    """The third stage: the department confirms the evaluation; the card is final."""
    card = _card_for_staff_action(card_id, user, "evaluate")
    _locked_update(card, version=version, status=S.EVALUATED, evaluated_at=timezone.now())
    _log(
        card, user, CardChange.Action.EVALUATED, field="status", old=S.VERIFIED.label, new=S.EVALUATED.label
    ).save()
    return card

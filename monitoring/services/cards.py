"""Writes on expert cards: the principal's drafts and submission, the verifier's decisions.

Every write is a conditional UPDATE on `ExpertCard.version` (optimistic lock that also works on
SQLite): the writer passes the version it saw; if somebody saved in between, nothing is written and
`CardConflict` is raised. Every change is kept in `CardChange` (who, when, old → new).
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from schools import formatting
from schools.errors import ApplicationError, Conflict, NotAllowed
from schools.roles import is_staff_member

from ..models import CardAnswer, CardChange, Criterion, ExpertCard
from ..rules import (
    claim_of,
    claimed_points,
    evidence_links,
    invalid_link,
    kind_of,
    option_points,
    score_points,
    snapshot_criteria,
)
from ..selectors import (
    CLOSED_STATUS,
    NOT_YOUR_CARD,
    NOT_YOUR_MUNICIPALITY_CARD,
    card_edit_refusal,
    card_verifier_refusal,
)
from .campaigns import card_answers_rebuild
from .computed import cards_refresh_computed

CARD_CONFLICT = (
    "Карту уже изменил другой пользователь, пока вы её редактировали. Ваши изменения не сохранены, "
    "чужие не перезаписаны: обновите страницу, сверьте данные и внесите изменения снова."
)
STAFF_ONLY = "Это действие доступно сотрудникам управления образования."
UNKNOWN_CRITERION = "Критерия «{code}» нет в карте."
EVIDENCE_INVALID = "«{link}» — не ссылка http(s)://…; укажите адрес документа, каждую ссылку с новой строки."
EVIDENCE_REQUIRED = "Для заявленного балла нужна ссылка на подтверждающий документ."
NUMERATOR_TOO_BIG = "Числитель ({numerator}) больше знаменателя ({denominator})."
NOT_A_NUMBER = "«{value}» — не целое неотрицательное число."
NOT_A_DECIMAL = "«{value}» — не число."
SHARE_INCOMPLETE = "Укажите и числитель, и знаменатель."
PART_TOO_LARGE = "{value} — больше общей численности ({total})."
CHOICE_UNKNOWN = "Варианта «{value}» нет в этом критерии: выберите один из предложенных."
VERDICT_UNCLAIMED = "Балл по критерию не заявлен: подтверждать или отклонять нечего."
VERDICT_UNKNOWN = "Решение «{verdict}» неизвестно: confirmed, rejected или pending."
REJECT_NEEDS_COMMENT = "Отклоняя балл, напишите комментарий: руководитель должен понять причину."
COMPUTED_NO_DATA = "Нет данных о результатах за один из двух лет: по правилу мониторинга балл не начисляется."
VERDICTS_MISSING = "Не проверены заявленные баллы по критериям: {codes}."
RETURN_NEEDS_MESSAGE = "Напишите, что нужно доработать."
DRAFT_REFUSED = "Черновик не сохранён: исправьте отмеченные поля."
DRAFT_PARTLY_SAVED = (
    "Сохранено всё, кроме отмеченных полей: исправьте их — пока они есть только на этой странице."
)
REOPEN_DATE_PAST = "Дата «открыта до» должна быть не раньше сегодняшней."


class CardError(ApplicationError):
    """A refused card action; `errors` maps criterion code → field → message for form display."""

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.errors = errors or {}


class CardConflict(CardError, Conflict):
    """Somebody saved the card in between (409)."""


class CardNotAllowed(CardError, NotAllowed):
    """The action belongs to another role or school (403)."""


# --- who may do what: `selectors.card_edit_refusal` and `rules.STAFF_ACTION_STATUSES` -------------


def _require_staff(user: User) -> None:
    if not is_staff_member(user):
        raise CardNotAllowed(STAFF_ONLY)


def _require_verifier(user: User, card: ExpertCard) -> None:
    refusal = card_verifier_refusal(card=card, user=user)
    if refusal:
        raise CardNotAllowed(refusal)


def _require_status(card: ExpertCard, *allowed) -> None:
    if card.status not in allowed:
        raise CardError(CLOSED_STATUS.format(status=card.get_status_display()))


# --- low-level writing --------------------------------------------------------------------------


def _locked_update(card: ExpertCard, *, version: int, **fields) -> None:
    """UPDATE the card only if nobody changed it since `version`; raise CardConflict otherwise."""
    now = timezone.now()
    updated = ExpertCard.objects.filter(pk=card.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **fields
    )
    if not updated:
        raise CardConflict(CARD_CONFLICT)
    for name, value in fields.items():
        setattr(card, name, value)
    card.version = version + 1
    card.updated_at = now


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, Decimal):  # a number answer as people write it: «14», «12,5» (not «14.00»)
        return formatting.number(value)
    return str(value)


def _log(card, user: User, action, *, code: str = "", field="", old="", new="") -> CardChange:
    return CardChange(
        card=card,
        user=user if getattr(user, "pk", None) else None,
        action=action,
        criterion_code=code,
        field=field,
        old_value=_text(old),
        new_value=_text(new),
    )


def _answers_by_code(card: ExpertCard) -> dict[str, CardAnswer]:
    return {a.criterion_code: a for a in card.answers.all()}


def _load(card_id: int) -> ExpertCard:
    return ExpertCard.objects.select_related("campaign", "school", "municipality").get(pk=card_id)


# --- the principal ------------------------------------------------------------------------------


def _parse_count(raw, errors: dict, field: str):
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = -1
    if value < 0:
        errors[field] = NOT_A_NUMBER.format(value=raw)
        return None
    return value


def _parse_decimal(raw, errors: dict, field: str):
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw).replace(",", ".").strip()).quantize(Decimal("0.01"))
    except InvalidOperation:
        errors[field] = NOT_A_DECIMAL.format(value=raw)
        return None


def _clean_answer(criterion: dict, raw: dict, answer: CardAnswer) -> tuple[dict, dict]:
    """New values for one answer from the submitted `raw` dict, and field errors.

    A field with an error keeps the answer's saved value, so the other fields can be saved alone."""
    errors: dict = {}
    values: dict[str, Any] = {
        "evidence": "\n".join(evidence_links(str(raw.get("evidence", answer.evidence) or ""))),
        "comment": str(raw.get("comment", answer.comment) or "").strip(),
        "numerator": answer.numerator,
        "denominator": answer.denominator,
        "value": answer.value,
    }
    link = invalid_link(values["evidence"])
    if link:
        errors["evidence"] = EVIDENCE_INVALID.format(link=link)
        values["evidence"] = answer.evidence
    kind = kind_of(criterion)
    if kind == Criterion.Kind.SHARE:
        share_errors: dict = {}
        numerator = _parse_count(raw.get("numerator", answer.numerator), share_errors, "numerator")
        denominator = _parse_count(raw.get("denominator", answer.denominator), share_errors, "denominator")
        if not share_errors and numerator is not None and denominator is not None and numerator > denominator:
            share_errors["numerator"] = NUMERATOR_TOO_BIG.format(numerator=numerator, denominator=denominator)
        if not share_errors:  # the two parts of a share are saved together or not at all
            values["numerator"], values["denominator"] = numerator, denominator
        errors.update(share_errors)
        values["claimed"] = claim_of(
            criterion, numerator=values["numerator"], denominator=values["denominator"]
        )
    elif kind == Criterion.Kind.NUMBER:
        value_errors: dict = {}
        value = _parse_decimal(raw.get("value", answer.value), value_errors, "value")
        if criterion.get("context_field") and value is not None and (value < 0 or value != int(value)):
            value_errors["value"] = NOT_A_NUMBER.format(value=raw.get("value"))
        if not value_errors:
            values["value"] = value
        errors.update(value_errors)
        values["claimed"] = claim_of(criterion, value=values["value"])
    elif kind == Criterion.Kind.CHOICE:
        choice = str(raw.get("choice", answer.choice) or "").strip()
        if choice and option_points(criterion, choice) is None:
            errors["choice"] = CHOICE_UNKNOWN.format(value=choice)
            choice = answer.choice
        values["choice"] = choice
        values["claimed"] = claim_of(criterion, choice=choice)
    elif kind == Criterion.Kind.LINK:
        values["claimed"] = claim_of(criterion, evidence=values["evidence"])
    elif kind == Criterion.Kind.TEXT:
        values["text"] = str(raw.get("text", answer.text) or "").strip()
        values["claimed"] = False
    else:  # flag and computed: the filler ticks the claim (a flag without points is a plain yes/no)
        claimed = raw.get("claimed", answer.claimed)
        ticked = claimed is True or str(claimed).lower() in ("true", "1", "on", "да")
        values["claimed"] = ticked and (bool(criterion["points"]) or kind == Criterion.Kind.FLAG)
    return values, errors


def _snapshot_outdated(card: ExpertCard) -> bool:
    """A card nobody has touched yet follows the current template version (no history to keep).

    The status is checked first: a card in work never reads its template (no query on a draft save)."""
    return (
        card.status == ExpertCard.Status.NOT_STARTED
        and card.campaign.template.version != card.template_version
    )


def _rebuild_answers(card: ExpertCard) -> None:
    card_answers_rebuild(card=card)
    getattr(card, "_prefetched_objects_cache", {}).pop("answers", None)  # the prefetched answers are gone


def _sync_snapshot(card: ExpertCard) -> None:
    if _snapshot_outdated(card):
        _rebuild_answers(card)


def _draft_changes(
    card: ExpertCard, user: User, answers: list[dict], *, partial: bool = False
) -> tuple[list[tuple[CardAnswer, dict]], list[CardChange], dict]:
    """Validate the submitted answers against the card's snapshot: the changed answers, each with its
    new values, the history entries and the field errors. Writes nothing.

    Without `partial` any field error raises CardError; with it, the valid fields are kept as changes
    and the invalid ones are only reported."""
    criteria = {c["code"]: c for c in snapshot_criteria(card.template_snapshot)}
    existing = _answers_by_code(card)
    errors, changed, changes = {}, [], []
    for raw in answers:
        code = str(raw.get("criterion", ""))
        if code not in criteria:
            errors[code] = {"criterion": UNKNOWN_CRITERION.format(code=code)}
            continue
        answer = existing[code]
        values, field_errors = _clean_answer(criteria[code], raw, answer)
        if field_errors:
            errors[code] = field_errors
            if not partial:
                continue
        diff = {name: new for name, new in values.items() if getattr(answer, name) != new}
        if not diff:
            continue
        if answer.verdict != CardAnswer.Verdict.PENDING:
            diff.update(verdict=CardAnswer.Verdict.PENDING, points=0)  # a changed claim must be checked again
        for name, new in diff.items():
            changes.append(
                _log(
                    card,
                    user,
                    CardChange.Action.SAVED,
                    code=code,
                    field=name,
                    old=getattr(answer, name),
                    new=new,
                )
            )
        changed.append((answer, diff))
    if errors and not partial:
        raise CardError(DRAFT_REFUSED, errors)
    return changed, changes, errors


def _answers_write(changed: list[tuple[CardAnswer, dict]]) -> None:
    """One UPDATE whatever the number of changed answers, setting only the fields that changed."""
    for answer, diff in changed:
        for name, new in diff.items():
            setattr(answer, name, new)
    if len(changed) == 1:
        answer, diff = changed[0]
        CardAnswer.objects.filter(pk=answer.pk).update(**diff)
    elif changed:
        fields = sorted({name for _, diff in changed for name in diff})
        CardAnswer.objects.bulk_update([answer for answer, _ in changed], fields)


def _require_editable_at(card: ExpertCard, *, user: User, version: int, today: date | None) -> None:
    """Refuse (in Russian) a principal's change of a card they may not edit now, or of a stale version."""
    refusal = card_edit_refusal(card=card, user=user, today=today)
    if refusal:
        raise (CardNotAllowed if refusal in (NOT_YOUR_CARD, NOT_YOUR_MUNICIPALITY_CARD) else CardError)(
            refusal
        )
    if card.version != version:
        raise CardConflict(CARD_CONFLICT)


def card_save(
    *,
    card_id: int,
    user: User,
    version: int,
    answers: list[dict],
    today: date | None = None,
    card: ExpertCard | None = None,
) -> ExpertCard:
    """Save the principal's draft: claims, shares, evidence links, comments (any subset of criteria).

    All or nothing: any invalid field raises CardError and nothing is written (the API's contract).
    `card` may be the card the caller has just read (with `campaign` and `school`; its answers
    prefetched saves a query): the conditional UPDATE on `version` refuses the save if anybody changed
    the card after that read, so it is as good as a read inside the transaction. Writes, in one
    transaction: the card's version (the lock, first), the changed answers, their history entries.
    """
    return _save(card_id=card_id, user=user, version=version, answers=answers, today=today, card=card)[0]


def card_save_valid_fields(
    *,
    card_id: int,
    user,
    version: int,
    answers: list[dict],
    today: date | None = None,
    card: ExpertCard | None = None,
) -> tuple[ExpertCard, dict]:
    """The card page's save: every valid field is saved, the invalid ones are returned as errors
    (criterion code → field → message) and keep their saved values. A stale version still raises
    CardConflict and writes nothing."""
    return _save(
        card_id=card_id, user=user, version=version, answers=answers, today=today, card=card, partial=True
    )


def _save(*, card_id, user, version, answers, today, card, partial=False) -> tuple[ExpertCard, dict]:
    if card is None or card.pk != card_id:
        card = _load(card_id)
    _require_editable_at(card, user=user, version=version, today=today)
    status = ExpertCard.Status.DRAFT if card.status == ExpertCard.Status.NOT_STARTED else card.status
    if _snapshot_outdated(card):
        # The first save of a card whose template has changed since: lock, then rebuild and validate.
        with transaction.atomic():
            _locked_update(card, version=version, status=status)
            _rebuild_answers(card)
            changed, changes, errors = _draft_changes(card, user, answers, partial=partial)
            _answers_write(changed)
            CardChange.objects.bulk_create(changes)
        return card, errors
    changed, changes, errors = _draft_changes(card, user, answers, partial=partial)
    if not changed and errors:
        return card, errors  # nothing valid to write: the version stays, no transaction
    with transaction.atomic():
        _locked_update(card, version=version, status=status)
        _answers_write(changed)
        CardChange.objects.bulk_create(changes)
    return card, errors


def _submission_errors(card: ExpertCard, answers: dict[str, CardAnswer]) -> dict:
    """What keeps a card from being sent: criterion code → field → message (the rule of submission)."""
    errors: dict = {}
    for criterion in snapshot_criteria(card.template_snapshot):
        answer = answers[criterion["code"]]
        if criterion["kind"] == Criterion.Kind.SHARE and (answer.numerator is None) != (
            answer.denominator is None
        ):
            errors[criterion["code"]] = {"numerator": SHARE_INCOMPLETE}
        if answer.claimed and criterion["points"] and criterion["evidence_required"] and not answer.evidence:
            errors.setdefault(criterion["code"], {})["evidence"] = EVIDENCE_REQUIRED
    errors.update(_context_part_errors(card, answers))
    return errors


def _context_part_errors(card: ExpertCard, answers: dict[str, CardAnswer]) -> dict:
    """For a card that fills the school context: a part (e.g. «на учёте ОДН/КДН») larger than its whole
    («обучающихся») is refused, as the context importer refuses it."""
    from schools.services import STUDENT_PARTS, TEACHER_PARTS

    by_field = {
        c["context_field"]: (c["code"], answers[c["code"]].value)
        for c in snapshot_criteria(card.template_snapshot)
        if c.get("context_field")
    }
    errors: dict = {}
    for whole, parts in (("students", STUDENT_PARTS), ("teachers", TEACHER_PARTS)):
        total = by_field.get(whole, (None, None))[1]
        for part in parts:
            code, value = by_field.get(part, (None, None))
            if total is not None and value is not None and value > total:
                errors[code] = {"value": PART_TOO_LARGE.format(value=int(value), total=int(total))}
    return errors


def card_check(card: ExpertCard) -> dict:
    """«Проверить ответы»: what the principal claims, with how many evidence links, and what is
    missing before the card can be sent (the same rule `card_submit` applies). Reads only."""
    answers = _answers_by_code(card)
    criteria = snapshot_criteria(card.template_snapshot)
    claimed = [c for c in criteria if answers[c["code"]].claimed]
    missing = _submission_errors(card, answers)

    def _points(criterion: dict) -> int:
        answer = answers[criterion["code"]]
        return claimed_points(criterion, claimed=answer.claimed, choice=answer.choice)

    return {
        "claimed": [
            {"code": c["code"], "points": _points(c), "links": len(answers[c["code"]].evidence_list)}
            for c in claimed
        ],
        "claimed_points": sum(_points(c) for c in claimed),
        "max_points": card.max_score,
        "missing": [
            {"code": code, "message": message}
            for code, fields in missing.items()
            for message in fields.values()
        ],
    }


@transaction.atomic
def card_submit(
    *, card_id: int, user: User, version: int, answers: list[dict] | None = None, today: date | None = None
) -> ExpertCard:
    """Send the card for verification (saving `answers` first, if given): claimed points need evidence."""
    if answers:
        version = card_save(card_id=card_id, user=user, version=version, answers=answers, today=today).version
    card = _load(card_id)
    _require_editable_at(card, user=user, version=version, today=today)
    _sync_snapshot(card)
    by_code = _answers_by_code(card)
    errors = _submission_errors(card, by_code)
    if errors:
        raise CardError(
            "Карта не отправлена: по заявленным баллам нужны ссылки на подтверждающие документы.", errors
        )
    self_score = score_points(
        card.template_snapshot,
        {
            c["code"]: claimed_points(c, claimed=by_code[c["code"]].claimed, choice=by_code[c["code"]].choice)
            for c in snapshot_criteria(card.template_snapshot)
        },
    )
    old_status = card.get_status_display()
    _locked_update(
        card,
        version=version,
        status=ExpertCard.Status.SUBMITTED,
        self_score=self_score,
        submitted_at=timezone.now(),
    )
    cards_refresh_computed(cards=[card])
    _log(
        card,
        user,
        CardChange.Action.SUBMITTED,
        field="status",
        old=old_status,
        new=f"{card.get_status_display()}; самооценка {self_score}",
    ).save()
    return card

"""Writes of the roadmaps app: targeted recommendations, the schools' answers, management decisions.

Every status change goes through these functions; error messages are module constants.
"""

from collections.abc import Callable, Iterable
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from schools.models import School
from schools.roles import is_staff_member
from schools.versioning import version_claim

from ..models import Direction, ManagementDecision, Recommendation
from ..rules import is_answerable
from .core import _evidence_field, _require_own_school, _save_with_links, _staff_save_claim

RECOMMENDATION_ONE_ADDRESSEE = (
    "Укажите адресата: либо школу, либо группу (педагоги, руководители, родители, обучающиеся)."
)
RECOMMENDATION_NOT_ANSWERABLE = "Ответить можно только на направленную школе рекомендацию."
RECOMMENDATION_ANSWER_EMPTY = "Напишите ответ школы."
RECOMMENDATION_EMPTY_TEXT = "Напишите текст рекомендации."
RECOMMENDATION_EMPTY_AREA = "Укажите проблемную область."
RECOMMENDATION_BAD_SOURCE = "Неизвестный вид источника: «{value}»."
RECOMMENDATION_BAD_STATUS = "Неизвестный статус рекомендации: «{value}»."
RECOMMENDATION_CLOSED = (
    "Рекомендация в состоянии «{status}»: ответ школы уже не изменяется. Если нужно дополнить ответ, "
    "обратитесь в управление образования."
)


def recommendation_create(
    *,
    school: School | None = None,
    text: str,
    problem_area: str,
    source_kind: str,
    source_ref: str = "",
    due_date: date | None = None,
    author: User | None = None,
    status: str = Recommendation.Status.DRAFT,
    target_group: str = "",
    direction: Direction | None = None,
    year: int | None = None,
) -> Recommendation:
    """Create a targeted recommendation and return it.

    Signature: recommendation_create(*, school=None, text, problem_area, source_kind, source_ref="",
    due_date=None, author=None, status="draft", target_group="", direction=None, year=None)
    -> Recommendation.

    Address it either to `school` (a schools.School) or to `target_group` (one of
    Recommendation.TargetGroup: "teachers", "principals", "parents", "students"), never both.
    `source_kind` is one of Recommendation.SourceKind ("campaign", "indicator", "list", "other");
    `source_ref` says which finding, e.g. "campaign:3/card:17/criterion:1.5", "indicator:vpr_fail_share:2025"
    or "list:low_results:2025". Status "draft" is seen only by staff; "sent" makes it visible to the
    school. Raises django ValidationError with Russian messages on bad input.
    """
    recommendation = Recommendation(
        school=school,
        target_group=target_group or "",
        text=(text or "").strip(),
        problem_area=(problem_area or "").strip(),
        source_kind=source_kind,
        source_ref=(source_ref or "")[:255],
        due_date=due_date,
        author=author if getattr(author, "pk", None) else None,
        status=status,
        direction=direction,
        year=year,
    )
    recommendation_validate(recommendation)
    with transaction.atomic():
        recommendation.save()
    return recommendation


def recommendation_draft_once(
    *,
    school: School,
    source_ref: str,
    texts: Callable[[], tuple[str, str]],
    source_kind: str,
    direction_code: str,
    year: int,
    user: User | None,
) -> tuple[Recommendation, bool]:
    """A draft recommendation to `school` about one finding (`source_ref`), or the one drafted before it;
    `texts()` gives the new one's (problem area, text). Returns (recommendation, created)."""
    existing = Recommendation.objects.filter(school=school, source_ref=source_ref).first()
    if existing:
        return existing, False
    problem, text = texts()
    recommendation = recommendation_create(
        school=school,
        text=text,
        problem_area=problem,
        source_kind=source_kind,
        source_ref=source_ref,
        author=user,
        direction=Direction.objects.filter(code=direction_code).first(),
        year=year,
    )
    return recommendation, True


def recommendation_validate(recommendation: Recommendation) -> None:
    errors = {}
    if bool(recommendation.school_id or recommendation.school) == bool(recommendation.target_group):
        errors["school"] = RECOMMENDATION_ONE_ADDRESSEE
    if recommendation.target_group and recommendation.target_group not in Recommendation.TargetGroup.values:
        errors["target_group"] = RECOMMENDATION_ONE_ADDRESSEE
    if not (recommendation.text or "").strip():
        errors["text"] = RECOMMENDATION_EMPTY_TEXT
    if not (recommendation.problem_area or "").strip():
        errors["problem_area"] = RECOMMENDATION_EMPTY_AREA
    if recommendation.source_kind not in Recommendation.SourceKind.values:
        errors["source_kind"] = RECOMMENDATION_BAD_SOURCE.format(value=recommendation.source_kind)
    if recommendation.status not in Recommendation.Status.values:
        errors["status"] = RECOMMENDATION_BAD_STATUS.format(value=recommendation.status)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def recommendation_save(
    *, recommendation: Recommendation, user: User, version: int | None = None
) -> Recommendation:
    """Create or update a recommendation from the staff form or API; its school's principals get an
    e-mail when it is sent to them (status «Направлена» for the first time). A stale `version` raises
    StaleRecord."""
    _staff_save_claim(recommendation, user=user, version=version)
    recommendation_validate(recommendation)
    if not recommendation.pk and recommendation.author_id is None:
        recommendation.author = user
    was_sent = (
        recommendation.pk is not None
        and Recommendation.objects.filter(pk=recommendation.pk, status=Recommendation.Status.SENT).exists()
    )
    recommendation.save()
    if recommendation.status == Recommendation.Status.SENT and recommendation.school_id and not was_sent:
        transaction.on_commit(lambda: recommendation_sent_notify(recommendation=recommendation))
    return recommendation


def recommendation_sent_notify(*, recommendation: Recommendation) -> int:
    """E-mail the principals of the school a new recommendation with an absolute link to answer it."""
    from django.conf import settings
    from django.core.mail import send_mail

    from .digest import _principal_emails

    emails = sorted(_principal_emails({recommendation.school_id}).get(recommendation.school_id, ()))
    if not emails:
        return 0
    due = f" до {recommendation.due_date:%d.%m.%Y}" if recommendation.due_date else ""
    body = (
        f"Школе направлена адресная рекомендация: {recommendation.problem_area}.\n\n{recommendation.text}\n\n"
        f"Ответьте на неё{due}: {settings.SITE_URL}{recommendation.get_absolute_url()}\n"
    )
    return send_mail("Новая адресная рекомендация", body, settings.DEFAULT_FROM_EMAIL, emails)


def recommendation_answer_refusal(*, recommendation: Recommendation, user: User) -> str | None:
    """Why this user may not answer the recommendation now, or None when they may (pages read it too)."""
    if not is_answerable(recommendation):
        return RECOMMENDATION_NOT_ANSWERABLE
    if recommendation.status == Recommendation.Status.CLOSED and not is_staff_member(user):
        return RECOMMENDATION_CLOSED.format(status=recommendation.get_status_display())
    return None


@transaction.atomic
def recommendation_answer(
    *,
    recommendation: Recommendation,
    user: User,
    answer: str,
    evidence: str | Iterable[str] = (),
    version: int | None = None,
) -> Recommendation:
    """The school's answer (its principal, or staff on its behalf). Sets the status «Получен ответ».
    A closed recommendation («Исполнена») keeps its answer: only staff may still amend it.
    A stale `version` raises StaleRecord."""
    _require_own_school(user, recommendation.school_id)
    version_claim(recommendation, version=version)
    refusal = recommendation_answer_refusal(recommendation=recommendation, user=user)
    if refusal:
        raise ValidationError(refusal)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": RECOMMENDATION_ANSWER_EMPTY})
    recommendation.answer = answer
    recommendation.answer_evidence = _evidence_field(evidence, "answer_evidence")
    recommendation.answered_at = timezone.now()
    recommendation.answered_by = user
    if recommendation.status == Recommendation.Status.SENT:
        recommendation.status = Recommendation.Status.ANSWERED
    recommendation.save()
    return recommendation


@transaction.atomic
def decision_save(
    *,
    decision: ManagementDecision,
    user: User,
    schools: Iterable[School] | None = None,
    recommendations: Iterable[Recommendation] | None = None,
    version: int | None = None,
) -> ManagementDecision:
    """Create or update a management decision and its links (staff); a stale `version` raises
    StaleRecord."""
    _staff_save_claim(decision, user=user, version=version)
    if not decision.pk and decision.created_by_id is None:
        decision.created_by = user
    decision.full_clean(exclude=["schools", "recommendations", "version"])
    return _save_with_links(decision, schools=schools, recommendations=recommendations)

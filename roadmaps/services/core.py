"""Writes of the roadmaps app: roadmaps and their items, principals' progress, recommendations, decisions.

Every status change goes through these functions; error messages are module constants.
"""

from collections.abc import Callable, Iterable
from datetime import date
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from schools.errors import ValidationFailed
from schools.models import Municipality, School
from schools.roles import is_staff_member, principal_school_id
from schools.selectors import municipality_list_visible_to, scope_municipality_ids
from schools.versioning import version_claim

from ..models import Direction, ItemStatus, ManagementDecision, Recommendation, Roadmap, RoadmapItem
from ..rules import PRINCIPAL_ITEM_FIELDS, VERSION, is_answerable

EVIDENCE_NOT_HTTP = "Ссылка «{value}» не принята: допускаются только адреса http:// или https://."
EVIDENCE_TOO_MANY = "Не больше {limit} ссылок."
PRINCIPAL_NOT_OWN_SCHOOL = "Руководитель ОО может изменять только программу помощи своей школы."
PRINCIPAL_ONLY_PROGRESS = (
    "Руководитель ОО может изменять только статус, ссылки на подтверждения и дату выполнения."
)
STAFF_ONLY = "Изменять это могут только сотрудники управления образования."
COMPLETED_IN_FUTURE = "Дата выполнения не может быть позже сегодняшнего дня."
COMPLETED_WITHOUT_DONE = "Дата выполнения указывается только для выполненного мероприятия."
SCHOOL_PROGRAMME_NEEDS_SCHOOL = "Для программы помощи ОО укажите школу."
MUNICIPAL_HAS_NO_SCHOOL = "У муниципальной дорожной карты не указывается школа."
PERIOD_REVERSED = "Окончание периода раньше его начала."
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
ITEM_CLOSED_FOR_PRINCIPAL = (
    "Мероприятие № {number} уже в состоянии «{status}»: руководитель ОО не может изменить его статус. "
    "Если отметка ошибочна, обратитесь в управление образования."
)
ITEM_ALREADY_ARCHIVED = "Мероприятие № {number} уже в архиве."
ITEM_NOT_ARCHIVED = "Мероприятие № {number} не в архиве."

MAX_EVIDENCE_LINKS = 20


def evidence_clean(links: str | Iterable[str] | None) -> list[str]:
    """Strip, drop blanks and duplicates; every link must be http(s) with a host. Raises ValidationError."""
    if isinstance(links, str):
        links = links.splitlines()
    cleaned: list[str] = []
    errors = []
    for raw in links or []:
        link = str(raw).strip()
        if not link or link in cleaned:
            continue
        parts = urlsplit(link)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in link:
            errors.append(EVIDENCE_NOT_HTTP.format(value=link[:200]))
            continue
        cleaned.append(link)
    if len(cleaned) > MAX_EVIDENCE_LINKS:
        errors.append(EVIDENCE_TOO_MANY.format(limit=MAX_EVIDENCE_LINKS))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _evidence_field(links: str | Iterable[str] | None, field: str) -> list[str]:
    try:
        return evidence_clean(links)
    except ValidationError as error:
        raise ValidationError({field: error.messages})


def completion_clean(*, status: str, completed_on: date | None, today: date | None = None) -> date | None:
    """The completion date that goes with a status: today for a freshly done item, none otherwise."""
    today = today or timezone.localdate()
    if status != ItemStatus.DONE:
        if completed_on:
            raise ValidationError({"completed_on": COMPLETED_WITHOUT_DONE})
        return None
    if completed_on and completed_on > today:
        raise ValidationError({"completed_on": COMPLETED_IN_FUTURE})
    return completed_on or today


MUNICIPALITY_OUT_OF_SCOPE = "Укажите муниципалитет дорожной карты из тех, что вам доступны."


def roadmap_validate(roadmap: Roadmap) -> None:
    errors = {}
    if roadmap.kind == Roadmap.Kind.SCHOOL and not roadmap.school_id:
        errors["school"] = SCHOOL_PROGRAMME_NEEDS_SCHOOL
    if roadmap.kind == Roadmap.Kind.MUNICIPAL and roadmap.school_id:
        errors["school"] = MUNICIPAL_HAS_NO_SCHOOL
    if roadmap.period_start and roadmap.period_end and roadmap.period_end < roadmap.period_start:
        errors["period_end"] = PERIOD_REVERSED
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def roadmap_save(
    *,
    roadmap: Roadmap,
    directions: Iterable[Direction] | None = None,
    user: User | None = None,
    version: int | None = None,
) -> Roadmap:
    """Create or update a roadmap (staff). `directions` replaces its directions when given.

    `version` is the one the writer read; a stale one raises StaleRecord (schools.versioning)."""
    _staff_save_claim(roadmap, user=user, version=version)
    roadmap_validate(roadmap)
    _place_in_municipality(roadmap, user)
    roadmap.save()
    if directions is not None:
        roadmap.directions.set(directions)
    return roadmap


@transaction.atomic
def roadmap_item_save(
    *,
    item: RoadmapItem,
    responsible_users: Iterable[User] | None = None,
    user: User | None = None,
    version: int | None = None,
) -> RoadmapItem:
    """Create or update any field of an item (staff); a stale `version` raises StaleRecord."""
    _staff_save_claim(item, user=user, version=version)
    item.evidence = _evidence_field(item.evidence, "evidence")
    item.completed_on = completion_clean(status=item.status, completed_on=item.completed_on)
    if not item.pk and not item.position:
        last = item.roadmap.items.order_by("-position").values_list("position", flat=True).first()
        item.position = (last or 0) + 1
    item.save()
    if responsible_users is not None:
        item.responsible_users.set(responsible_users)
    return item


@transaction.atomic
def roadmap_item_progress_update(
    *,
    item: RoadmapItem,
    user: User,
    status: str,
    evidence: str | Iterable[str] | None,
    completed_on: date | None = None,
    version: int | None = None,
) -> RoadmapItem:
    """Report progress on an item: the only change a principal may make, and only to their school's
    programme. A principal cannot move a done or cancelled item to another status (staff reopen it),
    though they may add evidence to a done one. Staff may use it too. A stale `version` raises
    StaleRecord."""
    if not is_staff_member(user):
        school_id = principal_school_id(user)
        if school_id is None or item.roadmap.school_id != school_id:
            raise PermissionDenied(PRINCIPAL_NOT_OWN_SCHOOL)
    version_claim(item, version=version)
    if not is_staff_member(user) and item.is_closed and status != item.status:
        raise ValidationError(
            ITEM_CLOSED_FOR_PRINCIPAL.format(number=item.number, status=item.get_status_display())
        )
    if status not in ItemStatus.values:
        raise ValidationError({"status": f"Неизвестный статус: «{status}»."})
    item.evidence = _evidence_field(evidence, "evidence")
    if status == ItemStatus.DONE and item.status == ItemStatus.DONE and completed_on is None:
        completed_on = item.completed_on
    item.completed_on = completion_clean(status=status, completed_on=completed_on)
    item.status = status
    item.save(update_fields=[*sorted(PRINCIPAL_ITEM_FIELDS), "updated_at", VERSION])
    return item


@transaction.atomic
def roadmap_item_archive(*, item: RoadmapItem, user: User) -> RoadmapItem:
    """Hide an item from its roadmap, dashboards and reports (staff); its history stays, and
    `roadmap_item_restore` brings it back. Items are never deleted by staff."""
    _require_staff(user)
    if item.is_archived:
        raise ValidationFailed(ITEM_ALREADY_ARCHIVED.format(number=item.number))
    item.is_archived, item.archived_at, item.archived_by = True, timezone.now(), user
    version_claim(item, version=None)
    item.save(update_fields=["is_archived", "archived_at", "archived_by", "updated_at", "version"])
    return item


@transaction.atomic
def roadmap_item_restore(*, item: RoadmapItem, user: User) -> RoadmapItem:
    _require_staff(user)
    if not item.is_archived:
        raise ValidationFailed(ITEM_NOT_ARCHIVED.format(number=item.number))
    item.is_archived, item.archived_at, item.archived_by = False, None, None
    version_claim(item, version=None)
    item.save(update_fields=["is_archived", "archived_at", "archived_by", "updated_at", "version"])
    return item


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
    if not is_staff_member(user):
        school_id = principal_school_id(user)
        if school_id is None or recommendation.school_id != school_id:
            raise PermissionDenied(PRINCIPAL_NOT_OWN_SCHOOL)
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
    decision.save()
    if schools is not None:
        decision.schools.set(schools)
    if recommendations is not None:
        decision.recommendations.set(recommendations)
    return decision


def _place_in_municipality(roadmap: Roadmap, user: User | None) -> None:
    """A programme belongs to its school's municipality; a municipal roadmap to the one chosen, or to the
    only municipality its author (or the installation) has. An author bound to municipalities cannot
    place it outside them (DESIGN §6)."""
    if roadmap.school_id:  # Roadmap.save places a programme in its school's municipality
        return
    scope = municipality_list_visible_to(user=user) if user is not None else Municipality.objects.all()
    if roadmap.municipality_id is None:
        only = list(scope.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            roadmap.municipality_id = only[0]
    bound = user is not None and scope_municipality_ids(user) is not None
    if bound and (roadmap.municipality_id is None or not scope.filter(pk=roadmap.municipality_id).exists()):
        raise ValidationError({"municipality": MUNICIPALITY_OUT_OF_SCOPE})


def _staff_save_claim(record, *, user: User | None, version: int | None) -> None:
    """Before a staff save: the user is staff, and an existing `record` is still at `version` (checked
    first: a stale save is a conflict, whatever else is wrong with it; schools.versioning)."""
    _require_staff(user)
    if record.pk:
        version_claim(record, version=version)


def _require_staff(user: User) -> None:
    # user=None is the system itself (demo, import commands).
    if user is not None and not is_staff_member(user):
        raise PermissionDenied(STAFF_ONLY)

"""Writes of the roadmaps app: roadmaps and their items, principals' progress on them (recommendations
and decisions are in recommendations.py).

Every status change goes through these functions; error messages are module constants.
"""

from collections.abc import Iterable
from datetime import date
from typing import TypeVar
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from schools.errors import ValidationFailed
from schools.models import Municipality
from schools.roles import is_staff_member, principal_school_id
from schools.selectors import municipality_list_visible_to, scope_municipality_ids
from schools.versioning import version_claim

from ..models import Direction, ItemStatus, Roadmap, RoadmapItem
from ..rules import PRINCIPAL_ITEM_FIELDS, VERSION

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
ITEM_CLOSED_FOR_PRINCIPAL = (
    "Мероприятие № {number} уже в состоянии «{status}»: руководитель ОО не может изменить его статус. "
    "Если отметка ошибочна, обратитесь в управление образования."
)
ITEM_ALREADY_ARCHIVED = "Мероприятие № {number} уже в архиве."
ITEM_NOT_ARCHIVED = "Мероприятие № {number} не в архиве."

MAX_EVIDENCE_LINKS = 20

_Record = TypeVar("_Record", bound=models.Model)


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
    return _save_with_links(roadmap, directions=directions)


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
    return _save_with_links(item, responsible_users=responsible_users)


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
    _require_own_school(user, item.roadmap.school_id)
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


def _require_own_school(user: User, school_id: int | None) -> None:
    """Staff act for any school; anyone else only as the principal of `school_id`."""
    if not is_staff_member(user):
        own = principal_school_id(user)
        if own is None or school_id != own:
            raise PermissionDenied(PRINCIPAL_NOT_OWN_SCHOOL)


def _save_with_links(record: _Record, **links: Iterable | None) -> _Record:
    """Save `record`, then replace each of its many-to-many `links` that is given (None keeps it)."""
    record.save()
    for name, related in links.items():
        if related is not None:
            getattr(record, name).set(related)
    return record


def _require_staff(user: User) -> None:
    # user=None is the system itself (demo, import commands).
    if user is not None and not is_staff_member(user):
        raise PermissionDenied(STAFF_ONLY)

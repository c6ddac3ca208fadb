"""Reads of the roadmaps app. Visibility composes schools.selectors.school_list_visible_to."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from schools.roles import is_staff_member
from schools.selectors import school_list_visible_to, scope_municipality_ids, visible_school_ids

from .effectiveness import effectiveness_report  # noqa: F401  (the reports app prints it)
from .models import (
    CLOSED_ITEM_STATUSES,
    CycleStage,
    Direction,
    ManagementDecision,
    Recommendation,
    Roadmap,
    RoadmapItem,
    StageDuty,
)
from .sources import indicator_names  # noqa: F401  (pages that show recommendations read it here)

if TYPE_CHECKING:
    from schools.models import School

DEFAULT_DUE_SOON_DAYS = 14


def due_soon_days() -> int:
    """How many days ahead an item counts as «скоро срок» (setting ROADMAP_DUE_SOON_DAYS)."""
    return int(getattr(settings, "ROADMAP_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))


# Directions and the management cycle --------------------------------------------------------------


def direction_list() -> QuerySet[Direction]:
    return Direction.objects.select_related("coordinator_user").order_by("order", "code")


def stage_list() -> QuerySet[CycleStage]:
    return CycleStage.objects.order_by("number")


def responsibility_matrix() -> list[dict]:
    """Rows of the matrix: each direction with its cells (one per stage, in stage order)."""
    stages = list(stage_list())
    duties = {(d.direction_id, d.stage_id): d for d in StageDuty.objects.all()}
    rows = []
    for direction in direction_list():
        cells = []
        for stage in stages:
            duty = duties.get((direction.pk, stage.pk))
            cells.append(
                {
                    "stage": stage,
                    "duty": duty,
                    "coordinator_duties": duty.coordinator_duties if duty else stage.coordinator_duties,
                    "executor_duties": duty.executor_duties if duty else stage.executor_duties,
                }
            )
        rows.append({"direction": direction, "cells": cells})
    return rows


# Roadmaps -------------------------------------------------------------------------------------------


def _roadmap_scope(ids: list[int], prefix: str = "") -> Q:
    """A roadmap is in a municipality's scope by its school, or, for a municipal one, by its municipality."""
    return Q(**{f"{prefix}school__municipality_id__in": ids}) | Q(
        **{f"{prefix}school__isnull": True, f"{prefix}municipality_id__in": ids}
    )


def roadmap_list_visible_to(*, user: User) -> QuerySet[Roadmap]:
    """Staff see the roadmaps of their municipalities (DESIGN §6); a principal only the support
    programmes of their school."""
    roadmaps = Roadmap.objects.select_related("school", "municipality").prefetch_related("directions")
    if is_staff_member(user):
        ids = scope_municipality_ids(user)
        return roadmaps if ids is None else roadmaps.filter(_roadmap_scope(ids))
    return roadmaps.filter(kind=Roadmap.Kind.SCHOOL, school__in=visible_school_ids(user=user))


def roadmap_list_with_progress(*, user: User, today: date) -> QuerySet[Roadmap]:
    open_items = ~Q(items__status__in=CLOSED_ITEM_STATUSES)
    return roadmap_list_visible_to(user=user).annotate(
        item_count=Count("items", distinct=True),
        done_count=Count("items", filter=Q(items__status="done"), distinct=True),
        overdue_count=Count("items", filter=open_items & Q(items__due_date__lt=today), distinct=True),
    )


def roadmap_get_visible(*, user: User, pk: int) -> Roadmap:
    try:
        return roadmap_list_visible_to(user=user).get(pk=pk)
    except Roadmap.DoesNotExist:
        raise Http404("Дорожная карта не найдена")


def roadmap_archived_items(*, roadmap: Roadmap):
    """The roadmap's archived items (staff see them to restore them), most recently archived first."""
    return (
        RoadmapItem.all_objects.filter(roadmap=roadmap, is_archived=True)
        .select_related("archived_by")
        .order_by("-archived_at", "-pk")
    )


def roadmap_items_by_stage(*, roadmap: Roadmap) -> list[dict]:
    """The roadmap's items grouped by cycle stage (every stage listed, empty ones too)."""
    items = list(
        roadmap.items.select_related("stage", "direction")
        .prefetch_related("responsible_users")
        .order_by("stage__number", "position", "pk")
    )
    return [{"stage": stage, "items": [i for i in items if i.stage_id == stage.pk]} for stage in stage_list()]


def item_list_visible_to(*, user: User) -> QuerySet[RoadmapItem]:
    items = RoadmapItem.objects.select_related("roadmap", "roadmap__school", "stage", "direction")
    if is_staff_member(user):
        ids = scope_municipality_ids(user)
        return items if ids is None else items.filter(_roadmap_scope(ids, "roadmap__"))
    return items.filter(roadmap__kind=Roadmap.Kind.SCHOOL, roadmap__school__in=visible_school_ids(user=user))


def item_get_visible(*, user: User, pk: int) -> RoadmapItem:
    try:
        return item_list_visible_to(user=user).get(pk=pk)
    except RoadmapItem.DoesNotExist:
        raise Http404("Мероприятие не найдено")


def deadline_state(item: RoadmapItem, today: date, days: int | None = None) -> str:
    """«overdue», «due_soon» or «» for one item."""
    if item.is_closed or item.due_date is None:
        return ""
    if item.due_date < today:
        return "overdue"
    if item.due_date <= today + timedelta(days=due_soon_days() if days is None else days):
        return "due_soon"
    return ""


def items_overdue(*, items: QuerySet[RoadmapItem], today: date) -> QuerySet[RoadmapItem]:
    return (
        items.exclude(status__in=CLOSED_ITEM_STATUSES).filter(due_date__lt=today).order_by("due_date", "pk")
    )


def items_due_soon(
    *, items: QuerySet[RoadmapItem], today: date, days: int | None = None
) -> QuerySet[RoadmapItem]:
    horizon = today + timedelta(days=due_soon_days() if days is None else days)
    return (
        items.exclude(status__in=CLOSED_ITEM_STATUSES)
        .filter(due_date__gte=today, due_date__lte=horizon)
        .order_by("due_date", "pk")
    )


def deadlines_for(*, user: User, today: date, school: "School | None" = None, limit: int = 50) -> dict:
    """Overdue and due-soon items visible to the user (optionally of one school's programmes), the first
    `limit` of each list."""
    items = item_list_visible_to(user=user)
    if school is not None:
        items = items.filter(roadmap__school=school)
    recommendations = recommendation_list_visible_to(user=user).filter(
        status=Recommendation.Status.SENT, due_date__isnull=False
    )
    if school is not None:
        recommendations = recommendations.filter(school=school)
    return {
        "overdue": list(items_overdue(items=items, today=today)[:limit]),
        "due_soon": list(items_due_soon(items=items, today=today)[:limit]),
        "overdue_total": items_overdue(items=items, today=today).count(),
        "recommendations_overdue": list(
            recommendations.filter(due_date__lt=today).order_by("due_date")[:limit]
        ),
        "days": due_soon_days(),
    }


# Recommendations ------------------------------------------------------------------------------------


def recommendation_list_visible_to(*, user: User) -> QuerySet[Recommendation]:
    """Staff see those addressed to the schools of their municipalities (and, when bound to
    municipalities, the group recommendations they wrote); a principal the non-draft ones addressed to
    their school."""
    recommendations = Recommendation.objects.select_related(
        "school__municipality", "author", "answered_by", "direction"
    )
    if is_staff_member(user):
        ids = scope_municipality_ids(user)
        if ids is None:
            return recommendations
        return recommendations.filter(
            Q(school__municipality_id__in=ids) | Q(school__isnull=True, author=user.pk)
        )
    return recommendations.filter(school__in=visible_school_ids(user=user)).exclude(
        status=Recommendation.Status.DRAFT
    )


def recommendation_get_visible(*, user: User, pk: int) -> Recommendation:
    try:
        return recommendation_list_visible_to(user=user).get(pk=pk)
    except Recommendation.DoesNotExist:
        raise Http404("Рекомендация не найдена")


def recommendation_counts(*, user: User) -> dict:
    counts = recommendation_list_visible_to(user=user).aggregate(
        sent=Count("pk", filter=Q(status=Recommendation.Status.SENT)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        draft=Count("pk", filter=Q(status=Recommendation.Status.DRAFT)),
    )
    return counts


# Decisions ------------------------------------------------------------------------------------------


def decision_list_visible_to(*, user: User) -> QuerySet[ManagementDecision]:
    """Staff see the decisions about the schools of their municipalities (and, when bound to
    municipalities, the school-less decisions they recorded); a principal those that concern their school
    (read-only)."""
    decisions = ManagementDecision.objects.select_related("direction").prefetch_related(
        # a decision about schools of several municipalities names to each reader only the schools they see
        Prefetch("schools", queryset=school_list_visible_to(user=user).order_by("code")),
        "recommendations",
    )
    if is_staff_member(user):
        ids = scope_municipality_ids(user)
        if ids is None:
            return decisions
        in_scope = ManagementDecision.objects.filter(
            Q(schools__municipality_id__in=ids) | Q(schools__isnull=True, created_by=user.pk)
        ).values("pk")
        return decisions.filter(pk__in=in_scope)
    return decisions.filter(schools__in=visible_school_ids(user=user)).distinct()


def decision_get_visible(*, user: User, pk: int) -> ManagementDecision:
    try:
        return decision_list_visible_to(user=user).get(pk=pk)
    except ManagementDecision.DoesNotExist:
        raise Http404("Управленческое решение не найдено")


def individual_routes_state(*, school: "School") -> dict | None:
    """For the staff action «Создать ИОМ…»: the latest diagnostics year of the school, how many of its
    teacher codes are at the low level and how many of those already have an ИОМ item; None when the
    school has no low-level teacher (three queries)."""
    from indicators.teacher_diagnostics import latest_low_level_year, low_level_teachers

    from .rules import route_source_ref

    year = latest_low_level_year(school=school)
    teachers = low_level_teachers(school=school, year=year) if year is not None else []
    if not teachers:
        return None
    refs = [route_source_ref(teacher) for teacher in teachers]
    made = RoadmapItem.all_objects.filter(roadmap__school=school, source_ref__in=refs).count()
    return {"year": year, "low": len(teachers), "made": made}

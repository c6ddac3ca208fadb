"""The weekly e-mail digest of overdue and due-soon roadmap items and unanswered recommendations.

Recipients: the item's responsible accounts (RoadmapItem.responsible_users), the principals of the
school whose programme it is, and the coordinator account of the item's direction; for a
recommendation sent to a school, that school's principals. One letter per address per week.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from schools.roles import PRINCIPAL

from ..models import CLOSED_ITEM_STATUSES, DigestDelivery, Recommendation, RoadmapItem
from ..selectors import due_soon_days

SUBJECT = "Сроки по дорожным картам и рекомендациям на неделю с {week:%d.%m.%Y}"


def digest_collect(*, today: date) -> dict[str, dict]:
    """{email: {"overdue": [...], "due_soon": [...], "recommendations": [...]}} for this week."""
    horizon = today + timedelta(days=due_soon_days())
    items = list(
        RoadmapItem.objects.exclude(status__in=CLOSED_ITEM_STATUSES)
        .filter(due_date__isnull=False, due_date__lte=horizon)
        .select_related("roadmap", "roadmap__school", "direction__coordinator_user")
        .prefetch_related("responsible_users")
        .order_by("due_date", "pk")
    )
    recommendations = list(
        Recommendation.objects.filter(
            status=Recommendation.Status.SENT,
            school__isnull=False,
            due_date__isnull=False,
            due_date__lte=horizon,
        )
        .select_related("school")
        .order_by("due_date", "pk")
    )
    principals = _principal_emails(
        {i.roadmap.school_id for i in items if i.roadmap.school_id} | {r.school_id for r in recommendations}
    )
    letters: dict[str, dict] = defaultdict(lambda: {"overdue": [], "due_soon": [], "recommendations": []})
    for item in items:
        emails = {u.email for u in item.responsible_users.all() if u.email and u.is_active}
        emails |= principals.get(item.roadmap.school_id, set())
        coordinator = item.direction.coordinator_user if item.direction else None
        if coordinator and coordinator.email and coordinator.is_active:
            emails.add(coordinator.email)
        bucket = "overdue" if item.due_date < today else "due_soon"
        for email in emails:
            letters[email.lower()][bucket].append(item)
    for recommendation in recommendations:
        for email in principals.get(recommendation.school_id, set()):
            letters[email.lower()]["recommendations"].append(recommendation)
    return dict(letters)


def _principal_emails(school_ids: set[int]) -> dict[int, set[str]]:
    users = (
        get_user_model()
        .objects.filter(profile__school_id__in=school_ids, groups__name=PRINCIPAL, is_active=True)
        .exclude(email="")
        .values_list("profile__school_id", "email")
    )
    result: dict[int, set[str]] = defaultdict(set)
    for school_id, email in users:
        result[school_id].add(email)
    return result


def deadline_digest_send(*, today: date) -> int:
    """Send this week's digests not sent yet; returns the number of letters sent."""
    week = today - timedelta(days=today.weekday())
    already = set(DigestDelivery.objects.filter(week_start=week).values_list("email", flat=True))
    sent = 0
    for email, letter in sorted(digest_collect(today=today).items()):
        if email in already:
            continue
        count = len(letter["overdue"]) + len(letter["due_soon"]) + len(letter["recommendations"])
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(week_start=week, email=email, items=count)
                body = render_to_string(
                    "roadmaps/email/digest.txt",
                    {
                        **letter,
                        "today": today,
                        "days": due_soon_days(),
                        "site_url": getattr(settings, "SITE_URL", "").rstrip("/"),
                    },
                )
                send_mail(SUBJECT.format(week=week), body, settings.DEFAULT_FROM_EMAIL, [email])
        except IntegrityError:
            continue  # another run sent it meanwhile
        sent += 1
    return sent

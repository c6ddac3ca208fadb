"""Sections this app adds to the school page and the staff dashboard (see schools.panels)."""

from django.template.loader import render_to_string

from schools.panels import Task
from schools.roles import is_staff_member

from .models import ExpertCard
from .rules import EDITABLE, STAFF_ACTION_STATUSES, principal_deadline
from .selectors import (
    campaign_list_visible_to,
    card_actions,
    card_list_visible_to,
    card_verifier_refusal,
    is_overdue,
)


def school_panel(request, school) -> str:
    cards = list(card_list_visible_to(user=request.user).filter(school=school)[:5])
    for card in cards:
        card.overdue = is_overdue(card)
    return render_to_string(
        "monitoring/panels/school.html", {"cards": cards, "school": school}, request=request
    )


def dashboard_panel(request) -> str:
    campaigns = list(campaign_list_visible_to(user=request.user)[:3])
    return render_to_string("monitoring/panels/dashboard.html", {"campaigns": campaigns}, request=request)


def tasks(user, today) -> list[Task]:
    """Cards to fill (a principal; an inspector their municipality's cards) or to verify (staff: the cards
    they may verify, a municipality's card by the regional level only)."""
    cards = card_list_visible_to(user=user)
    open_cards = cards.filter(status__in=EDITABLE)
    checks = []
    if is_staff_member(user):
        submitted = cards.filter(status__in=STAFF_ACTION_STATUSES["verify"]).prefetch_related(None)
        checks = [
            Task(
                f"Проверить экспертную карту: {c.subject_name}",
                c.get_absolute_url(),
                c.campaign.verification_due,
            )
            for c in submitted
            if card_verifier_refusal(card=c, user=user) is None
        ]
        open_cards = open_cards.filter(municipality__isnull=False)
    return checks + [
        Task(
            "Доработать экспертную карту"
            if c.status == ExpertCard.Status.RETURNED
            else "Заполнить экспертную карту",
            c.get_absolute_url(),
            principal_deadline(c),
            f"«{c.campaign.title}», {c.campaign.year_label}",
        )
        for c in open_cards.prefetch_related(None)
        if card_actions(card=c, user=user, today=today).fill
    ]

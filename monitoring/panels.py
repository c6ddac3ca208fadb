"""Sections this app adds to the school page and the staff dashboard (see schools.panels)."""

from django.template.loader import render_to_string

from .selectors import campaign_list_visible_to, card_list_visible_to, is_overdue


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

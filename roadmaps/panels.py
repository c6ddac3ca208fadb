"""Sections this app adds to the staff dashboard and the school page (see schools.panels)."""

from django.template.loader import render_to_string
from django.utils import timezone

from schools.roles import is_staff_member

from . import selectors


def dashboard_deadlines_panel(request) -> str:
    if not is_staff_member(request.user):
        return ""
    deadlines = selectors.deadlines_for(user=request.user, today=timezone.localdate())
    return render_to_string("roadmaps/panels/dashboard.html", {"deadlines": deadlines}, request=request)


def school_roadmaps_panel(request, school) -> str:
    today = timezone.localdate()
    user = request.user
    roadmaps = selectors.roadmap_list_with_progress(user=user, today=today).filter(school=school)
    recommendations = selectors.recommendation_list_visible_to(user=user).filter(school=school)
    deadlines = selectors.deadlines_for(user=user, today=today, school=school)
    if not (roadmaps or recommendations.exists() or is_staff_member(user)):
        return ""
    return render_to_string(
        "roadmaps/panels/school.html",
        {
            "school": school,
            "roadmaps": roadmaps,
            "deadlines": deadlines,
            "recommendations": recommendations.order_by("-created_at")[:10],
            "unanswered": recommendations.filter(status="sent").count(),
        },
        request=request,
    )

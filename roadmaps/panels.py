"""Sections this app adds to the staff dashboard and the school page (see schools.panels)."""

from django.template.loader import render_to_string
from django.utils import timezone

from schools.panels import Task
from schools.roles import is_staff_member

from . import selectors

DASHBOARD_DEADLINES = 10


def dashboard_deadlines_panel(request) -> str:
    if not is_staff_member(request.user):
        return ""
    # the dashboard shows what is most pressing; the roadmaps page lists more
    deadlines = selectors.deadlines_for(
        user=request.user, today=timezone.localdate(), limit=DASHBOARD_DEADLINES
    )
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
            "routes": selectors.individual_routes_state(school=school) if is_staff_member(user) else None,
        },
        request=request,
    )


def tasks(user, today) -> list[Task]:
    """Recommendations to answer (a principal) and overdue programme items (the user's schools)."""
    result = []
    if not is_staff_member(user):
        sent = selectors.recommendation_list_visible_to(user=user).filter(status="sent").order_by("due_date")
        result += [
            Task("Ответить на рекомендацию", r.get_absolute_url(), r.due_date, r.problem_area)
            for r in sent[:50]
        ]
    overdue = selectors.items_overdue(items=selectors.item_list_visible_to(user=user), today=today)
    result += [
        Task(
            f"Выполнить мероприятие {item.number}: {item.title}",
            item.get_absolute_url(),
            item.due_date,
            str(item.roadmap),
        )
        for item in overdue[:50]
    ]
    return result

"""Sections this app adds to the school page and the staff dashboard (registered in apps.py)."""

from django.template.loader import render_to_string

from . import selectors
from .charts import list_sizes_chart


def school_status_panel(request, school) -> str:
    """The school's latest status with a link to «Почему школа в списке» (the page checked visibility)."""
    year = selectors.latest_year()
    status = selectors.status_get(school=school, year=year) if year else None
    if status is None:
        return ""
    return render_to_string("indicators/panel_school.html", {"status": status}, request=request)


def dashboard_lists_panel(request) -> str:
    year = selectors.latest_year()
    if year is None:
        return ""
    history = selectors.list_history(years=selectors.computed_years(), user=request.user)
    chart = list_sizes_chart(history=history, width=480, height=200) if len(history) > 1 else None
    dynamics = selectors.list_dynamics(year=year, user=request.user)
    return render_to_string(
        "indicators/panel_dashboard.html",
        {"year": year, "dynamics": dynamics, "chart": chart},
        request=request,
    )

"""Sections this app adds to the school page and the staff dashboard (registered in apps.py)."""

from django.template.loader import render_to_string

from . import objectivity_selectors, selectors
from .charts import list_sizes_chart


def school_status_panel(request, school) -> str:
    """The school's latest status with a link to «Почему школа в списке» (the page checked visibility)."""
    year = selectors.latest_year()
    status = selectors.status_get(school=school, year=year) if year else None
    if status is None:
        return ""
    objectivity = objectivity_selectors.objectivity_status_get(school=school, year=year)
    return render_to_string(
        "indicators/panel_school.html", {"status": status, "objectivity": objectivity}, request=request
    )


def dashboard_lists_panel(request) -> str:
    year = selectors.latest_year()
    if year is None:
        return ""
    history = selectors.list_history(years=selectors.computed_years(), user=request.user)
    chart = list_sizes_chart(history=history, width=480, height=200) if len(history) > 1 else None
    return render_to_string(
        "indicators/panel_dashboard.html",
        {"year": year, "counts": history[year], "chart": chart},
        request=request,
    )


def school_teacher_diagnostics_panel(request, school) -> str:
    """«Предметные компетенции педагогов»: aggregates for whoever sees the school page (staff and the
    school's principal), the teacher-level rows for staff only (the page checked visibility)."""
    from . import teacher_diagnostics

    summary = teacher_diagnostics.teacher_summary_visible_to(user=request.user, school=school)
    if not summary:
        return ""
    versions = teacher_diagnostics.bands_versions()
    years = sorted({row["year"] for row in summary}, reverse=True)
    return render_to_string(
        "indicators/panel_teacher_diagnostics.html",
        {
            "school": school,
            "summary": summary,
            "bands": teacher_diagnostics.bands_for_year(years[0], versions),
            "teachers": teacher_diagnostics.teacher_rows_visible_to(user=request.user, school=school),
        },
        request=request,
    )

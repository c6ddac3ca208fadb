"""The list «ОО с признаками необъективности результатов» (DESIGN §8): staff only.

A principal sees their own school's markers on «Почему школа в списке» (indicators:school), never this
list; the public sees neither (published reports carry counts only).
"""

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from schools import formatting
from schools.charts import Series, line_chart
from schools.forms import int_param, year_param
from schools.permissions import StaffRequiredMixin
from schools.selectors import municipality_list_visible_to

from . import objectivity_selectors as selectors
from .objectivity import MARKERS


def dynamics_chart(history: dict, *, width: int = 640, height: int = 260):
    """Schools in the list and «устойчиво» by year (integer ticks: counts of schools)."""
    if not history:
        return None
    return line_chart(
        title="ОО с признаками необъективности результатов по годам",
        categories=[formatting.school_year(y) for y in history],
        series=[
            Series("в списке", [row["listed"] for row in history.values()]),
            Series(
                "устойчиво (в списке и годом ранее)", [row["stable"] for row in history.values()], dashed=True
            ),
            Series("с одним признаком и более", [row["with_markers"] for row in history.values()]),
        ],
        width=width,
        height=height,
        axis="школ",
    )


class ObjectivityListView(StaffRequiredMixin, TemplateView):
    template_name = "indicators/objectivity.html"

    def get_context_data(self, **kwargs):
        request, user = self.request, self.request.user
        years = selectors.objectivity_years()
        year = year_param(request.GET.get("year"), years)
        municipality = int_param(request.GET.get("municipality"))
        marker = request.GET.get("marker", "")
        scope = request.GET.get("scope", selectors.SCOPE_LIST)
        stable_only = request.GET.get("stable") == "1"
        context = {
            "years": years,
            "year": year,
            "markers": MARKERS,
            "marker": marker if marker in MARKERS else "",
            "scope": scope if scope in (selectors.SCOPE_LIST, selectors.SCOPE_ANY) else selectors.SCOPE_LIST,
            "stable_only": stable_only,
            "municipalities": municipality_list_visible_to(user=user),
            "municipality": municipality,
        }
        if year is not None:
            statuses = selectors.objectivity_list(
                user=user,
                year=year,
                scope=context["scope"],
                municipality=municipality,
                marker=context["marker"],
                stable_only=stable_only,
            )
            page = Paginator(statuses, 50).get_page(request.GET.get("page"))
            history = selectors.objectivity_history(user=user, municipality=municipality)
            context.update(
                page_obj=page,
                rows=[
                    {"status": s, "items": [i for i in selectors.marker_items(s) if i["present"]]}
                    for s in page.object_list
                ],
                history=history,
                chart=dynamics_chart(history),
                counts=selectors.marker_counts(year=year, user=user),
                rules=selectors.thresholds_in_force(year=year),
            )
        return super().get_context_data(**context, **kwargs)

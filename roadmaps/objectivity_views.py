"""One-action follow-up from the list «ОО с признаками необъективности результатов» (DESIGN §8): staff only,
for a school the user may see (404 otherwise)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from schools import formatting
from schools.error_pages import refusal_returns_to
from schools.permissions import StaffRequiredMixin
from schools.selectors import school_get_visible

from .services.objectivity import programme_item_from_objectivity, recommendation_from_objectivity


def _back(year: int) -> str:
    return reverse("indicators:objectivity") + f"?year={year}"


class ObjectivityRecommendationCreateView(StaffRequiredMixin, View):
    def post(self, request, code, year):
        school = school_get_visible(user=request.user, code=code)
        refusal_returns_to(request, _back(year))
        recommendation, created = recommendation_from_objectivity(school=school, year=year, user=request.user)
        messages.success(
            request,
            f"Черновик рекомендации школе {school.display_name} по признакам за "
            f"{formatting.school_year(year)} создан: проверьте текст и направьте школе."
            if created
            else "Рекомендация по этим признакам уже есть — открыта она.",
        )
        return redirect(reverse("roadmaps:recommendation-update", args=[recommendation.pk]))


class ObjectivityItemCreateView(StaffRequiredMixin, View):
    def post(self, request, code, year):
        school = school_get_visible(user=request.user, code=code)
        refusal_returns_to(request, _back(year))
        item, created = programme_item_from_objectivity(school=school, year=year, user=request.user)
        messages.success(
            request,
            f"Мероприятие № {item.number} добавлено в программу помощи «{item.roadmap.title}»."
            if created
            else f"Мероприятие по этим признакам уже есть в программе помощи (№ {item.number}).",
        )
        return redirect(item.get_absolute_url())

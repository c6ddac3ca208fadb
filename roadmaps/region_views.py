"""Region mode pages (DESIGN §6): the dashboard comparing municipalities, the regional assessment of
municipal mechanisms and its «why» page for one municipality. Staff only; the municipalities shown are
those of `schools.selectors.municipality_list_visible_to` (read through roadmaps/region.py)."""

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from schools import formatting
from schools.charts import Series, bar_chart, line_chart
from schools.forms import year_param
from schools.permissions import StaffRequiredMixin
from schools.selectors import municipality_get_visible, municipality_list_visible_to

from . import mechanisms, region


def _year(request, years: list[int]) -> int | None:
    return year_param(request.GET.get("year"), years)


class RegionDashboardView(StaffRequiredMixin, TemplateView):
    """Municipalities side by side: ШНОР/ШНСУ counts and shares, entered/left, card levels, programme items
    done on time, recommendations answered — a table for the chosen year, one by years, and charts."""

    template_name = "roadmaps/region_dashboard.html"

    def get_context_data(self, **kwargs):
        years = region.region_years()
        year = _year(self.request, years)
        context = {"years": sorted(years, reverse=True), "year": year}
        if year is not None:
            figures = region.region_dashboard(user=self.request.user, years=years)
            rows = [(m, figures.row(m.pk, year)) for m in figures.municipalities]
            context.update(
                rows=rows,
                total=_total([row for _, row in rows]),
                by_year=[(m, [(y, figures.row(m.pk, y)) for y in years]) for m in figures.municipalities],
                by_year_totals=[
                    _total([figures.row(m.pk, y) for m in figures.municipalities]) for y in years
                ],
                year_columns=years,
                has_previous=year - 1 in years,
                charts=_dashboard_charts(figures, rows, year),
            )
        return super().get_context_data(**context, **kwargs)


def _total(rows: list[region.MunicipalityYear]) -> region.MunicipalityYear:
    """The sum of several municipalities' figures (entered/left stay None if any is unknown)."""
    total = region.MunicipalityYear()
    for row in rows:
        total.schools += row.schools
        for kind in region.LISTS:
            total.members[kind] += row.members[kind]
            for attribute in ("entered", "left"):
                mine, theirs = getattr(total, attribute), getattr(row, attribute)
                if theirs[kind] is not None:
                    mine[kind] = (mine[kind] or 0) + theirs[kind]
        for level in region.LEVELS:
            total.levels[level] += row.levels[level]
        total.cards += row.cards
        total.cards_on_time += row.cards_on_time
        total.items_due += row.items_due
        total.items_on_time += row.items_on_time
        total.recommendations += row.recommendations
        total.answered += row.answered
        total.objectivity_listed += row.objectivity_listed
        total.objectivity_with_markers += row.objectivity_with_markers
    return total


def _list_share_chart(list_name: str, list_kind: str, label: str, names: list[str], rows):
    """The share of a municipality's schools in one list (ШНОР or ШНСУ), a bar per municipality."""
    return bar_chart(
        title=f"Доля {list_name} среди школ муниципалитета, {label}, %",
        labels=names,
        values=[_rounded(row.share(list_kind)) for _, row in rows],
        unit=" %",
        axis="%",
        category="Муниципалитет",
    )


def _dashboard_charts(figures: region.RegionFigures, rows, year: int) -> list:
    names = [m.name for m, _ in rows]
    if not names:
        return []
    years = figures.years
    totals = [_total([figures.row(m.pk, y) for m in figures.municipalities]) for y in years]
    label = formatting.school_year(year)
    return [
        bar_chart(
            title=f"Число ШНОР по муниципалитетам, {label}",
            labels=names,
            values=[row.members["low_results"] for _, row in rows],
            axis="школ",
            category="Муниципалитет",
        ),
        _list_share_chart("ШНОР", "low_results", label, names, rows),
        _list_share_chart("ШНСУ", "unfavourable", label, names, rows),
        line_chart(
            title="Школ в списках ШНОР и ШНСУ по годам (все показанные муниципалитеты)",
            categories=[formatting.school_year(y) for y in years],
            series=[
                Series("ШНОР", [t.members["low_results"] for t in totals]),
                Series("ШНСУ", [t.members["unfavourable"] for t in totals], dashed=True),
            ],
            axis="школ",
        ),
        bar_chart(
            title=f"Мероприятия программ помощи, выполненные в срок, {label}, %",
            labels=names,
            values=[_rounded(row.items_share) for _, row in rows],
            unit=" %",
            axis="%",
            category="Муниципалитет",
        ),
    ]


def _rounded(value: float | None) -> float | None:
    return None if value is None else float(formatting.rounded(value, 1))


class MechanismAssessmentView(StaffRequiredMixin, TemplateView):
    """The regional assessment of municipal mechanisms: five indicators per municipality, ranked."""

    template_name = "roadmaps/region_mechanisms.html"

    def get_context_data(self, **kwargs):
        years = region.region_years()
        year = _year(self.request, years)
        context = {"years": sorted(years, reverse=True), "year": year, "indicators": mechanisms.INDICATORS}
        if year is not None:
            assessments, municipalities = region.mechanism_assessment(year=year, today=timezone.localdate())
            visible = set(municipality_list_visible_to(user=self.request.user).values_list("pk", flat=True))
            ranked = sorted(
                (a for mid, a in assessments.items() if mid in visible),
                key=lambda a: (a.rank is None, a.rank or 0, municipalities[a.municipality_id].name),
            )
            rows = [
                (
                    municipalities[a.municipality_id],
                    a,
                    [(i, a.figures[i.code]) for i in mechanisms.INDICATORS],
                )
                for a in ranked
            ]
            context.update(
                rows=rows,
                regional=len(municipalities),
                chart=bar_chart(
                    title=f"Итоговый балл оценки механизмов, {formatting.school_year(year)}, %",
                    labels=[m.name for m, _, _ in rows],
                    values=[_rounded(a.score) for _, a, _ in rows],
                    unit=" %",
                    axis="%",
                    category="Муниципалитет",
                )
                if rows
                else None,
            )
        return super().get_context_data(**context, **kwargs)


class MechanismWhyView(StaffRequiredMixin, TemplateView):
    """«Почему у муниципалитета такое место»: each indicator's counts, share and place, and the schools,
    items, cards and recommendations behind them."""

    template_name = "roadmaps/region_why.html"

    def get_context_data(self, **kwargs):
        municipality = municipality_get_visible(user=self.request.user, code=self.kwargs["code"])
        years = region.region_years()
        year = _year(self.request, years)
        if year is None:
            raise Http404("Расчёт ещё не выполнялся")
        today = timezone.localdate()
        assessments, municipalities = region.mechanism_assessment(year=year, today=today)
        assessment = assessments[municipality.pk]
        return super().get_context_data(
            municipality=municipality,
            years=sorted(years, reverse=True),
            year=year,
            assessment=assessment,
            regional=len(municipalities),
            figures=[(i, assessment.figures[i.code]) for i in mechanisms.INDICATORS],
            details=region.mechanism_details(municipality=municipality, year=year, today=today),
            **kwargs,
        )

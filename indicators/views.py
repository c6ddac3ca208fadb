from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from schools import formatting
from schools.charts import Series, line_chart
from schools.error_pages import ApplicationErrorFormMixin, refusal_returns_to
from schools.exports import Sheet, workbook_bytes, xlsx_response
from schools.forms import int_param, year_param
from schools.jobs import job_create, job_enqueue
from schools.panels import list_approval
from schools.permissions import MunicipalityFilterMixin, PortalUserRequiredMixin, StaffRequiredMixin
from schools.roles import is_staff_member
from schools.selectors import school_get_visible
from schools.views import sort_param

from . import objectivity_selectors, selectors
from .charts import list_moves_chart, list_sizes_chart
from .exports import STATUS_FIELDS, STATUS_HEADERS, VALUE_FIELDS, VALUE_HEADERS, status_rows, value_rows
from .forms import ComputeForm, RulesForm, StatusOverrideForm, TeacherBandsForm
from .models import MethodologyRules, StatusOverride, TeacherLevelRules
from .services import rules_for_year
from .services.overrides import rules_save, status_override_create
from .tasks import statuses_compute_task


def _year(request, years: list[int]) -> int | None:
    return year_param(request.GET.get("year"), years)


def _single_municipality(place: dict) -> str:
    """The municipality a list page is about: the chosen one, or the user's only one ("" otherwise)."""
    if place["chosen"]:
        return place["chosen"]
    return place["choices"][0].code if len(place["choices"]) == 1 else ""


class StatusListsView(StaffRequiredMixin, MunicipalityFilterMixin, TemplateView):
    """The ШНОР and ШНСУ lists of a year with entered/left marks and the rules in force."""

    template_name = "indicators/lists.html"

    def get_context_data(self, **kwargs):
        years = selectors.computed_years()
        year = _year(self.request, years)
        place = self.municipality_filter
        scope = {"user": self.request.user, "municipality": place["chosen"]}
        context = {
            "years": years,
            "year": year,
            "compute_form": ComputeForm(initial={"year": year or ""}),
            "result_years": selectors.result_years(),
        }
        if year is not None:
            dynamics = selectors.list_dynamics(year=year, schools=False, **scope)
            for kind, block in dynamics.items():
                _page_list(block, kind, self.request)
            shown = {pk for block in dynamics.values() for pk in [*block["page_obj"], *block["left_ids"]]}
            schools = selectors.schools_by_id(shown)
            statuses = {s.school_id: s for s in selectors.status_list(year=year, school_ids=shown, **scope)}
            for block in dynamics.values():
                block["rows"] = [(schools[pk], statuses.get(pk)) for pk in block["page_obj"]]
                block["left_shown"] = [schools[pk] for pk in block["left_ids"]]
            approval = list_approval(year, _single_municipality(place))
            if approval is not None:
                selectors.compare_with_approved(dynamics=dynamics, members=approval.members, **scope)
            history = selectors.list_history(years=years, **scope)
            charts = [
                chart
                for chart in (list_sizes_chart(history=history), list_moves_chart(history=history))
                if chart
            ]
            context.update(
                dynamics=dynamics,
                rules=selectors.rules_in_force(year=year),
                run=selectors.latest_run(year=year),
                counts=history,
                charts=charts,
                approval=approval,
            )
        return super().get_context_data(**context, **kwargs)


LIST_PAGE_SIZE = 50


def _page_list(block: dict, kind: str, request) -> None:
    """One page of a list (50 schools: a region's list runs to thousands) and the first schools that
    left it; the page number is `?page_<kind>=` so the two lists page on their own."""
    block["page_param"] = f"page_{kind}"
    block["page_obj"] = Paginator(block["current_ids"], LIST_PAGE_SIZE).get_page(
        request.GET.get(block["page_param"])
    )
    block["left_more"] = max(len(block["left_ids"]) - LIST_PAGE_SIZE, 0)
    block["left_ids"] = block["left_ids"][:LIST_PAGE_SIZE]


class IndicatorTableView(StaffRequiredMixin, MunicipalityFilterMixin, TemplateView):
    """All schools of a year: indices, rank and every indicator beside the cluster median."""

    template_name = "indicators/table.html"

    def get_context_data(self, **kwargs):
        years = selectors.computed_years()
        year = _year(self.request, years)
        context = {"years": years, "year": year}
        if year is not None:
            sort, ordering = sort_param(self.request, selectors.TABLE_SORTS, "code")
            cluster = self.request.GET.get("cluster", "")
            list_kind = self.request.GET.get("list", "")
            statuses = selectors.status_table(
                year=year,
                user=self.request.user,
                cluster=cluster,
                list_kind=list_kind,
                ordering=ordering,
                municipality=self.municipality_filter["chosen"],
            )
            page = Paginator(statuses, 30).get_page(self.request.GET.get("page"))
            indicators, rows = selectors.indicator_cells(year=year, statuses=page.object_list)
            context.update(
                sort=sort,
                cluster=cluster,
                list_kind=list_kind,
                clusters=selectors.clusters_of(year=year),
                page_obj=page,
                indicators=indicators,
                rows=rows,
            )
        return super().get_context_data(**context, **kwargs)


class StatusExportView(StaffRequiredMixin, View):
    def get(self, request):
        year = _year(request, selectors.computed_years())
        if year is None:
            raise Http404("Расчёт ещё не выполнялся")
        rows = ([r[f] for f in STATUS_FIELDS] for r in status_rows(year=year, user=request.user))
        content = workbook_bytes([Sheet("Статусы ОО", STATUS_HEADERS, rows)], about=_about(year))
        return xlsx_response(content, f"статусы-оо-{year}.xlsx")


class ValueExportView(StaffRequiredMixin, View):
    def get(self, request):
        year = _year(request, selectors.computed_years())
        if year is None:
            raise Http404("Расчёт ещё не выполнялся")
        rows = ([r[f] for f in VALUE_FIELDS] for r in value_rows(year=year, user=request.user))
        content = workbook_bytes([Sheet("Показатели ОО", VALUE_HEADERS, rows)], about=_about(year))
        return xlsx_response(content, f"показатели-оо-{year}.xlsx")


def _about(year: int) -> dict:
    run = selectors.latest_run(year=year)
    return {
        "Учебный год": formatting.school_year(year),
        "Расчёт выполнен": formatting.local_datetime(run.finished_at if run else None),
        "Правила": str(run.rules_snapshot) if run else "—",
    }


class ComputeStartView(StaffRequiredMixin, View):
    def post(self, request):
        form = ComputeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Укажите учебный год от 2000 до 2100.")
            return redirect("indicators:index")
        year = form.cleaned_data["year"]
        job = job_create(
            kind="compute",
            title=f"Расчёт показателей и списков за {formatting.school_year(year)} учебный год",
            params={"year": year},
            user=request.user,
        )
        job_enqueue(job=job, task=statuses_compute_task)
        return redirect(job.get_absolute_url())


class RulesEditView(StaffRequiredMixin, ApplicationErrorFormMixin, FormView):
    """Inspectors edit the rules of a version; a new «valid from» year creates a new version."""

    template_name = "indicators/rules.html"

    @cached_property
    def year(self) -> int:
        return _year(self.request, selectors.computed_years()) or 2000

    def get_form(self, form_class=None):
        if self.request.method == "POST":
            return _version_form(RulesForm, MethodologyRules, self.request.POST)
        return RulesForm(instance=rules_for_year(self.year))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            versions=MethodologyRules.objects.select_related("changed_by"),
            history=selectors.rules_history(),
            indicator_names=selectors.indicator_short_names(),
            year=self.year,
            **kwargs,
        )

    def form_valid(self, form):
        rules = form.save(commit=False)
        rules.weights = form.weights()
        rules_save(rules=rules, user=self.request.user, comment=form.cleaned_data["comment"])
        messages.success(
            self.request,
            f"Правила с {formatting.school_year(rules.valid_from)} учебного года сохранены. "
            "Они применятся при следующем расчёте.",
        )
        return redirect("indicators:rules")


def _version_form(form_class, model, post):
    """A posted form of versioned rules: it edits the version its «valid from» year names, else makes one."""
    valid_from = int_param(post.get("valid_from"))
    existing = model.objects.filter(valid_from=valid_from).first() if valid_from else None
    return form_class(post, instance=existing or model())


class SchoolReasonsView(PortalUserRequiredMixin, TemplateView):
    """«Почему школа в списке»: every figure behind the school's status, visible to its principal too."""

    template_name = "indicators/school.html"

    def get_context_data(self, **kwargs):
        school = school_get_visible(user=self.request.user, code=self.kwargs["code"])
        series = selectors.school_indicator_series(school=school)
        years = sorted(series["statuses"], reverse=True)
        year = _year(self.request, years)
        status = selectors.status_get(school=school, year=year) if year else None
        values = (
            {v.indicator.code: v for v in selectors.indicator_values(year=year, school=school)}
            if year
            else {}
        )
        medians = selectors.cluster_medians(year=year, clusters=[status.cluster]) if status else {}
        objectivity = objectivity_selectors.objectivity_status_get(school=school, year=year)
        return super().get_context_data(
            objectivity=objectivity,
            objectivity_items=objectivity_selectors.marker_items(objectivity),
            objectivity_rules=objectivity_selectors.thresholds_in_force(year=year) if year else None,
            school=school,
            years=years,
            year=year,
            status=status,
            scope=selectors.status_scope(status),
            groups=_groups(values, status, medians),
            charts=_charts(series),
            overrides=selectors.school_overrides(school=school).filter(year=year or 0),
            override_form=StatusOverrideForm() if is_staff_member(self.request.user) else None,
            results=selectors.school_results(school=school, year=year) if year else [],
            **kwargs,
        )


def _groups(values: dict, status, medians: dict) -> list[dict]:
    from .models import Indicator

    cluster = status.cluster if status else ""
    groups = []
    for group, title in Indicator.Group.choices:
        rows = [
            {"value": v, "median": medians.get((cluster, code))}
            for code, v in values.items()
            if v.indicator.group == group
        ]
        groups.append({"title": title, "code": group, "rows": rows})
    return groups


CHARTED = (
    "results_index",
    "social_index",
    "vpr_fail_share",
    "oge_below_min_share",
    "ege_below_min_share",
    "ege_high_share",
)


def _charts(series: dict) -> list:
    categories = [formatting.school_year(y) for y in series["years"]]
    if not categories:
        return []
    charts = []
    for item in series["series"]:
        if item["code"] not in CHARTED or all(v is None for v in item["values"]):
            continue
        charts.append(
            line_chart(
                title=item["title"],
                categories=categories,
                unit=" %" if item["unit"] == "%" else "",
                axis=item["unit"],
                series=[
                    Series("Школа", item["values"]),
                    Series("Медиана кластера", item["medians"], dashed=True),
                ],
            )
        )
    return charts


class StatusOverrideCreateView(StaffRequiredMixin, View):
    def post(self, request, code):
        school = school_get_visible(user=request.user, code=code)
        form = StatusOverrideForm(request.POST)
        year = int_param(request.POST.get("year"))
        if year is None:
            raise Http404("Не указан учебный год")
        url = reverse("indicators:school", args=[school.code]) + f"?year={year}"
        if not form.is_valid():
            messages.error(
                request,
                "Решение не сохранено: " + "; ".join(e for errors in form.errors.values() for e in errors),
            )
            return redirect(url)
        refusal_returns_to(request, url)
        status_override_create(school=school, year=year, user=request.user, **form.cleaned_data)
        decision = StatusOverride.Decision(form.cleaned_data["decision"]).label
        messages.success(
            request, f"Решение сохранено: {decision}. Расчётный статус остаётся рядом для сравнения."
        )
        return redirect(url)


class TeacherBandsEditView(StaffRequiredMixin, ApplicationErrorFormMixin, FormView):
    """Staff edit the level bands of the teachers' subject diagnostics (DESIGN §7.4)."""

    template_name = "indicators/teacher_bands.html"

    def get_form(self, form_class=None):
        if self.request.method == "POST":
            return _version_form(TeacherBandsForm, TeacherLevelRules, self.request.POST)
        return TeacherBandsForm(instance=TeacherLevelRules.objects.first() or TeacherLevelRules())

    def get_context_data(self, **kwargs):
        versions = TeacherLevelRules.objects.select_related("changed_by")
        return super().get_context_data(versions=versions, **kwargs)

    def form_valid(self, form):
        from .services.diagnostics import teacher_bands_save

        bands = teacher_bands_save(
            rules=form.save(commit=False), user=self.request.user, comment=form.cleaned_data["comment"]
        )
        messages.success(
            self.request,
            f"Уровни диагностики педагогов с {formatting.school_year(bands.valid_from)} учебного года "
            "сохранены.",
        )
        return redirect("indicators:teacher-bands")

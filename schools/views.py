import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, RedirectView, TemplateView

from . import formatting, selectors
from .charts import Series, line_chart
from .exports import workbook_bytes, xlsx_response
from .forms import ImportUploadForm, SchoolFilterForm
from .importing import importer_choices, template_for
from .jobs import job_create, job_enqueue, job_expire_if_abandoned, job_live_progress
from .models import School
from .panels import dashboard_panels, school_panels, tasks_for
from .permissions import DataImportRequiredMixin, PortalUserRequiredMixin, StaffRequiredMixin
from .roles import is_principal, is_staff_member, principal_school_id
from .tasks import run_import_task

SCHOOL_SORTS = {
    "code": "code",
    "name": "name",
    "municipality": "municipality__name",
    "settlement": "settlement",
}


def sort_param(request, allowed: dict, default: str) -> tuple[str, str]:
    """(key shown in the link, ORM ordering) from ?sort=key or ?sort=-key, limited to `allowed`."""
    raw = request.GET.get("sort", default)
    key = raw.lstrip("-")
    if key not in allowed:
        raw, key = default, default.lstrip("-")
    return raw, ("-" if raw.startswith("-") else "") + allowed[key]


class HomeView(View):
    def get(self, request):
        if is_staff_member(request.user):
            return redirect("dashboard")
        if is_principal(request.user) and principal_school_id(request.user):
            school = School.objects.get(pk=principal_school_id(request.user))
            return redirect(school.get_absolute_url())
        return redirect("quality:index")  # visitors start on the public tab


class DashboardView(StaffRequiredMixin, TemplateView):
    template_name = "schools/dashboard.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            tasks=tasks_for(self.request.user, today),
            today=today,
            counts=selectors.dashboard_counts(user=self.request.user),
            panels=dashboard_panels(self.request),
            recent_imports=selectors.import_batches_visible_to(user=self.request.user)[:5],
            **kwargs,
        )


class SchoolListView(PortalUserRequiredMixin, ListView):
    template_name = "schools/school_list.html"
    context_object_name = "schools"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = SchoolFilterForm(
            self.request.GET or None,
            municipalities=selectors.municipality_list_visible_to(user=self.request.user),
            flags=selectors.SCHOOL_FLAGS.items(),
            settlements=School.Settlement.choices,
        )
        data = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        self.sort, ordering = sort_param(self.request, SCHOOL_SORTS, "code")
        return selectors.school_list_filtered(
            user=self.request.user,
            search=data.get("q", ""),
            municipality=data.get("municipality", ""),
            settlement=data.get("settlement", ""),
            flags=data.get("flag", []),
        ).order_by(ordering)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.filter_form,
            sort=self.sort,
            query=query.urlencode(),
            flags=selectors.SCHOOL_FLAGS,
            **kwargs,
        )


class SchoolDetailView(PortalUserRequiredMixin, TemplateView):
    template_name = "schools/school_detail.html"

    def get_context_data(self, **kwargs):
        school = selectors.school_get_visible(user=self.request.user, code=self.kwargs["code"])
        today = timezone.localdate()
        contexts = selectors.school_contexts(school=school)
        return super().get_context_data(
            school=school,
            contexts=contexts,
            chart=_context_chart(contexts) if contexts else "",
            panels=school_panels(self.request, school),
            tasks=tasks_for(self.request.user, today)
            if principal_school_id(self.request.user) == school.pk
            else None,
            today=today,
            flags=[label for name, label in selectors.SCHOOL_FLAGS.items() if getattr(school, name)],
            **kwargs,
        )


def _context_chart(contexts):
    return line_chart(
        title="Контингент по годам",
        categories=[formatting.school_year(c.year) for c in contexts],
        series=[
            Series("Обучающихся", [c.students for c in contexts]),
            Series("Педагогов", [c.teachers for c in contexts], dashed=True),
        ],
        axis="человек",
    )


class ImportUploadView(DataImportRequiredMixin, FormView):
    template_name = "schools/import_upload.html"
    form_class = ImportUploadForm

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", "schools")}

    def get_context_data(self, **kwargs):
        history = selectors.import_history(user=self.request.user)
        return super().get_context_data(history=history, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        relative = Path("uploads") / f"{uuid.uuid4().hex}.xlsx"
        target = Path(settings.MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        kind = form.cleaned_data["kind"]
        title, _, _ = template_for(kind)
        job = job_create(
            kind=f"import:{kind}",
            title=f"Импорт: {title} — {upload.name}",
            params={
                "kind": kind,
                "path": str(relative),
                "file_name": upload.name,
                "dry_run": form.cleaned_data["dry_run"],
            },
            user=self.request.user,
        )
        job_enqueue(job=job, task=run_import_task)
        return redirect(job.get_absolute_url())


class ImportTemplateView(StaffRequiredMixin, View):
    def get(self, request, kind):
        if kind not in dict(importer_choices()):
            raise Http404("Нет такого шаблона")
        title, headers, example = template_for(kind)
        from .exports import Sheet

        content = workbook_bytes([Sheet("Данные", headers, [example] if example else [])])
        return xlsx_response(content, f"шаблон-{kind}.xlsx")


class JobDetailView(LoginRequiredMixin, TemplateView):
    template_name = "schools/job_detail.html"

    def get_context_data(self, **kwargs):
        job = selectors.job_get_visible(user=self.request.user, job_id=self.kwargs["pk"])
        return super().get_context_data(job=job, status_url=reverse("jobs:status", args=[job.pk]), **kwargs)


class JobStatusView(LoginRequiredMixin, View):
    """JSON polled by the progress bar."""

    def get(self, request, pk):
        job = job_expire_if_abandoned(job=selectors.job_get_visible(user=request.user, job_id=pk))
        progress, message = job_live_progress(job)
        return JsonResponse(
            {
                "id": job.pk,
                "status": job.status,
                "status_display": job.get_status_display(),
                "progress": progress,
                "message": message,
                "finished": job.is_finished,
                "result_url": job.result.get("url", "") if isinstance(job.result, dict) else "",
            }
        )


class SchoolContextExportView(StaffRequiredMixin, View):
    def get(self, request):
        from .exports import Sheet
        from .services import CONTEXT_COUNT_COLUMNS

        contexts = selectors.context_list_visible_to(user=request.user).order_by("school__code", "year")
        headers = [
            "Код ОО",
            "Учебный год",
            *[h for _, h in CONTEXT_COUNT_COLUMNS],
            "Лишение или приостановление аккредитации",
        ]
        rows = (
            [
                c.school.code,
                f"{formatting.school_year(c.year)}",
                *[getattr(c, k) for k, _ in CONTEXT_COUNT_COLUMNS],
                {True: "да", False: "нет"}.get(c.accreditation_suspended, ""),
            ]
            for c in contexts
        )
        return xlsx_response(workbook_bytes([Sheet("Контекст", headers, rows)]), "контекст-оо.xlsx")


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on their own (beside a PDF shown inline, for one): answer, not 404."""

    permanent = True
    http_method_names = ["get", "head", "options"]

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")

"""Staff pages of the reports app: report builds and the document registry."""

from django.contrib import messages
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from schools.error_pages import ApplicationErrorFormMixin, refusal_returns_to
from schools.forms import int_param
from schools.permissions import MunicipalityFilterMixin, StaffRequiredMixin

from . import masking, selectors, services
from .files import file_response
from .forms import ConclusionsForm, DocumentForm, ReportRequestForm
from .models import Document, Report


class KindFilterMixin:
    """A list narrowed to `?kind=` when it names one of `kinds`; the template gets `kinds` (the choices)
    and the chosen `kind` for its select."""

    kinds: type[models.TextChoices]

    @property
    def kind(self) -> str:
        return self.request.GET.get("kind", "")

    def filter_by_kind(self, queryset):
        return queryset.filter(kind=self.kind) if self.kind in self.kinds.values else queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(kinds=self.kinds.choices, kind=self.kind, **kwargs)


class ReportIndexView(StaffRequiredMixin, MunicipalityFilterMixin, KindFilterMixin, ListView):
    template_name = "reports/index.html"
    context_object_name = "reports"
    paginate_by = 25
    municipality_lookup = "municipality__code"
    kinds = Report.Kind

    def get_queryset(self):
        reports = selectors.report_list_visible_to(user=self.request.user)
        return self.filter_by_kind(self.filter_by_municipality(reports))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=kwargs.pop("form", None) or ReportRequestForm(user=self.request.user),
            counts=selectors.report_kind_counts(user=self.request.user),
            small_label=masking.small_label(),
            small_count_k=masking.small_count_k(),
            **kwargs,
        )


class ReportCreateView(StaffRequiredMixin, ApplicationErrorFormMixin, View):
    """The request form of the reports list; an invalid or refused request shows the list again with it."""

    def get_form(self):
        return ReportRequestForm(self.request.POST, user=self.request.user)

    def form_valid(self, form):
        report = services.report_request(
            kind=form.cleaned_data["kind"],
            year=form.cleaned_data["year"],
            params=form.params(),
            user=self.request.user,
        )
        return redirect(report.get_absolute_url())

    def form_invalid(self, form):
        self.request.method = "GET"
        response = ReportIndexView.as_view()(self.request)
        response.context_data["form"] = form
        return response


class MunicipalReportsView(StaffRequiredMixin, View):
    """Queue the annual report of every municipality in the requester's scope, one job each."""

    def post(self, request):
        from schools.selectors import municipality_list_visible_to

        year = int_param(request.POST.get("year"))
        if year is None:
            messages.error(request, "Укажите учебный год.")
            return redirect("reports:index")
        refusal_returns_to(request, reverse("reports:index"))
        reports = services.reports_request_municipal(
            year=year, municipalities=municipality_list_visible_to(user=request.user), user=request.user
        )
        messages.success(
            request,
            f"Поставлено в очередь отчётов муниципалитетов: {len(reports)}. "
            "Каждый строится отдельной задачей; ход — в списке отчётов.",
        )
        return redirect("reports:index")


class ReportDetailView(StaffRequiredMixin, TemplateView):
    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        report = selectors.report_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        job = report.job
        return super().get_context_data(
            report=report,
            job=job,
            status_url=reverse("jobs:status", args=[job.pk]) if job else "",
            conclusions_form=ConclusionsForm(initial={"conclusions": report.conclusions}),
            summary=_summary_tables(report.data),
            **kwargs,
        )


def _summary_tables(data: dict) -> list[dict]:
    from .rendering import formatted_table

    keys = data.get("summary") or [key for s in data.get("sections", [])[1:3] for key in s.get("tables", [])]
    tables = data.get("tables", {})
    return [formatted_table(tables[key]) for key in keys if key in tables]


class ReportActionView(StaffRequiredMixin, View):
    """POST actions on a report: retry, publish, withdraw, conclusions."""

    def post(self, request, pk, action):
        report = get_object_or_404(selectors.report_list_visible_to(user=request.user), pk=pk)
        if action == "retry":
            services.report_retry(report=report, user=request.user)
            messages.success(request, "Построение отчёта запущено повторно.")
        elif action == "publish":
            services.report_request_publication(report=report, user=request.user)
            messages.success(
                request, "Отчёт публикуется: малые значения скрываются, формируется публичный PDF."
            )
        elif action == "withdraw":
            services.report_withdraw(report=report, user=request.user)
            messages.success(request, "Отчёт снят с публикации.")
        elif action == "conclusions":
            form = ConclusionsForm(request.POST)
            if form.is_valid():
                services.report_update_conclusions(
                    report=report, text=form.cleaned_data["conclusions"], user=request.user
                )
                messages.success(request, "Выводы сохранены, PDF обновляется.")
        else:
            raise Http404("Нет такого действия")
        return redirect(report.get_absolute_url())


class ReportFileView(StaffRequiredMixin, View):
    def get(self, request, pk, what):
        report = selectors.report_get_visible(user=request.user, pk=pk)
        field = {
            "pdf": report.pdf,
            "xlsx": report.xlsx,
            "public-pdf": report.public_pdf,
            "public-xlsx": report.public_xlsx,
        }.get(what)
        return report_file_response(report, field, "pdf" if what.endswith("pdf") else "xlsx", request)


class QualityGridStaffView(StaffRequiredMixin, TemplateView):
    template_name = "reports/grid.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            grid=selectors.quality_grid(user=self.request.user, public=False), **kwargs
        )


# --- the document registry ------------------------------------------------------------------------------
class DocumentListView(StaffRequiredMixin, KindFilterMixin, ListView):
    template_name = "reports/document_list.html"
    context_object_name = "documents"
    paginate_by = 50
    kinds = Document.Kind

    def get_queryset(self):
        return self.filter_by_kind(selectors.document_list_visible_to(user=self.request.user))


class DocumentFormView(StaffRequiredMixin, ApplicationErrorFormMixin, FormView):
    template_name = "reports/document_form.html"
    form_class = DocumentForm
    error_field = "upload"

    def dispatch(self, request, *args, **kwargs):
        # who asks first (StaffRequiredMixin), then which document: a stranger learns nothing of the numbers
        self.document = None
        if "pk" in kwargs and request.user.is_authenticated and self.allows(request.user):
            self.document = get_object_or_404(Document, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.document}

    def get_context_data(self, **kwargs):
        return super().get_context_data(document=self.document, **kwargs)

    def form_valid(self, form):
        document = services.document_save(
            document=self.document,
            data=form.cleaned_data,
            upload=form.cleaned_data.get("upload"),
            user=self.request.user,
        )
        messages.success(self.request, "Документ сохранён.")
        return redirect(document.get_absolute_url())


class DocumentDetailView(StaffRequiredMixin, TemplateView):
    template_name = "reports/document_detail.html"

    def get_context_data(self, **kwargs):
        document = selectors.document_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(document=document, **kwargs)


class DocumentActionView(StaffRequiredMixin, View):
    def post(self, request, pk, action):
        document = get_object_or_404(Document, pk=pk)
        if action == "publish":
            services.document_publish(document=document, user=request.user)
            messages.success(request, "Документ опубликован на вкладке «Управление качеством образования».")
        elif action == "withdraw":
            services.document_withdraw(document=document, user=request.user)
            messages.success(request, "Документ снят с публикации.")
        else:
            raise Http404("Нет такого действия")
        return redirect(document.get_absolute_url())


class DocumentFileView(StaffRequiredMixin, View):
    def get(self, request, pk):
        document = selectors.document_get_visible(user=request.user, pk=pk)
        return document_file_response(document, request)


def report_file_response(report: Report, field, file_type: str, request):
    """A report's PDF (shown in the browser unless ?download) or xlsx, named by its kind and year."""
    if not field:
        raise Http404("Файл не сформирован")
    name = f"{report.get_kind_display()} {report.year_label}.{file_type}".replace("/", "-")
    return file_response(
        field,
        file_type=file_type,
        download_name=name,
        ascii_name=f"report-{report.kind}-{report.year}-{report.pk}.{file_type}",
        inline=file_type == "pdf" and "download" not in request.GET,
    )


def document_file_response(document: Document, request):
    if not document.file:
        raise Http404("У документа нет файла")
    name = document.file_name or f"{document.title[:80]}.{document.file_type}"
    if not name.lower().endswith("." + document.file_type):
        name = f"{name}.{document.file_type}"
    return file_response(
        document.file,
        file_type=document.file_type,
        download_name=name,
        inline=document.file_type == "pdf" and "download" not in request.GET,
    )

"""The public tab «Управление качеством образования» (/quality/): no login, published material only.

Everything shown here comes from published rows; report figures come from the masked copy made at
publication (`reports.masking`), never from the internal data.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from schools.roles import is_staff_member

from . import selectors
from .files import file_response
from .models import Document, Report
from .public_cache import AnonymousPageCacheMixin
from .rendering import conclusions_text, formatted_table
from .views import document_file_response


def _published_report(pk: int) -> Report:
    return get_object_or_404(selectors.published_reports(), pk=pk)


def _published_document(pk: int) -> Document:
    return get_object_or_404(Document.objects.select_related("direction", "stage"), pk=pk, is_published=True)


class QualityIndexView(AnonymousPageCacheMixin, TemplateView):
    template_name = "reports/quality_index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            grid=selectors.quality_grid(user=self.request.user, public=True),
            reports=selectors.published_reports(),
            approved_lists=selectors.public_list_approval(),
            staff_view=is_staff_member(self.request.user),
            **kwargs,
        )


class PublicReportDetailView(AnonymousPageCacheMixin, TemplateView):
    template_name = "reports/public_report_detail.html"

    def get_context_data(self, **kwargs):
        report = _published_report(self.kwargs["pk"])
        data = report.public_data or {}
        keys = [key for s in data.get("sections", [])[1:3] for key in s.get("tables", [])]
        tables = [formatted_table(data["tables"][key]) for key in keys if key in data.get("tables", {})]
        return super().get_context_data(
            report=report, tables=tables, data=data, conclusions=conclusions_text(report, data), **kwargs
        )


class PublicReportFileView(View):
    def get(self, request, pk, what):
        report = _published_report(pk)
        field = report.public_pdf if what == "pdf" else report.public_xlsx
        if not field:
            raise Http404("Файл не сформирован")
        name = f"{report.get_kind_display()} {report.year_label}.{what}".replace("/", "-")
        return file_response(
            field,
            file_type=what,
            download_name=name,
            ascii_name=f"report-{report.kind}-{report.year}-{report.pk}.{what}",
            inline=what == "pdf" and "download" not in request.GET,
        )


class PublicDocumentDetailView(AnonymousPageCacheMixin, TemplateView):
    template_name = "reports/public_document_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(document=_published_document(self.kwargs["pk"]), **kwargs)


class PublicDocumentFileView(View):
    def get(self, request, pk):
        return document_file_response(_published_document(pk), request)

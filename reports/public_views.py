"""The public tab «Управление качеством образования» (/quality/): no login, published material only.

Everything shown here comes from published rows and aggregated counts; report figures come from the masked
copy made at publication (`reports.masking`), never from the internal data. Pages, files and the feed are
served from the anonymous page cache (`reports.public_cache`).
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView

from schools.models import Municipality, Region
from schools.roles import is_staff_member

from . import accessibility, masking, opendata, selectors
from .models import Document, Report
from .public_cache import AnonymousPageCacheMixin, normalized
from .public_figures import municipality_figures, public_figures
from .rendering import report_public_html
from .views import document_file_response, report_file_response


def _published_report(pk: int) -> Report:
    return get_object_or_404(selectors.published_reports(), pk=pk)


def _published_document(pk: int) -> Document:
    return get_object_or_404(Document.objects.select_related("direction", "stage"), pk=pk, is_published=True)


class QualityIndexView(AnonymousPageCacheMixin, TemplateView):
    """Key figures with charts, the published reports (one row each, with versions), the documents grid
    (empty directions left out unless ?empty=1) and the document search (?q=)."""

    template_name = "reports/quality_index.html"
    cache_query_params = ("q", "empty")

    def get_context_data(self, **kwargs):
        query = normalized("q", self.request.GET.get("q", ""))
        show_empty = self.request.GET.get("empty") == "1"
        figures = public_figures()
        return super().get_context_data(
            region=Region.objects.first(),
            figures=figures,
            municipalities=municipality_figures(
                year=figures["years"][-1] if figures["years"] else None, counts=figures["counts"]
            ),
            grid=selectors.quality_grid(user=self.request.user, public=True, show_empty=show_empty),
            reports=selectors.published_report_editions(),
            query=query,
            found=selectors.public_document_search(query=query) if query else None,
            approved_lists=selectors.public_list_approval(),
            staff_view=is_staff_member(self.request.user),
            **kwargs,
        )


class QualityMunicipalityView(AnonymousPageCacheMixin, TemplateView):
    """A municipality's page: its key figures and its published reports (by the municipality's code)."""

    template_name = "reports/quality_municipality.html"

    def get_context_data(self, **kwargs):
        municipality = Municipality.objects.filter(code=self.kwargs["code"]).first()
        if municipality is None:
            raise Http404("Муниципалитет не найден")
        return super().get_context_data(
            municipality=municipality,
            figures=public_figures(municipality_id=municipality.pk),
            reports=selectors.published_report_editions(municipality_id=municipality.pk),
            **kwargs,
        )


class PublicReportDetailView(AnonymousPageCacheMixin, TemplateView):
    """A published report as an HTML page with the same content as its PDF, and its versions."""

    template_name = "reports/public_report_detail.html"

    def get_context_data(self, **kwargs):
        report = _published_report(self.kwargs["pk"])
        body = report.public_html  # rendered at publication; reports published before it are rendered now
        if not body:
            body = report_public_html(report, report.public_data or {})
        editions = selectors.report_editions(report=report)
        current = next((r for r in editions if r.is_current_edition), None)
        return super().get_context_data(
            report=report,
            body=mark_safe(body),  # rendered by our own template from the masked snapshot
            small_count_k=masking.small_count_k(),
            editions=editions,
            current=current,
            **kwargs,
        )


class PublicReportFileView(View):
    def get(self, request, pk, what):
        report = _published_report(pk)
        return report_file_response(
            report, report.public_pdf if what == "pdf" else report.public_xlsx, what, request
        )


class PublicDocumentDetailView(AnonymousPageCacheMixin, TemplateView):
    template_name = "reports/public_document_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(document=_published_document(self.kwargs["pk"]), **kwargs)


class PublicDocumentFileView(View):
    def get(self, request, pk):
        return document_file_response(_published_document(pk), request)


# --- the version for the visually impaired ----------------------------------------------------------
class AccessibilitySwitchView(View):
    """A plain link (no JavaScript, no account) stores the visitor's choice in a cookie and goes back."""

    def get(self, request):
        chosen = accessibility.settings_changed(accessibility.settings_from(request), request.GET)
        response = HttpResponseRedirect(accessibility.safe_next(request))
        response.set_cookie(
            accessibility.COOKIE,
            chosen.cookie_value(),
            max_age=accessibility.COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
        return response


# --- open data --------------------------------------------------------------------------------------
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"


def _file(content: bytes, fmt: str) -> HttpResponse:
    return HttpResponse(content, content_type=CSV_TYPE if fmt == "csv" else JSON_TYPE)


def _data_set(identifier: str) -> opendata.DataSet:
    found = opendata.data_set(identifier)
    if found is None:
        raise Http404("Набор открытых данных не найден")
    return found


class OpenDataIndexView(AnonymousPageCacheMixin, TemplateView):
    template_name = "reports/opendata_index.html"

    def get_context_data(self, **kwargs):
        sets = [{"set": s, "passport": opendata.passport(s)} for s in opendata.DATA_SETS]
        return super().get_context_data(sets=sets, standard=opendata.STANDARD_VERSION, **kwargs)


class OpenDataRegisterView(AnonymousPageCacheMixin, View):
    def get(self, request, fmt):
        return _file(opendata.register_file(fmt), fmt)


class OpenDataPassportView(AnonymousPageCacheMixin, TemplateView):
    template_name = "reports/opendata_passport.html"

    def get_context_data(self, **kwargs):
        data = _data_set(self.kwargs["identifier"])
        return super().get_context_data(
            data_set=data,
            passport=opendata.passport(data),
            structure=data.fields,
            **kwargs,
        )


class OpenDataFileView(AnonymousPageCacheMixin, View):
    """meta, data-<date>-structure-<date> and structure-<date>, as CSV or JSON; an outdated date is 404."""

    def get(self, request, identifier, name, fmt):
        data = _data_set(identifier)
        data_name, structure_name = data.file_names()
        if name == "meta":
            return _file(opendata.meta_file(data, fmt), fmt)
        if name == data_name:
            return _file(opendata.data_file(data, fmt), fmt)
        if name == structure_name:
            return _file(opendata.structure_file(data, fmt), fmt)
        raise Http404("Такого файла в наборе нет: смотрите meta.csv набора")


# --- feed and sitemap -------------------------------------------------------------------------------
class PublicationsFeed(Feed):
    """Atom feed of publications: report editions and documents, newest first."""

    feed_type = Atom1Feed
    link = "/quality/"
    items_limit = 50

    def title(self):
        return f"{settings.PORTAL_TITLE}: публикации"

    def subtitle(self):
        return f"Отчёты и документы, опубликованные {settings.PORTAL_OWNER}"

    def items(self):
        reports = list(selectors.published_reports()[: self.items_limit])
        documents = list(
            Document.objects.filter(is_published=True)
            .select_related("direction", "stage")
            .order_by("-published_at")[: self.items_limit]
        )
        return sorted(reports + documents, key=lambda item: item.published_at, reverse=True)[
            : self.items_limit
        ]

    def item_title(self, item):
        if isinstance(item, Report) and item.edition and item.edition > 1:
            return f"{item.title} (версия {item.edition})"
        return item.title

    def item_description(self, item):
        if isinstance(item, Report):
            return f"{item.get_kind_display()}, {item.year_label} учебный год."
        return f"{item.get_kind_display().capitalize()} документ. {item.direction}; {item.stage}."

    def item_link(self, item):
        if isinstance(item, Report):
            return item.get_public_url()
        return reverse("quality:document-detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at


class CachedFeedView(AnonymousPageCacheMixin, View):
    def get(self, request):
        return PublicationsFeed()(request)


class SitemapView(AnonymousPageCacheMixin, TemplateView):
    """sitemap.xml of the public tab: its pages, every published report and document, the open data."""

    template_name = "reports/sitemap.xml"
    content_type = "application/xml; charset=utf-8"

    def get_context_data(self, **kwargs):
        return super().get_context_data(urls=selectors.public_addresses(), site=settings.SITE_URL, **kwargs)

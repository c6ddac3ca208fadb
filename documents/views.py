"""Staff pages: the orders register, a draft from data, editing and signing, corrections, templates."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from reports.files import file_response
from schools.error_pages import ApplicationErrorFormMixin
from schools.permissions import StaffRequiredMixin
from schools.versioning import form_save, model_values

from . import rendering, selectors, services
from .contexts import COLUMNS, document_context
from .forms import CalendarEventForm, OrderDraftForm, OrderEditForm, OrderSignForm, TemplateUploadForm
from .models import DocumentKind, DocumentTemplate, Order


class OrderListView(StaffRequiredMixin, TemplateView):
    template_name = "documents/order_list.html"

    def get_context_data(self, **kwargs):
        get = self.request.GET
        year = get.get("year", "")
        orders = selectors.order_list_filtered(
            user=self.request.user,
            search=get.get("q", "").strip(),
            kind=get.get("kind", ""),
            status=get.get("status", ""),
            year=int(year) if year.isdigit() else None,
        )
        return super().get_context_data(
            page_obj=Paginator(orders, 25).get_page(get.get("page")),
            q=get.get("q", ""),
            kind=get.get("kind", ""),
            status=get.get("status", ""),
            year=year,
            kinds=DocumentKind.choices,
            statuses=Order.Status.choices,
            years=selectors.order_years(),
            **kwargs,
        )


class OrderCreateView(StaffRequiredMixin, ApplicationErrorFormMixin, FormView):
    template_name = "documents/order_create.html"
    form_class = OrderDraftForm

    def get_initial(self):
        return {"document_kind": self.request.GET.get("kind", DocumentKind.LISTS)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        params = None
        if data["document_kind"] == DocumentKind.PROTOCOL:
            params = services.protocol_params(
                **{
                    k: data[k]
                    for k in (
                        "meeting",
                        "chair",
                        "secretary",
                        "attendees",
                        "agenda",
                        "decisions",
                        "decision_kind",
                    )
                }
            )
        order = services.order_draft_create(
            user=self.request.user,
            document_kind=data["document_kind"],
            year=data["year"],
            campaign=data["campaign"],
            roadmap=data["roadmap"],
            procedure=data["procedure"],
            params=params,
            municipality=data.get("municipality"),
        )
        messages.success(self.request, "Проект документа составлен по данным портала.")
        return redirect(order.get_absolute_url())


class OrderDetailView(StaffRequiredMixin, TemplateView):
    template_name = "documents/order_detail.html"

    def get_context_data(self, **kwargs):
        order = selectors.order_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        context = document_context(order)
        columns = COLUMNS[order.document_kind]
        appendices = [
            {**a, "cells": [[(header, row.get(key, "")) for header, key in columns] for row in a["rows"]]}
            for a in context["appendices"]
        ]
        difference = None
        if order.document_kind == DocumentKind.LISTS and order.is_signed:
            found = selectors.list_difference(year=order.year, municipality_id=order.municipality_id)
            difference = found if found and found["order"].pk == order.pk else None
        return super().get_context_data(
            order=order,
            doc=context,
            appendices=appendices,
            headers=[h for h, _ in columns],
            sign_form=OrderSignForm(
                initial={"number": order.number, "date": order.date, "version": order.version}
            ),
            difference=difference,
            followers=order.followers.order_by("-date", "-pk"),
            in_force=selectors.orders_in_force(Order.objects.filter(pk=order.pk)).exists(),
            **kwargs,
        )


class OrderEditView(StaffRequiredMixin, FormView):
    template_name = "documents/order_edit.html"
    form_class = OrderEditForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.allows(request.user):
            self.order = selectors.order_get_visible(user=request.user, pk=kwargs["pk"])
            services._refuse_signed(self.order)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.order}

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.order, **kwargs)

    def form_valid(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        saved, conflict = form_save(
            form,
            lambda: services.order_update(
                order=Order.objects.get(pk=self.order.pk),
                user=self.request.user,
                version=form.cleaned_data.get("version"),
                **fields,
            ),
            theirs=lambda current: model_values(current, fields),
        )
        if saved is None:  # refused or stale: the form again, with both versions side by side if stale
            return self.render_to_response(self.get_context_data(form=form, conflict=conflict))
        messages.success(self.request, "Реквизиты проекта сохранены, DOCX составлен заново.")
        return redirect(self.order.get_absolute_url())


class OrderSignView(StaffRequiredMixin, View):
    def post(self, request, pk):
        order = selectors.order_get_visible(user=request.user, pk=pk)
        form = OrderSignForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(order.get_absolute_url())
        services.order_sign(
            order=order,
            user=request.user,
            number=form.cleaned_data["number"],
            date=form.cleaned_data["date"],
            version=form.cleaned_data.get("version"),
        )
        messages.success(
            request, f"Приказ подписан: {order.reference}. Изменить его можно только новым приказом."
        )
        return redirect(order.get_absolute_url())


class OrderRefreshView(StaffRequiredMixin, View):
    def post(self, request, pk):
        order = selectors.order_get_visible(user=request.user, pk=pk)
        services.order_refresh(order=order, user=request.user)
        messages.success(request, "Проект составлен заново по текущим данным.")
        return redirect(order.get_absolute_url())


class OrderFollowUpView(StaffRequiredMixin, View):
    """«О внесении изменений…» or «О признании утратившим силу…» for a signed order."""

    action = "correction"

    def post(self, request, pk):
        original = selectors.order_get_visible(user=request.user, pk=pk)
        create = (
            services.order_correction_create
            if self.action == "correction"
            else services.order_withdrawal_create
        )
        order = create(original=original, user=request.user)
        messages.success(request, f"Составлен проект приказа «{order.title}».")
        return redirect(order.get_absolute_url())


class OrderFileView(StaffRequiredMixin, View):
    """The order's DOCX, its PDF (kept at signing; a draft's is drawn now) or the calendar's .ics."""

    def get(self, request, pk, fmt):
        order = selectors.order_get_visible(user=request.user, pk=pk)
        label = "Приказ" if order.data.get("heading", "ПРИКАЗ") == "ПРИКАЗ" else "Документ"
        name = f"{label} {order.number or 'проект'}".replace("/", "-")
        if fmt == "docx":
            return file_response(
                order.docx,
                file_type="docx",
                download_name=f"{name}.docx",
                ascii_name=f"order-{order.pk}.docx",
            )
        if fmt == "pdf" and order.pdf:
            return file_response(
                order.pdf,
                file_type="pdf",
                download_name=f"{name}.pdf",
                ascii_name=f"order-{order.pk}.pdf",
                inline=True,
            )
        if fmt == "pdf":
            pdf = rendering.render_pdf_bytes(kind=order.document_kind, context=document_context(order))
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="order-{order.pk}.pdf"'
            return response
        if fmt != "ics" or order.document_kind != DocumentKind.CALENDAR:
            raise Http404("Такого файла у документа нет")
        rows = order.data["appendices"][0]["rows"] if order.data.get("appendices") else []
        response = HttpResponse(
            rendering.render_ics(title=order.title, rows=rows), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="calendar-{order.year}.ics"'
        return response


class TemplateListView(StaffRequiredMixin, ApplicationErrorFormMixin, FormView):
    template_name = "documents/templates.html"
    form_class = TemplateUploadForm

    def get_context_data(self, **kwargs):
        from .contexts import template_fields

        return super().get_context_data(
            templates=selectors.template_list(),
            fields={label: sorted(template_fields(value)) for value, label in DocumentKind.choices},
            columns={DocumentKind(k).label: v for k, v in COLUMNS.items() if v},
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        services.template_upload(
            kind=form.cleaned_data["kind"],
            content=upload.read(),
            file_name=upload.name,
            title=form.cleaned_data["title"],
            user=self.request.user,
        )
        messages.success(
            self.request, "Шаблон проверен и сохранён: новые проекты этого вида будут составляться по нему."
        )
        return redirect(reverse("documents:templates"))


class TemplateDownloadView(StaffRequiredMixin, View):
    def get(self, request, pk):
        template = DocumentTemplate.objects.filter(pk=pk).first()
        if template is None:
            raise Http404("Шаблон не найден")
        response = HttpResponse(
            bytes(template.content),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="template-{template.kind}-{template.pk}.docx"'
        )
        return response


class CalendarEventListView(StaffRequiredMixin, ApplicationErrorFormMixin, FormView):
    """The dated events staff keep for the circulogram (procedure dates, meetings), and a form to add one."""

    template_name = "documents/calendar_events.html"
    form_class = CalendarEventForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(events=selectors.calendar_event_list(), **kwargs)

    def form_valid(self, form):
        services.calendar_event_create(user=self.request.user, **form.cleaned_data)
        messages.success(self.request, "Событие добавлено: оно войдёт в циклограмму учебного года.")
        return redirect(reverse("documents:calendar-events"))

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from schools.error_pages import ApplicationErrorFormMixin, refusal_returns_to
from schools.exports import xlsx_response
from schools.flash import message_near
from schools.permissions import MunicipalityFilterMixin, PortalUserRequiredMixin, StaffRequiredMixin
from schools.roles import is_staff_member, principal_school_id
from schools.selectors import school_list_visible_to
from schools.tabular import ImportFailed
from schools.versioning import form_save

from . import selectors, services
from .forms import (
    DecisionForm,
    DirectionForm,
    ItemProgressForm,
    RecommendationAnswerForm,
    RecommendationForm,
    RoadmapForm,
    RoadmapImportForm,
    RoadmapItemForm,
    StageDutyForm,
)
from .models import Direction, ManagementDecision, Recommendation, Roadmap, RoadmapItem, StageDuty

PROGRAMMES_PAGE_SIZE = 50


class RoadmapIndexView(StaffRequiredMixin, MunicipalityFilterMixin, TemplateView):
    template_name = "roadmaps/index.html"
    municipality_lookup = "municipality__code"  # a programme's roadmap carries its school's municipality

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        roadmaps = self.filter_by_municipality(
            selectors.roadmap_list_with_progress(user=self.request.user, today=today)
        ).order_by("kind", "school__code", "title")
        # a region has a programme for every ШНОР school: hundreds, shown a page at a time
        programmes = Paginator(roadmaps.filter(kind=Roadmap.Kind.SCHOOL), PROGRAMMES_PAGE_SIZE)
        return super().get_context_data(
            municipal=list(roadmaps.filter(kind=Roadmap.Kind.MUNICIPAL)),
            programmes=programmes.get_page(self.request.GET.get("page")),
            deadlines=selectors.deadlines_for(user=self.request.user, today=today),
            recommendation_counts=selectors.recommendation_counts(user=self.request.user),
            today=today,
            **kwargs,
        )


class MySchoolView(PortalUserRequiredMixin, TemplateView):
    """The principal's entry point: their school's support programmes and recommendations."""

    template_name = "roadmaps/my_school.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and is_staff_member(request.user):
            return redirect("roadmaps:index")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        return super().get_context_data(
            school_id=principal_school_id(user),
            roadmaps=selectors.roadmap_list_with_progress(user=user, today=today),
            recommendations=selectors.recommendation_list_visible_to(user=user).order_by(
                "answered_at", "due_date"
            ),
            deadlines=selectors.deadlines_for(user=user, today=today),
            today=today,
            **kwargs,
        )


class RoadmapDetailView(PortalUserRequiredMixin, TemplateView):
    template_name = "roadmaps/roadmap_detail.html"

    def get_context_data(self, **kwargs):
        roadmap = selectors.roadmap_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        today = timezone.localdate()
        stages = selectors.roadmap_items_by_stage(roadmap=roadmap)
        for group in stages:
            for item in group["items"]:
                item.deadline_state = selectors.deadline_state(item, today)
                item.progress_form = ItemProgressForm(
                    initial={
                        "status": item.status,
                        "evidence": item.evidence,
                        "completed_on": item.completed_on,
                        "version": item.version,
                    },
                    prefix=f"item{item.pk}",
                )
        archived = (
            selectors.roadmap_archived_items(roadmap=roadmap) if is_staff_member(self.request.user) else []
        )
        return super().get_context_data(
            roadmap=roadmap, stages=stages, today=today, archived_items=archived, **kwargs
        )


class VersionedFormView(StaffRequiredMixin, View):
    """Create or edit one record with a versioned model form: `get_object()` is the record (404 outside the
    user's scope), `save(form)` the service call. A refusal shows on the form, a stale version beside it
    (409); a saved record is announced (`announce`) and opened."""

    template_name = ""
    form_class: type | None = None

    def get_object(self):
        raise NotImplementedError

    def form_kwargs(self, instance) -> dict:
        return {"instance": instance, "user": self.request.user}

    def initial(self, instance) -> dict:
        return {}

    def save(self, form):
        raise NotImplementedError

    def announce(self, saved) -> None:
        raise NotImplementedError

    def context(self, form, instance) -> dict:
        return {"form": form}

    def get(self, request, *args, **kwargs):
        instance = self.get_object()
        form = self.form_class(initial=self.initial(instance), **self.form_kwargs(instance))
        return self.render(form, instance)

    def post(self, request, *args, **kwargs):
        instance = self.get_object()
        form = self.form_class(request.POST, **self.form_kwargs(instance))
        conflict = None
        if form.is_valid():
            saved, conflict = form_save(form, lambda: self.save(form))
            if saved:
                self.announce(saved)
                return redirect(saved.get_absolute_url())
        return self.render(form, instance, conflict)

    def render(self, form, instance, conflict=None):
        return render(
            self.request,
            self.template_name,
            {**self.context(form, instance), "conflict": conflict},
            status=409 if conflict else 200,
        )


class RoadmapEditMixin(VersionedFormView):
    template_name = "roadmaps/roadmap_form.html"
    form_class = RoadmapForm

    def get_object(self):
        return None

    def save(self, form):
        return services.roadmap_save(
            roadmap=form.save(commit=False),
            directions=form.cleaned_data["directions"],
            user=self.request.user,
            version=form.cleaned_data["version"],
        )

    def announce(self, saved) -> None:
        messages.success(self.request, "Дорожная карта сохранена.")

    def context(self, form, roadmap) -> dict:
        return {"form": form, "roadmap": roadmap}


class RoadmapCreateView(RoadmapEditMixin):
    def initial(self, instance) -> dict:
        kind = self.request.GET.get("kind")
        initial = {"kind": kind} if kind in Roadmap.Kind.values else {}
        if code := self.request.GET.get("school"):
            school = school_list_visible_to(user=self.request.user).filter(code=code).first()
            if school:
                initial.update(
                    kind=Roadmap.Kind.SCHOOL, school=school, title=f"Программа помощи: {school.display_name}"
                )
        return initial


class RoadmapUpdateView(RoadmapEditMixin):
    def get_object(self):
        return get_object_or_404(
            selectors.roadmap_list_visible_to(user=self.request.user), pk=self.kwargs["pk"]
        )


class RoadmapExportView(PortalUserRequiredMixin, View):
    def get(self, request, pk):
        roadmap = selectors.roadmap_get_visible(user=request.user, pk=pk)
        name = (
            f"дорожная-карта-{roadmap.pk}.xlsx"
            if not roadmap.school_id
            else f"программа-{roadmap.school.code}.xlsx"
        )
        return xlsx_response(services.roadmap_export_bytes(roadmap), name)


class RoadmapImportView(StaffRequiredMixin, ApplicationErrorFormMixin, FormView):
    template_name = "roadmaps/roadmap_import.html"
    form_class = RoadmapImportForm

    @cached_property
    def roadmap(self):  # looked up after the access checks of dispatch (a stranger is sent to log in)
        return get_object_or_404(
            selectors.roadmap_list_visible_to(user=self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(roadmap=self.roadmap, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        summary = services.roadmap_items_import(
            roadmap=self.roadmap,
            file=upload,
            file_name=upload.name,
            user=self.request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        messages.success(self.request, summary.text())
        if summary.dry_run:
            return self.render_to_response(self.get_context_data(form=form, summary=summary))
        return redirect(self.roadmap.get_absolute_url())

    def form_refused(self, form, error):
        """A refused file: the page lists every row error under the form."""
        if not isinstance(error, ImportFailed):
            return super().form_refused(form, error)
        return self.render_to_response(self.get_context_data(form=form, errors=error.errors))


class RoadmapItemEditView(VersionedFormView):
    template_name = "roadmaps/item_form.html"
    form_class = RoadmapItemForm

    def get_object(self):
        if "item_pk" in self.kwargs:
            return get_object_or_404(
                selectors.item_list_visible_to(user=self.request.user), pk=self.kwargs["item_pk"]
            )
        roadmap = get_object_or_404(
            selectors.roadmap_list_visible_to(user=self.request.user), pk=self.kwargs["pk"]
        )
        return RoadmapItem(roadmap=roadmap)

    def form_kwargs(self, item) -> dict:
        return {"instance": item, "roadmap": item.roadmap}

    def initial(self, item) -> dict:
        stage = self.request.GET.get("stage")
        return {"stage": stage} if not item.pk and stage else {}

    def save(self, form):
        return services.roadmap_item_save(
            item=form.save(commit=False),
            responsible_users=form.cleaned_data["responsible_users"],
            user=self.request.user,
            version=form.cleaned_data["version"],
        )

    def announce(self, saved) -> None:
        messages.success(
            self.request, f"Мероприятие № {saved.number} сохранено.", extra_tags=message_near(saved.anchor)
        )

    def context(self, form, item) -> dict:
        return {"form": form, "roadmap": item.roadmap, "item": item}


class RoadmapItemArchiveView(StaffRequiredMixin, View):
    """Archive (or, with restore=1, bring back) an item: staff never delete items."""

    def post(self, request, item_pk):
        visible = selectors.roadmap_list_visible_to(user=request.user).values("pk")
        item = get_object_or_404(
            RoadmapItem.all_objects.select_related("roadmap").filter(roadmap__in=visible), pk=item_pk
        )
        restore = request.POST.get("restore") == "1"
        refusal_returns_to(request, item.roadmap.get_absolute_url())
        if restore:
            services.roadmap_item_restore(item=item, user=request.user)
        else:
            services.roadmap_item_archive(item=item, user=request.user)
        done = "возвращено из архива" if restore else "отправлено в архив"
        messages.success(request, f"Мероприятие № {item.number} {done}.")
        return redirect(item.roadmap.get_absolute_url())


class ItemProgressView(PortalUserRequiredMixin, View):
    """A principal (or staff) reports progress: status, evidence links, completion date."""

    def post(self, request, item_pk):
        item = selectors.item_get_visible(user=request.user, pk=item_pk)
        form = ItemProgressForm(request.POST, prefix=f"item{item.pk}")
        near = message_near(item.anchor)
        if form.is_valid():
            _, conflict = form_save(
                form,
                lambda: services.roadmap_item_progress_update(
                    item=item,
                    user=request.user,
                    status=form.cleaned_data["status"],
                    evidence=form.cleaned_data["evidence"],
                    completed_on=form.cleaned_data["completed_on"],
                    version=form.cleaned_data["version"],
                ),
                theirs=lambda current: {
                    "status": current.status,
                    "evidence": current.evidence,
                    "completed_on": current.completed_on,
                },
            )
            if conflict:
                return render(
                    request,
                    "roadmaps/item_progress_conflict.html",
                    {"item": conflict.current, "form": form, "conflict": conflict},
                    status=409,
                )
        if form.errors:  # refused by the form or by the service
            text = " ".join(e for errors in form.errors.values() for e in errors)
            messages.error(request, f"Мероприятие № {item.number}: {text}", extra_tags=near)
        else:
            messages.success(request, f"Мероприятие № {item.number}: отметка сохранена.", extra_tags=near)
        return redirect(item.get_absolute_url())


class DirectionListView(StaffRequiredMixin, TemplateView):
    template_name = "roadmaps/directions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            matrix=selectors.responsibility_matrix(), stages=list(selectors.stage_list()), **kwargs
        )


class DirectionUpdateView(StaffRequiredMixin, View):
    template_name = "roadmaps/simple_form.html"

    def get(self, request, pk):
        direction = get_object_or_404(Direction, pk=pk)
        return self.render(DirectionForm(instance=direction), direction)

    def post(self, request, pk):
        direction = get_object_or_404(Direction, pk=pk)
        form = DirectionForm(request.POST, instance=direction)
        if form.is_valid():
            form.save()
            messages.success(request, f"Направление {direction.code} сохранено.")
            return redirect("roadmaps:directions")
        return self.render(form, direction)

    def render(self, form, direction):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "heading": f"Направление {direction.code}",
                "back_url": reverse("roadmaps:directions"),
            },
        )


class StageDutyUpdateView(DirectionUpdateView):
    def get(self, request, pk):
        duty = get_object_or_404(StageDuty.objects.select_related("direction", "stage"), pk=pk)
        return self.render(StageDutyForm(instance=duty), duty)

    def post(self, request, pk):
        duty = get_object_or_404(StageDuty.objects.select_related("direction", "stage"), pk=pk)
        form = StageDutyForm(request.POST, instance=duty)
        if form.is_valid():
            form.save()
            messages.success(request, "Обязанности сохранены.")
            return redirect("roadmaps:directions")
        return self.render(form, duty)

    def render(self, form, duty):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "heading": f"Направление {duty.direction.code}, этап {duty.stage}",
                "back_url": reverse("roadmaps:directions"),
            },
        )


RECOMMENDATION_FILTERS = {
    "unanswered": Q(status=Recommendation.Status.SENT),
    "answered": Q(answered_at__isnull=False),
    "draft": Q(status=Recommendation.Status.DRAFT),
}


class RecommendationListView(PortalUserRequiredMixin, MunicipalityFilterMixin, ListView):
    template_name = "roadmaps/recommendation_list.html"
    context_object_name = "recommendations"
    paginate_by = 30

    def get_queryset(self):
        queryset = self.filter_by_municipality(
            selectors.recommendation_list_visible_to(user=self.request.user)
        )
        self.state = self.request.GET.get("state", "")
        if self.state in RECOMMENDATION_FILTERS:
            queryset = queryset.filter(RECOMMENDATION_FILTERS[self.state])
        if code := self.request.GET.get("school", "").strip():
            queryset = queryset.filter(school__code=code)
        return queryset.order_by("-created_at")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            state=self.state,
            today=timezone.localdate(),
            indicator_names=selectors.indicator_names(),
            **kwargs,
        )


class VersionedFormEditView(VersionedFormView):
    """A record edited on roadmaps/simple_form.html: it comes from `visible()` (404 outside the user's
    scope); the page has a heading for a new and an existing record and a link back to the list."""

    template_name = "roadmaps/simple_form.html"
    model: type | None = None
    headings = ("", "")  # (editing an existing record, creating a new one)
    back_url_name = ""
    saved_message = ""

    def visible(self):
        raise NotImplementedError

    def get_object(self):
        if "pk" in self.kwargs:
            return get_object_or_404(self.visible(), pk=self.kwargs["pk"])
        return self.model()

    def announce(self, saved) -> None:
        messages.success(self.request, self.saved_message)

    def context(self, form, instance) -> dict:
        return {
            "form": form,
            "heading": self.headings[0] if instance.pk else self.headings[1],
            "back_url": reverse(self.back_url_name),
        }


class RecommendationEditView(VersionedFormEditView):
    model = Recommendation
    form_class = RecommendationForm
    headings = ("Рекомендация", "Новая адресная рекомендация")
    back_url_name = "roadmaps:recommendations"
    saved_message = "Рекомендация сохранена."

    def visible(self):
        return selectors.recommendation_list_visible_to(user=self.request.user)

    def initial(self, instance) -> dict:
        initial = {}
        if not instance.pk:
            for key in ("source_kind", "source_ref", "problem_area", "year"):
                if self.request.GET.get(key):
                    initial[key] = self.request.GET[key]
            if code := self.request.GET.get("school"):
                initial["school"] = selectors_school(code, self.request.user)
        return initial

    def save(self, form):
        return services.recommendation_save(
            recommendation=form.save(commit=False),
            user=self.request.user,
            version=form.cleaned_data["version"],
        )


def selectors_school(code: str, user):
    return school_list_visible_to(user=user).filter(code=code).first()


class RecommendationDetailView(PortalUserRequiredMixin, View):
    template_name = "roadmaps/recommendation_detail.html"

    def get(self, request, pk):
        recommendation = selectors.recommendation_get_visible(user=request.user, pk=pk)
        form = RecommendationAnswerForm(
            initial={
                "answer": recommendation.answer,
                "evidence": recommendation.answer_evidence,
                "version": recommendation.version,
            }
        )
        return self.render(recommendation, form)

    def post(self, request, pk):
        recommendation = selectors.recommendation_get_visible(user=request.user, pk=pk)
        form = RecommendationAnswerForm(request.POST)
        conflict = None
        if form.is_valid():
            saved, conflict = form_save(
                form,
                lambda: services.recommendation_answer(
                    recommendation=recommendation,
                    user=request.user,
                    answer=form.cleaned_data["answer"],
                    evidence=form.cleaned_data["evidence"],
                    version=form.cleaned_data["version"],
                ),
                theirs=lambda current: {"answer": current.answer, "evidence": current.answer_evidence},
            )
            if saved is None:
                recommendation.refresh_from_db()  # the page shows what is saved now beside the form
            else:
                messages.success(request, "Ответ сохранён.")
                return redirect(recommendation.get_absolute_url())
        return self.render(recommendation, form, conflict)

    def render(self, recommendation, form, conflict=None):
        refusal = services.recommendation_answer_refusal(
            recommendation=recommendation, user=self.request.user
        )
        return render(
            self.request,
            self.template_name,
            {
                "recommendation": recommendation,
                "indicator_names": selectors.indicator_names(),
                "form": form,
                "can_answer": refusal is None,
                "answer_refusal": refusal if recommendation.school_id else None,
                "conflict": conflict,
                "decisions": recommendation.decisions.all() if is_staff_member(self.request.user) else [],
            },
            status=409 if conflict else 200,
        )


class DecisionListView(PortalUserRequiredMixin, MunicipalityFilterMixin, ListView):
    template_name = "roadmaps/decision_list.html"
    context_object_name = "decisions"
    paginate_by = 30
    municipality_lookup = "schools__municipality__code"

    def get_queryset(self):
        queryset = self.filter_by_municipality(selectors.decision_list_visible_to(user=self.request.user))
        year = self.request.GET.get("year", "")
        if year.isdigit():
            queryset = queryset.filter(year=int(year))
        return queryset


class DecisionEditView(VersionedFormEditView):
    model = ManagementDecision
    form_class = DecisionForm
    headings = ("Управленческое решение", "Новое управленческое решение")
    back_url_name = "roadmaps:decisions"
    saved_message = "Управленческое решение сохранено."

    def visible(self):
        return selectors.decision_list_visible_to(user=self.request.user)

    def initial(self, instance) -> dict:
        initial = {}
        if not instance.pk and (rec := self.request.GET.get("recommendation", "")).isdigit():
            recommendations = selectors.recommendation_list_visible_to(user=self.request.user)
            recommendation = recommendations.filter(pk=int(rec)).first()
            if recommendation:
                initial["recommendations"] = [recommendation]
                initial["schools"] = [recommendation.school] if recommendation.school_id else []
        return initial

    def save(self, form):
        return services.decision_save(
            decision=form.save(commit=False),
            user=self.request.user,
            schools=form.cleaned_data["schools"],
            recommendations=form.cleaned_data["recommendations"],
            version=form.cleaned_data["version"],
        )


class DecisionDetailView(PortalUserRequiredMixin, TemplateView):
    template_name = "roadmaps/decision_detail.html"

    def get_context_data(self, **kwargs):
        decision = selectors.decision_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        recommendations = selectors.recommendation_list_visible_to(user=self.request.user).filter(
            decisions=decision
        )
        return super().get_context_data(decision=decision, recommendations=recommendations, **kwargs)


class SchoolRoutesCreateView(StaffRequiredMixin, View):
    """«Создать ИОМ для педагогов низкого уровня»: one action, safe to repeat (no duplicate items)."""

    def post(self, request, code):
        from schools.selectors import school_get_visible

        from .services.routes import individual_routes_create

        school = school_get_visible(user=request.user, code=code)
        refusal_returns_to(request, school.get_absolute_url())
        outcome = individual_routes_create(school=school, user=request.user)
        messages.success(request, outcome.text())
        return redirect(outcome.roadmap.get_absolute_url())

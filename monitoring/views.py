"""Pages of the monitoring: campaigns (staff), the principal's card, verification, results, templates."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from schools.error_pages import ApplicationErrorFormMixin, refusal_returns_to
from schools.exports import xlsx_response
from schools.forms import int_param
from schools.permissions import MunicipalityFilterMixin, PortalUserRequiredMixin, StaffRequiredMixin
from schools.roles import is_staff_member

from . import charts as charts_module
from . import selectors, services
from .exports import campaign_results_xlsx
from .forms import (
    CampaignForm,
    ParticipantsForm,
    ReopenForm,
    ReturnForm,
    TemplateCreateForm,
    TemplateUploadForm,
)
from .models import ANSWER_INPUTS, CardAnswer, Criterion, ExpertCard
from .rules import principal_deadline


class CampaignListView(StaffRequiredMixin, TemplateView):
    template_name = "monitoring/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            campaigns=selectors.campaign_list_visible_to(user=self.request.user),
            templates=selectors.template_list(),
            **kwargs,
        )


class CampaignCreateView(StaffRequiredMixin, ApplicationErrorFormMixin, FormView):
    template_name = "monitoring/campaign_form.html"

    def get_form(self, form_class=None):
        return CampaignForm(self.request.POST or None, creating=True)

    def form_valid(self, form):
        data = form.cleaned_data
        campaign = services.campaign_create(
            year=data["year"],
            template=data["template"],
            user=self.request.user,
            title=data["title"],
            self_assessment_due=data["self_assessment_due"],
            verification_due=data["verification_due"],
            evaluation_due=data["evaluation_due"],
            reminder_days=data["reminder_days"],
            revision_days=data["revision_days"],
            school_ids=None if data["default_participants"] else [],
        )
        messages.success(self.request, f"Мониторинг создан, участников: {campaign.cards.count()}.")
        return redirect(campaign)


class CampaignUpdateView(StaffRequiredMixin, ApplicationErrorFormMixin, FormView):
    template_name = "monitoring/campaign_form.html"

    @cached_property
    def campaign(self):  # looked up after the access checks of dispatch (a stranger is sent to log in)
        return get_object_or_404(
            selectors.campaign_list_visible_to(user=self.request.user), pk=self.kwargs["pk"]
        )

    def get_form(self, form_class=None):
        return CampaignForm(self.request.POST or None, instance=self.campaign)

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)

    def form_valid(self, form):
        services.campaign_update(campaign=self.campaign, **form.cleaned_data)
        messages.success(self.request, "Сроки и настройки мониторинга сохранены.")
        return redirect(self.campaign)


class CampaignDetailView(StaffRequiredMixin, MunicipalityFilterMixin, TemplateView):
    template_name = "monitoring/campaign_detail.html"

    def get_context_data(self, **kwargs):
        campaign = get_object_or_404(
            selectors.campaign_list_visible_to(user=self.request.user), pk=self.kwargs["pk"]
        )
        dashboard = selectors.campaign_dashboard(
            campaign=campaign, user=self.request.user, municipality=self.municipality_filter["chosen"]
        )
        charts = [charts_module.campaign_progress_chart(counts=dashboard["counts"])]
        if dashboard["cards"]:
            charts.append(charts_module.campaign_levels_chart(cards=dashboard["cards"]))
        return super().get_context_data(
            campaign=campaign,
            participants_form=ParticipantsForm(campaign=campaign, user=self.request.user),
            charts=charts,
            **dashboard,
            **kwargs,
        )


class CampaignParticipantsView(StaffRequiredMixin, View):
    def post(self, request, pk):
        campaign = get_object_or_404(selectors.campaign_list_visible_to(user=request.user), pk=pk)
        if "remove" in request.POST:
            services.campaign_participants_remove(campaign=campaign, school_ids=[request.POST["remove"]])
            messages.success(request, "Школа исключена из мониторинга.")
            return redirect(campaign)
        form = ParticipantsForm(request.POST, campaign=campaign, user=request.user)
        if form.is_valid():
            ids = [item.pk for item in form.cleaned_data["add"]]
            added = services.campaign_participants_add(
                campaign=campaign, school_ids=ids, municipality_ids=ids, user=request.user
            )
            messages.success(request, f"Добавлено участников: {len(added)}.")
        else:
            messages.error(request, "Выберите школы из списка.")
        return redirect(campaign)


class CampaignRefreshView(StaffRequiredMixin, View):
    def post(self, request, pk):
        campaign = get_object_or_404(selectors.campaign_list_visible_to(user=request.user), pk=pk)
        changed = services.campaign_refresh_computed(campaign=campaign)
        messages.success(request, f"Расчёт по результатам обновлён, изменилось ответов: {changed}.")
        return redirect(campaign)


class CampaignResultsView(StaffRequiredMixin, TemplateView):
    template_name = "monitoring/campaign_results.html"

    def get_context_data(self, **kwargs):
        campaign = get_object_or_404(
            selectors.campaign_list_visible_to(user=self.request.user), pk=self.kwargs["pk"]
        )
        results = selectors.campaign_results(campaign=campaign, user=self.request.user)
        chart = charts_module.campaign_comparison_chart(rows=results["rows"], previous=results["previous"])
        return super().get_context_data(campaign=campaign, chart=chart, **results, **kwargs)


class CampaignExportView(StaffRequiredMixin, View):
    def get(self, request, pk):
        campaign = get_object_or_404(selectors.campaign_list_visible_to(user=request.user), pk=pk)
        return xlsx_response(
            campaign_results_xlsx(campaign, user=request.user),
            f"monitoring-{campaign.year}-{campaign.pk}.xlsx",
        )


# --- the card -----------------------------------------------------------------------------------


class MyCardsView(PortalUserRequiredMixin, TemplateView):
    """The principal's entry point: their school's cards, the open one first."""

    template_name = "monitoring/my_cards.html"

    def get(self, request, *args, **kwargs):
        if is_staff_member(request.user):
            return redirect("monitoring:index")
        cards = list(selectors.principal_cards(user=request.user))
        open_cards = [c for c in cards if selectors.card_actions(card=c, user=request.user).fill]
        if len(open_cards) == 1:
            return redirect(open_cards[0])
        return self.render_to_response(self.get_context_data(cards=cards))


def _card_context(request, card: ExpertCard) -> dict:
    deadline = principal_deadline(card)
    actions = selectors.card_actions(card=card, user=request.user)
    sections = selectors.card_rows(card=card)
    return {
        "card": card,
        "actions": actions,
        "sections": sections,
        "claimed_score": selectors.card_claimed_score(card=card, sections=sections),
        "levels": selectors.card_levels(card),
        "history": selectors.card_history(card=card),
        "is_staff_view": is_staff_member(request.user),
        "to_check": _verification_progress(card) if actions.verdicts else None,
        "deadline": deadline,
        "overdue": selectors.is_overdue(card),
        "return_form": ReturnForm(),
        "reopen_form": ReopenForm(initial={"until": deadline}),
        "kinds": Criterion.Kind,
        "verdicts": CardAnswer.Verdict,
    }


def _verification_progress(card: ExpertCard) -> dict:
    """The verifier's counter: claimed points still without a decision, and those the computation backs."""
    claimed = [a for a in card.answers.all() if a.claimed]
    return {
        "claimed": len(claimed),
        "left": sum(1 for a in claimed if a.verdict == CardAnswer.Verdict.PENDING),
        "agreeing": len(services.agreeing_codes(card)),
    }


class CardDetailView(PortalUserRequiredMixin, TemplateView):
    template_name = "monitoring/card_detail.html"

    def get_context_data(self, **kwargs):
        card = selectors.card_get_visible(user=self.request.user, card_id=self.kwargs["pk"])
        return super().get_context_data(**_card_context(self.request, card), **kwargs)


def answers_from_post(post) -> list[dict]:
    """Form fields a-<code>-<field> → [{"criterion": code, field: value}] (the no-JavaScript path)."""
    answers: dict[str, dict] = {}
    for key in post:
        if key.startswith("a-") and key.count("-") >= 2:
            code, field = key[2:].rsplit("-", 1)
            if field in ANSWER_INPUTS:
                answers.setdefault(code, {"criterion": code})[field] = post.get(key)
    for code in post.getlist("present"):  # an unticked checkbox is absent from the POST
        answers.setdefault(code, {"criterion": code}).setdefault("claimed", False)
    return list(answers.values())


class CardSaveView(LoginRequiredMixin, View):
    """Autosave endpoint (JSON from card.js) and the plain form save; answers 409 on a conflict."""

    def post(self, request, pk):
        card = selectors.card_get_visible(user=request.user, card_id=pk, for_save=True)
        is_json = request.content_type == "application/json"
        try:
            payload = (
                json.loads(request.body)
                if is_json
                else {"version": request.POST.get("version"), "answers": answers_from_post(request.POST)}
            )
            version = int(payload.get("version"))
            answers = list(payload.get("answers") or [])
        except (ValueError, TypeError, AttributeError):
            return JsonResponse({"ok": False, "error": "Неверный запрос."}, status=400)
        try:
            card, errors = services.card_save_valid_fields(
                card_id=card.pk, card=card, user=request.user, version=version, answers=answers
            )
        except services.CardError as error:  # card.js reads its own JSON; a form save shows the card again
            if not is_json:
                return _refused_page(request, card, error, answers=answers)
            status = 409 if isinstance(error, services.CardConflict) else 400
            return JsonResponse({"ok": False, "error": error.message, "errors": error.errors}, status=status)
        check = not is_json and "check" in request.POST
        if errors:
            partly = services.CardError(services.cards.DRAFT_PARTLY_SAVED, errors)
            if not is_json:
                return _render_refused(request, card, partly, answers=answers, check=check) or redirect(card)
        elif check:
            card = selectors.card_get_visible(user=request.user, card_id=card.pk)
            context = _card_context(request, card) | {"check": services.card_check(card)}
            return TemplateResponse(request, "monitoring/card_detail.html", context)
        elif not is_json:
            messages.success(request, "Черновик сохранён.")
            return redirect(card)
        return JsonResponse(
            {
                "ok": not errors,
                "error": services.cards.DRAFT_PARTLY_SAVED if errors else "",
                "errors": errors,
                "version": card.version,
                "status": card.status,
                "status_display": card.get_status_display(),
                "saved_at": date_format(timezone.localtime(card.updated_at), "H:i:s"),
            },
            status=400 if errors else 200,
        )


def _refused_page(request, card, error, *, answers=None, verdicts=None):
    """A refused form save or action on a card: the card again with the errors at their criteria, or, when
    they concern no criterion (a conflict), back to the card with the message and the errors in words."""
    refused = _render_refused(request, card, error, answers=answers, verdicts=verdicts)
    if refused:
        return refused
    messages.error(request, error.message + _field_errors(error))
    return redirect(card)


def _field_errors(error) -> str:
    parts = [f"{code}: {message}" for code, fields in error.errors.items() for message in fields.values()]
    return (" " + "; ".join(parts)) if parts else ""


EDIT_ERROR_FIELDS = {"numerator", "denominator", "value", "choice", "evidence", "claimed"}
VERDICT_ERROR_FIELDS = {"verdict", "verifier_comment"}


def _overlay_answer(answer: CardAnswer, raw: dict) -> None:
    """Show the principal's submitted (unsaved) values in the form again, exactly as typed."""
    for field in ("numerator", "denominator", "value", "choice", "text", "evidence", "comment"):
        if field in raw:
            value = "" if raw[field] is None else raw[field]
            if field in ("numerator", "denominator"):
                value = int(value) if str(value).strip().isdigit() else (str(value).strip() or None)
            setattr(answer, field, value)
    if "claimed" in raw:
        answer.claimed = raw["claimed"] is True or str(raw["claimed"]).lower() in ("true", "1", "on")


def _render_refused(request, card, error, *, answers=None, verdicts=None, check=False):
    """A refused form save with errors by criterion: the card page again, with every submitted value
    kept and each error next to its criterion; None when the refusal concerns no criterion (the caller
    redirects with the message, as for a conflict)."""
    if isinstance(error, services.CardConflict):
        return None
    card = selectors.card_get_visible(user=request.user, card_id=card.pk)
    context = _card_context(request, card)
    rows = {row["criterion"]["code"]: row for section in context["sections"] for row in section["rows"]}
    codes = [code for code in error.errors if code in rows]
    if not codes:
        return None
    posted = {str(raw.get("criterion", "")): raw for raw in answers or []}
    for code, row in rows.items():
        answer = row["answer"]
        if answer is None:
            continue
        if code in posted:
            _overlay_answer(answer, posted[code])
            row["posted"] = True
        if verdicts and code in verdicts:
            verdict = verdicts[code].get("verdict") or CardAnswer.Verdict.PENDING
            if verdict in CardAnswer.Verdict.values:
                answer.verdict = verdict
            answer.verifier_comment = verdicts[code].get("comment", "")
    shown = VERDICT_ERROR_FIELDS if verdicts is not None else EDIT_ERROR_FIELDS
    for code in codes:
        fields = error.errors[code]
        row = rows[code]
        row["errors"] = {field: message for field, message in fields.items() if field in shown}
        row["other_errors"] = [message for field, message in fields.items() if field not in shown]
    context.update(error_summary={"message": error.message, "codes": codes})
    if check:
        context["check"] = services.card_check(card)
    return TemplateResponse(request, "monitoring/card_detail.html", context, status=400)


def _verdicts_from_post(post) -> dict[str, dict]:
    return {
        code: {"verdict": post.get(f"verdict-{code}", "pending"), "comment": post.get(f"vcomment-{code}", "")}
        for code in post.getlist("verdict-codes")
    }


# The actions of CardActionView, each posted to cards/<pk>/<action>/ and named card-<action> (urls.py).
CARD_ACTIONS = ("submit", "verdicts", "confirm-agreeing", "return", "reopen", "verify", "evaluate")


class CardActionView(LoginRequiredMixin, View):
    """POST-only actions on a card; each calls one service, shows its Russian message and returns."""

    action = ""

    def post(self, request, pk):
        card = selectors.card_get_visible(user=request.user, card_id=pk)
        version = int_param(request.POST.get("version"), default=-1)
        try:
            text = self.run(request, card, version)
        except services.CardError as error:  # the card again with each error at its criterion
            return _refused_page(
                request,
                card,
                error,
                answers=answers_from_post(request.POST) if self.action == "submit" else None,
                verdicts=_verdicts_from_post(request.POST) if self.action in ("verdicts", "verify") else None,
            )
        if text:
            messages.success(request, text)
        return redirect(card)

    def run(self, request, card, version) -> str:
        user = request.user
        if self.action == "submit":
            services.card_submit(
                card_id=card.pk, user=user, version=version, answers=answers_from_post(request.POST)
            )
            return (
                "Карта отправлена на проверку. Изменить её можно будет, только если её вернут на доработку."
            )
        if self.action == "verdicts":
            verdicts = _verdicts_from_post(request.POST)
            services.card_verdicts_set(card_id=card.pk, user=user, version=version, verdicts=verdicts)
            return "Решения по критериям сохранены."
        if self.action == "confirm-agreeing":
            _, confirmed = services.card_confirm_agreeing(card_id=card.pk, user=user, version=version)
            return f"Подтверждено критериев, где заявка совпадает с расчётом: {confirmed}."
        if self.action == "return":
            services.card_return(
                card_id=card.pk, user=user, version=version, message=request.POST.get("message", "")
            )
            return "Карта возвращена на доработку; руководителю отправлено письмо."
        if self.action == "reopen":
            form = ReopenForm(request.POST)
            if not form.is_valid():
                raise services.CardError("Укажите дату, до которой карта открыта руководителю.")
            services.card_reopen(
                card_id=card.pk, user=user, version=version, until=form.cleaned_data["until"]
            )
            return "Карта открыта руководителю для заполнения."
        if self.action == "verify":
            card = services.card_verify(card_id=card.pk, user=user, version=version)
            return (
                f"Проверка завершена: {card.score} из {card.max_score}, степень — {card.get_level_display()}."
            )
        if self.action == "evaluate":
            services.card_evaluate(card_id=card.pk, user=user, version=version)
            return "Оценка эффективности завершена."
        raise services.CardError("Неизвестное действие.")


class CardRecommendView(StaffRequiredMixin, View):
    def post(self, request, pk, code):
        card = selectors.card_get_visible(user=request.user, card_id=pk)
        refusal_returns_to(request, card.get_absolute_url())
        recommendation, created = services.recommendation_draft_for_answer(
            card_id=card.pk, code=code, user=request.user
        )
        messages.success(
            request, "Черновик адресной рекомендации создан." if created else "Рекомендация уже подготовлена."
        )
        return redirect(recommendation.get_absolute_url())


# --- templates ----------------------------------------------------------------------------------


class TemplateListView(StaffRequiredMixin, ApplicationErrorFormMixin, FormView):
    template_name = "monitoring/template_list.html"
    form_class = TemplateUploadForm
    error_field = "file"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            templates=selectors.template_list(), create_form=TemplateCreateForm(), **kwargs
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = services.template_file_read(name=upload.name, content=upload.read())
        template = services.template_import(data=data)
        messages.success(self.request, f"Шаблон «{template.title}» загружен, версия {template.version}.")
        return redirect(template)


class TemplateDetailView(StaffRequiredMixin, TemplateView):
    template_name = "monitoring/template_detail.html"

    def get_context_data(self, **kwargs):
        template = selectors.template_get(slug=self.kwargs["slug"])
        data = services.template_as_dict(template)
        return super().get_context_data(
            template=template, data=data, kinds=dict(Criterion.Kind.choices), **kwargs
        )


class TemplateExportView(StaffRequiredMixin, View):
    def get(self, request, slug, fmt):
        template = selectors.template_get(slug=slug)
        name = f"{template.slug}-v{template.version}"
        if fmt == "xlsx":
            return xlsx_response(services.template_xlsx_bytes(template), f"{name}.xlsx")
        body = json.dumps(services.template_as_dict(template), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response

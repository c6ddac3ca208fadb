"""Pages of the template editor (DESIGN §7): settings, sections, criteria (add, edit, reorder, remove) and the
preview of the card as its filler sees it. Staff only: card templates are configuration that inspectors may
change (DESIGN §3), every change is a new version and cards keep the version they were filled with."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from schools.error_pages import refusal_returns_to
from schools.forms import int_param
from schools.permissions import StaffRequiredMixin

from . import selectors
from .forms import CriterionForm, SectionForm, TemplateCreateForm, TemplateSettingsForm
from .models import CardAnswer, CardTemplate, Criterion, ExpertCard
from .services import editor

CONFLICT_LABELS = {
    "code": "Код",
    "text": "Показатель",
    "kind": "Вид",
    "points": "Баллов",
    "threshold": "Порог",
    "options": "Варианты",
    "rule": "Правило расчёта",
    "context_field": "Поле контекста ОО",
}


def _version(request) -> int:
    return int_param(request.POST.get("version"), default=-1)


def _editor_context(template: CardTemplate, **extra) -> dict:
    data = selectors.template_as_dict(template)
    settings = TemplateSettingsForm(
        initial={
            "version": template.version,
            "title": template.title,
            "description": template.description,
            "subject": template.subject,
            "participants": template.participants,
            "high": template.high_share,
            "medium": template.medium_share,
        }
    )
    return {
        "template": template,
        "data": data,
        "settings_form": settings,
        "section_form": SectionForm(initial={"version": template.version}),
        "kinds": dict(Criterion.Kind.choices),
        "versions_in_use": selectors.template_versions_in_use(template=template),
        **extra,
    }


def _editor_page(request, template: CardTemplate, status: int = 200, **extra):
    return TemplateResponse(
        request, "monitoring/template_editor.html", _editor_context(template, **extra), status=status
    )


SETTINGS_LABELS = {
    "title": "Название",
    "description": "Описание",
    "subject": "О ком карта",
    "participants": "Участники по умолчанию",
}


def _conflict_page(request, template: CardTemplate, error: editor.TemplateConflict, mine: dict | None = None):
    """A change refused because somebody saved meanwhile: the editor again (409) with both versions, and both
    values of the settings when those were changed. Any other refusal goes back to the editor with its
    message (`_refusal_returns_to_editor`)."""
    template.refresh_from_db()
    rows = [{"label": "Версия шаблона", "theirs": error.current["version"], "yours": _version(request)}]
    for key, label in SETTINGS_LABELS.items():
        if mine is not None and str(mine.get(key, "")) != str(error.current.get(key, "")):
            rows.append({"label": label, "theirs": error.current.get(key, ""), "yours": mine.get(key, "")})
    return _editor_page(request, template, status=409, conflict={"message": error.message, "rows": rows})


def _refusal_returns_to_editor(request, template: CardTemplate) -> None:
    refusal_returns_to(request, reverse("monitoring:template-edit", args=[template.slug]))


class TemplateCreateView(StaffRequiredMixin, View):
    def post(self, request):
        form = TemplateCreateForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, "Шаблон не создан: " + " ".join(e for errs in form.errors.values() for e in errs)
            )
            return redirect("monitoring:template-list")
        refusal_returns_to(request, reverse("monitoring:template-list"))
        template = editor.template_create(**form.cleaned_data)
        messages.success(request, f"Шаблон «{template.title}» создан: добавьте разделы и критерии.")
        return redirect("monitoring:template-edit", template.slug)


class TemplateEditView(StaffRequiredMixin, View):
    def get(self, request, slug):
        return _editor_page(request, selectors.template_get(slug=slug))


class EditorChangeView(StaffRequiredMixin, View):
    """A change posted from the editor page: an invalid form shows the editor again (400) with it, a refused
    change goes back to the editor with its message, a stale one shows both versions side by side (409)."""

    form_class: type
    form_name = ""  # the form's name in the editor's context
    keeps_mine = False  # the conflict compares the user's values with the saved ones

    def post(self, request, slug):
        template = selectors.template_get(slug=slug)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return _editor_page(request, template, status=400, **{self.form_name: form})
        data = form.cleaned_data
        _refusal_returns_to_editor(request, template)
        try:
            done = self.change(request, template, data)
        except editor.TemplateConflict as error:  # both versions side by side
            return _conflict_page(request, template, error, mine=data if self.keeps_mine else None)
        messages.success(request, done)
        return redirect("monitoring:template-edit", slug)

    def change(self, request, template: CardTemplate, data: dict) -> str:
        """Make the change; the confirmation to show."""
        raise NotImplementedError


class TemplateSettingsView(EditorChangeView):
    form_class = TemplateSettingsForm
    form_name = "settings_form"
    keeps_mine = True

    def change(self, request, template, data):
        editor.template_settings_update(
            template=template,
            version=data["version"],
            **{k: data[k] for k in ("title", "description", "subject", "participants", "high", "medium")},
        )
        return f"Настройки шаблона сохранены, версия {template.version + 1}."


class TemplateSectionView(EditorChangeView):
    form_class = SectionForm
    form_name = "section_form"

    def change(self, request, template, data):
        if request.POST.get("remove") and data["number"]:
            editor.template_section_remove(template=template, version=data["version"], number=data["number"])
        else:
            editor.template_section_save(
                template=template,
                version=data["version"],
                number=data["number"],
                title=data["title"],
                maximum=data["maximum"],
            )
        return "Раздел сохранён."


class TemplateCriterionView(StaffRequiredMixin, View):
    """Add a criterion (no `code` in the address) or edit one."""

    def _page(self, request, template, form, code, status=200, conflict=None):
        return TemplateResponse(
            request,
            "monitoring/template_criterion.html",
            {"template": template, "form": form, "code": code, "conflict": conflict},
            status=status,
        )

    def get(self, request, slug, code=None):
        template = selectors.template_get(slug=slug)
        data = selectors.template_as_dict(template)
        initial = {"version": template.version, "section": request.GET.get("section"), "points": 1}
        if code is not None:
            section, criterion = _criterion(data, code)
            initial |= CriterionForm.initial_for(criterion, section)
        return self._page(request, template, CriterionForm(initial=initial, sections=data["sections"]), code)

    def post(self, request, slug, code=None):
        template = selectors.template_get(slug=slug)
        data = selectors.template_as_dict(template)
        form = CriterionForm(request.POST, sections=data["sections"])
        if not form.is_valid():
            return self._page(request, template, form, code, status=400)
        mine = form.criterion()
        try:
            editor.template_criterion_save(
                template=template,
                version=form.cleaned_data["version"],
                section_number=form.cleaned_data["section"],
                code=code,
                criterion=mine,
            )
        except editor.TemplateConflict as error:
            theirs = _criterion(error.current, code)[1] if code and _has(error.current, code) else {}
            rows = [
                {"label": label, "theirs": _shown(theirs.get(key)), "yours": _shown(mine.get(key))}
                for key, label in CONFLICT_LABELS.items()
                if _shown(theirs.get(key)) != _shown(mine.get(key))
            ]
            form = CriterionForm(
                {**request.POST.dict(), "version": error.current["version"]},
                sections=error.current["sections"],
            )
            form.is_valid()
            return self._page(
                request, template, form, code, status=409, conflict={"message": error.message, "rows": rows}
            )
        except editor.TemplateEditError as error:
            form.add_error(None, error.message)
            return self._page(request, template, form, code, status=400)
        messages.success(request, f"Критерий «{mine['code']}» сохранён.")
        return redirect("monitoring:template-edit", slug)


def _has(data: dict, code: str) -> bool:
    return any(c["code"] == code for s in data["sections"] for c in s["criteria"])


def _criterion(data: dict, code: str) -> tuple[int, dict]:
    for section in data["sections"]:
        for criterion in section["criteria"]:
            if criterion["code"] == code:
                return section["number"], criterion
    raise Http404("Критерий не найден")


def _shown(value) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list):
        return "\n".join(f"{o['value']} | {o['label']} | {o['points']}" for o in value)
    return str(value)


class TemplateCriterionActionView(StaffRequiredMixin, View):
    """Move a criterion up or down, or remove it."""

    def post(self, request, slug, code, action):
        if action not in ("up", "down", "remove"):
            raise Http404("Нет такого действия")
        template = selectors.template_get(slug=slug)
        version = _version(request)
        _refusal_returns_to_editor(request, template)
        try:
            if action == "remove":
                editor.template_criterion_remove(template=template, version=version, code=code)
                messages.success(
                    request, f"Критерий «{code}» удалён из шаблона (карты прежних версий его сохранят)."
                )
            else:
                step = -1 if action == "up" else 1
                editor.template_criterion_move(template=template, version=version, code=code, step=step)
        except editor.TemplateConflict as error:  # both versions side by side
            return _conflict_page(request, template, error)
        return redirect("monitoring:template-edit", slug)


class TemplatePreviewView(StaffRequiredMixin, View):
    """The card as its filler will see it, from the template's current version (nothing is saved)."""

    def get(self, request, slug):
        template = selectors.template_get(slug=slug)
        data = selectors.template_as_dict(template)
        card = ExpertCard(template_snapshot=data, template_version=template.version, max_score=0)
        sections = [
            {
                **section,
                "rows": [
                    {"criterion": c, "answer": CardAnswer(criterion_code=c["code"]), "disagree": False}
                    for c in section["criteria"]
                ],
            }
            for section in data["sections"]
        ]
        return TemplateResponse(
            request,
            "monitoring/template_preview.html",
            {"template": template, "card": card, "sections": sections},
        )

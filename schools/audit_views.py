from django import forms
from django.views.generic import TemplateView

from .audit import audit_entries, audit_streams
from .forms import int_param
from .permissions import StaffRequiredMixin
from .selectors import scope_municipality_ids

PER_PAGE = 50


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label="Что менялось", required=False)
    user = forms.CharField(label="Пользователь (логин)", required=False, max_length=150)

    def __init__(self, *args, municipality_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "Все данные")] + [
            (key, stream.title) for key, stream in audit_streams(municipality_ids=municipality_ids).items()
        ]


class AuditLogView(StaffRequiredMixin, TemplateView):
    """«Журнал изменений»: who changed what and when, old → new, across results, cards, roadmaps, reports…"""

    template_name = "schools/audit_log.html"

    def get_context_data(self, **kwargs):
        scope = scope_municipality_ids(self.request.user)
        form = AuditFilterForm(self.request.GET or None, municipality_ids=scope)
        data = form.cleaned_data if form.is_valid() else {}
        page = max(1, int_param(self.request.GET.get("page"), default=1))
        entries = audit_entries(
            model_label=data.get("model", ""),
            username=data.get("user", "").strip(),
            limit=PER_PAGE + 1,
            offset=(page - 1) * PER_PAGE,
            municipality_ids=scope,
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            entries=entries[:PER_PAGE],
            page=page,
            has_next=len(entries) > PER_PAGE,
            query=query.urlencode(),
            **kwargs,
        )

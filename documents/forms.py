from django import forms

from indicators.models import Procedure
from monitoring.models import Campaign
from roadmaps.models import ManagementDecision, Roadmap
from schools.forms import DATE_WIDGET, SchoolYearField
from schools.models import Municipality
from schools.selectors import municipality_list_visible_to, scope_municipality_ids
from schools.versioning import VersionedModelFormMixin, VersionField

from .models import CalendarEvent, DocumentKind, Order
from .selectors import document_years
from .services import EDITABLE_FIELDS


class OrderDraftForm(forms.Form):
    document_kind = forms.ChoiceField(label="Вид документа", choices=DocumentKind.choices)
    year = SchoolYearField(years=document_years)
    municipality = forms.ModelChoiceField(
        label="Муниципалитет",
        queryset=Municipality.objects.none(),
        required=False,
        empty_label="все муниципалитеты",
        help_text="Документ составляется по школам выбранного муниципалитета.",
    )
    campaign = forms.ModelChoiceField(
        label="Мониторинг (для приказа о результатах мониторинга)",
        queryset=Campaign.objects.order_by("-year", "title"),
        required=False,
    )
    roadmap = forms.ModelChoiceField(
        label="Дорожная карта (для приказа об утверждении карты)",
        queryset=Roadmap.objects.order_by("title"),
        required=False,
    )
    procedure = forms.ChoiceField(
        label="Оценочная процедура (для аналитической справки)",
        choices=[("", "—"), *Procedure.Code.choices],
        required=False,
    )
    meeting = forms.CharField(label="Протокол: заседание (чего)", max_length=300, required=False)
    chair = forms.CharField(label="Протокол: председатель", max_length=200, required=False)
    secretary = forms.CharField(label="Протокол: секретарь", max_length=200, required=False)
    attendees = forms.CharField(
        label="Протокол: присутствовали", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    agenda = forms.CharField(
        label="Протокол: повестка (каждый вопрос с новой строки)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decisions = forms.CharField(
        label="Протокол: решения (строка: «решение; ответственный; срок дд.мм.гггг»)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="После подписания протокола каждое решение станет управленческим решением "
        "с ответственным и сроком.",
    )
    decision_kind = forms.ChoiceField(
        label="Протокол: вид управленческих решений",
        choices=ManagementDecision.Kind.choices,
        initial=ManagementDecision.Kind.METHODICAL,
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = (
            municipality_list_visible_to(user=user).order_by("name") if user else Municipality.objects.none()
        )
        self.fields["municipality"].queryset = visible
        ids = scope_municipality_ids(user) if user else None
        if ids is not None:  # an inspector: one of their municipalities, theirs by default
            self.fields["municipality"].required = True
            self.fields["municipality"].empty_label = None
        if not visible.exists() or (ids is None and visible.count() == 1):
            del self.fields["municipality"]


class OrderEditForm(VersionedModelFormMixin, forms.ModelForm):
    class Meta:
        model = Order
        fields = list(EDITABLE_FIELDS)  # the requisites order_update changes
        widgets = {"date": DATE_WIDGET, "preamble": forms.Textarea(attrs={"rows": 3})}


class OrderSignForm(forms.Form):
    number = forms.CharField(
        label="Номер приказа", max_length=50, help_text="Как в журнале регистрации: 01-03/482."
    )
    date = forms.DateField(label="Дата подписания", widget=DATE_WIDGET)
    version = VersionField()


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(label="Вид документа", choices=DocumentKind.choices)
    title = forms.CharField(label="Название шаблона", max_length=255, required=False)
    file = forms.FileField(label="Шаблон (.docx)")


class CalendarEventForm(forms.ModelForm):
    class Meta:
        model = CalendarEvent
        fields = ["year", "starts_on", "ends_on", "title", "procedure", "responsible"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}
        labels = {"year": "Учебный год (год начала: 2025 — 2025/2026)"}

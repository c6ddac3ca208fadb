from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from indicators.selectors import computed_years
from schools.forms import DATE_WIDGET, SchoolYearField, XlsxFileField
from schools.models import Municipality, School
from schools.selectors import municipality_list_visible_to, school_list_visible_to
from schools.versioning import VersionedModelFormMixin, VersionField

from .models import Direction, ItemStatus, ManagementDecision, Recommendation, Roadmap, RoadmapItem, StageDuty
from .rules import DECISION_DETAILS, ITEM_DETAILS, RECOMMENDATION_DETAILS, ROADMAP_DETAILS
from .selectors import recommendation_list_visible_to
from .services.core import evidence_clean

EVIDENCE_HELP = "Одна ссылка в строке; только адреса http:// или https://."
ITEM_NUMBER_ARCHIVED = (
    "Мероприятие № {number} уже есть в этой дорожной карте, в архиве: верните его из архива или выберите "
    "другой номер."
)


class EvidenceField(forms.CharField):
    """Links, one per line, checked to be http(s); cleaned to a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", EVIDENCE_HELP)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def clean(self, value):
        return evidence_clean(super().clean(value) or "")


def _users_with_email():
    return get_user_model().objects.filter(is_active=True).exclude(email="").order_by("last_name", "username")


def _person(user) -> str:
    """A user as a choice reads: the person's name (the login only when the account has no name)."""
    return user.get_full_name() or user.username


class RoadmapForm(VersionedModelFormMixin, forms.ModelForm):
    class Meta:
        model = Roadmap
        fields = [
            "kind",
            "title",
            "school",
            "municipality",
            *ROADMAP_DETAILS,
        ]
        widgets = {
            "document_date": DATE_WIDGET,
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "directions": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "school": "Только для программы помощи ОО.",
            "municipality": "Для муниципальной дорожной карты; у программы помощи — муниципалитет школы.",
            "approved_by": "Например: приказ отдела образования.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        schools = school_list_visible_to(user=user) if user is not None else School.objects.all()
        municipalities = (
            municipality_list_visible_to(user=user) if user is not None else Municipality.objects.all()
        )
        self.fields["school"].queryset = schools.order_by("code")
        self.fields["municipality"].queryset = municipalities.order_by("name")
        self.fields["directions"].queryset = Direction.objects.order_by("order", "code")

    def clean(self):
        data = super().clean()
        if data.get("kind") == Roadmap.Kind.SCHOOL and not data.get("school"):
            self.add_error("school", "Для программы помощи ОО укажите школу.")
        if data.get("kind") == Roadmap.Kind.MUNICIPAL and data.get("school"):
            self.add_error("school", "У муниципальной дорожной карты не указывается школа.")
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "Окончание периода раньше его начала.")
        return data


class RoadmapItemForm(VersionedModelFormMixin, forms.ModelForm):
    evidence = EvidenceField(label="Ссылки на подтверждения")

    class Meta:
        model = RoadmapItem
        fields = [
            "stage",
            "number",
            *ITEM_DETAILS,
            "responsible_users",
            "result",
            "status",
            "evidence",
            "completed_on",
            "notes",
        ]
        widgets = {
            "due_date": DATE_WIDGET,
            "completed_on": DATE_WIDGET,
            "title": forms.Textarea(attrs={"rows": 4}),
            "result": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "responsible_users": forms.SelectMultiple(attrs={"size": 5}),
        }
        help_texts = {
            "term": "Как в документе: «ежегодно», «по потребности», «Август ежегодно».",
            "due_date": "Конкретная дата, по которой контролируется исполнение.",
            "responsible_users": "Кому отправлять еженедельное напоминание о сроках.",
            "completed_on": "Для выполненного мероприятия; если пусто — сегодняшняя дата.",
        }

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.roadmap = roadmap
        self.fields["responsible_users"].queryset = _users_with_email()
        self.fields["responsible_users"].label_from_instance = _person
        self.fields["responsible_users"].required = False
        self.fields["number"].help_text = "Номер в пределах дорожной карты, например 1.2 или 15."

    def clean_number(self):
        number = self.cleaned_data["number"].strip().rstrip(".")
        if not number:
            raise ValidationError("Укажите номер мероприятия.")
        clash = RoadmapItem.all_objects.filter(roadmap=self.roadmap, number=number).exclude(
            pk=self.instance.pk
        )
        if clash.filter(is_archived=True).exists():
            raise ValidationError(ITEM_NUMBER_ARCHIVED.format(number=number))
        if clash.exists():
            raise ValidationError(f"Мероприятие № {number} уже есть в этой дорожной карте.")
        return number

    def clean(self):
        data = super().clean()
        status, completed = data.get("status"), data.get("completed_on")
        if completed and status and status != ItemStatus.DONE:
            self.add_error("completed_on", "Дата выполнения указывается только для выполненного мероприятия.")
        return data


class ItemProgressForm(forms.Form):
    """What a principal may change: status, evidence, completion date."""

    status = forms.ChoiceField(label="Статус", choices=ItemStatus.choices)
    evidence = EvidenceField(label="Ссылки на подтверждения")
    completed_on = forms.DateField(
        label="Дата выполнения",
        required=False,
        widget=DATE_WIDGET,
        help_text="Если мероприятие выполнено; пусто — сегодняшняя дата.",
    )
    version = VersionField()

    def clean(self):
        data = super().clean()
        if data.get("completed_on") and data.get("status") != ItemStatus.DONE:
            self.add_error("completed_on", "Дата выполнения указывается только для выполненного мероприятия.")
        return data


class RoadmapImportForm(forms.Form):
    file = XlsxFileField(
        label="Файл Excel (.xlsx)",
        help_text="Столбцы: № / Мероприятие / Сроки / Ответственные / Результат / Этап.",
    )
    dry_run = forms.BooleanField(label="Только проверить, ничего не записывать", required=False)


class StageDutyForm(forms.ModelForm):
    class Meta:
        model = StageDuty
        fields = ["coordinator_duties", "executor_duties"]
        widgets = {
            "coordinator_duties": forms.Textarea(attrs={"rows": 4}),
            "executor_duties": forms.Textarea(attrs={"rows": 4}),
        }


class DirectionForm(forms.ModelForm):
    class Meta:
        model = Direction
        fields = ["name", "coordinator", "coordinator_user", "executors"]
        help_texts = {"executors": "Люди или подразделения через запятую, например: Доценко Т.И., ИМЦ."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator_user"].label_from_instance = _person


class AddressedFormMixin:
    """A recommendation's or a decision's form: the year offers the computed years and the record's own
    (which may be older); the schools to address are those the user sees (all for the system), by code."""

    schools_field = ""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.year:
            self.fields["year"].set_years([*computed_years(), self.instance.year])
        schools = school_list_visible_to(user=user) if user is not None else School.objects.all()
        self.fields[self.schools_field].queryset = schools.order_by("code")


class RecommendationForm(AddressedFormMixin, VersionedModelFormMixin, forms.ModelForm):
    schools_field = "school"

    class Meta:
        model = Recommendation
        fields = [
            "school",
            *RECOMMENDATION_DETAILS,
        ]
        widgets = {"due_date": DATE_WIDGET, "text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "school": "Либо школа, либо группа адресатов.",
            "year": "Год, по данным которого выявлена проблема.",
            "source_ref": "Что именно выявлено: критерий карты, код показателя, список и год.",
        }

    year = SchoolYearField(years=computed_years, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("school")) == bool(data.get("target_group")):
            self.add_error(
                "school",
                "Укажите адресата: либо школу, либо группу (педагоги, руководители, родители, обучающиеся).",
            )
        return data


class RecommendationAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Ответ школы",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Напишите ответ школы."},
    )
    evidence = EvidenceField(label="Ссылки на подтверждения")
    version = VersionField()


class DecisionForm(AddressedFormMixin, VersionedModelFormMixin, forms.ModelForm):
    schools_field = "schools"

    class Meta:
        model = ManagementDecision
        fields = [
            *DECISION_DETAILS,
            "schools",
            "recommendations",
            "notes",
        ]
        widgets = {
            "document_date": DATE_WIDGET,
            "deadline": DATE_WIDGET,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "schools": forms.SelectMultiple(attrs={"size": 8}),
            "recommendations": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {"year": "Эффективность решения оценивается по итогам этого учебного года."}

    year = SchoolYearField(years=computed_years)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        recommendations = (
            recommendation_list_visible_to(user=user) if user is not None else Recommendation.objects.all()
        )
        self.fields["recommendations"].queryset = recommendations.select_related("school").order_by("-pk")
        self.fields["schools"].required = False
        self.fields["recommendations"].required = False

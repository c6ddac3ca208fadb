import json

from django import forms

from indicators.selectors import computed_years
from schools.forms import DATE_WIDGET, SchoolYearField
from schools.models import CONTEXT_FIGURES, School
from schools.selectors import municipality_list_visible_to, school_list_visible_to
from schools.services import HEADERS as CONTEXT_HEADERS
from schools.uploads import UploadRejected, check_size, check_xlsx_upload

from .models import Campaign, CardTemplate, Criterion


class CampaignForm(forms.ModelForm):
    year = SchoolYearField(label="Отчётный учебный год", years=computed_years)

    class Meta:
        model = Campaign
        fields = [
            "year",
            "template",
            "title",
            "self_assessment_due",
            "verification_due",
            "evaluation_due",
            "reminder_days",
            "revision_days",
        ]
        widgets = {
            "self_assessment_due": DATE_WIDGET,
            "verification_due": DATE_WIDGET,
            "evaluation_due": DATE_WIDGET,
        }
        help_texts = {
            "title": "по умолчанию — название шаблона",
            "self_assessment_due": "пусто — 30 сентября года, следующего за отчётным годом",
            "verification_due": "пусто — 15 октября",
            "evaluation_due": "пусто — 1 ноября",
        }

    def __init__(self, *args, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = CardTemplate.objects.order_by("title")
        self.fields["title"].required = False
        for name in ("self_assessment_due", "verification_due", "evaluation_due"):
            self.fields[name].required = not creating
        if not creating:
            del self.fields["year"], self.fields["template"]
        else:
            self.fields["default_participants"] = forms.BooleanField(
                label="Участники — по правилу шаблона (ШНОР года, все школы или все муниципалитеты)",
                required=False,
                initial=True,
                help_text="можно изменить после создания",
            )
            self.instance.reminder_days = self.instance.reminder_days or 7

    def validate_unique(self):
        """Uniqueness and deadline order are checked by the service with a clear Russian message."""

    def _post_clean(self):
        """The model's constraints are checked by the service (defaults are filled there)."""


class ParticipantsForm(forms.Form):
    add = forms.ModelMultipleChoiceField(
        label="Добавить школы",
        queryset=School.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign.template.subject == CardTemplate.Subject.MUNICIPALITY:
            self.fields["add"].label = "Добавить муниципалитеты"
            municipalities = municipality_list_visible_to(user=user)
            self.fields["add"].queryset = municipalities.exclude(expert_cards__campaign=campaign)
        else:
            schools = school_list_visible_to(user=user).exclude(expert_cards__campaign=campaign)
            self.fields["add"].queryset = schools.order_by("code")


TEMPLATE_MAX_BYTES = 2 * 1024 * 1024
TEMPLATE_MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024  # a template of 500 criteria unpacks to well under 1 MB


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл шаблона (.json или .xlsx)",
        help_text="выгрузите шаблон, исправьте и загрузите: "
        "шаблон с тем же кодом получит новую версию; начатые карты сохранят свою версию",
    )

    def clean_file(self):
        """The same gate as every upload (schools.uploads): size, then for .xlsx the archive and sheet."""
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".xlsx")):
            raise forms.ValidationError("Загрузите файл .json или .xlsx.")
        try:
            if upload.name.lower().endswith(".xlsx"):
                check_xlsx_upload(
                    upload, max_bytes=TEMPLATE_MAX_BYTES, max_uncompressed=TEMPLATE_MAX_UNCOMPRESSED_BYTES
                )
            else:
                check_size(upload, max_bytes=TEMPLATE_MAX_BYTES)
        except UploadRejected as error:
            raise forms.ValidationError(str(error))
        return upload


class ReturnForm(forms.Form):
    message = forms.CharField(label="Что доработать", widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    until = forms.DateField(label="Открыть руководителю до", widget=DATE_WIDGET)


# --- the template editor (DESIGN §7) ------------------------------------------------------------

# The context figures a criterion may fill, named as the columns of the context file.
CONTEXT_FIELD_CHOICES = [
    ("", "— не заполняет контекст —"),
    *((name, CONTEXT_HEADERS[name]) for name in CONTEXT_FIGURES),
]
RULE_SOURCES = [
    ("indicator", "показатель школы (код из каталога показателей)"),
    ("context", "поле контекста ОО"),
    ("results", "динамика по загруженным результатам (правило JSON)"),
]
RULE_TESTS = [
    ("gte", "не менее порога"),
    ("lte", "не более порога"),
    ("up", "рост к прошлому году"),
    ("down", "снижение к прошлому году"),
]
OPTIONS_HELP = (
    "для вида «выбор»: каждый вариант с новой строки — «код | подпись | баллы», "
    "например «2 | в полном объёме | 2»"
)
OPTION_LINE_INVALID = (
    "Строка {number} вариантов «{line}»: нужно «код | подпись | баллы» (баллы — целое число)."
)
RULE_JSON_INVALID = "Правило по результатам — не JSON: {error}."


class TemplateCreateForm(forms.Form):
    slug = forms.SlugField(label="Код шаблона", max_length=60, help_text="латинские буквы, цифры, дефис")
    title = forms.CharField(label="Название", max_length=500)
    subject = forms.ChoiceField(label="О ком карта", choices=CardTemplate.Subject.choices)


class TemplateSettingsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="Название", max_length=500)
    description = forms.CharField(label="Описание", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    subject = forms.ChoiceField(label="О ком карта", choices=CardTemplate.Subject.choices)
    participants = forms.ChoiceField(
        label="Участники по умолчанию", choices=CardTemplate.Participants.choices
    )
    high = forms.DecimalField(
        label="Высокая степень: доля от максимума не менее", max_digits=4, decimal_places=3
    )
    medium = forms.DecimalField(
        label="Средняя степень: доля от максимума не менее", max_digits=4, decimal_places=3
    )


class SectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    number = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label="Название раздела", max_length=1000)
    maximum = forms.IntegerField(label="Максимум баллов", min_value=0, required=False)


class CriterionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    section = forms.TypedChoiceField(label="Раздел", coerce=int)
    code = forms.CharField(label="Код критерия", max_length=20)
    text = forms.CharField(label="Показатель", widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.CharField(label="Методика оценки", max_length=500, required=False)
    kind = forms.ChoiceField(label="Вид", choices=Criterion.Kind.choices)
    points = forms.IntegerField(
        label="Баллов",
        min_value=0,
        required=False,
        initial=1,
        help_text="0 — не оценивается; для выбора — по вариантам",
    )
    threshold = forms.DecimalField(
        label="Порог", required=False, help_text="для доли — в процентах (80), для числа — в единицах"
    )
    options = forms.CharField(
        label="Варианты", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=OPTIONS_HELP
    )
    rule_source = forms.ChoiceField(label="Расчёт: источник", choices=RULE_SOURCES, required=False)
    rule_indicator = forms.CharField(label="Расчёт: код показателя", required=False, max_length=60)
    rule_field = forms.ChoiceField(
        label="Расчёт: поле контекста", choices=CONTEXT_FIELD_CHOICES, required=False
    )
    rule_test = forms.ChoiceField(label="Расчёт: проверка", choices=RULE_TESTS, required=False)
    rule_value = forms.DecimalField(label="Расчёт: порог", required=False)
    rule_json = forms.CharField(
        label="Расчёт по результатам (JSON)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    context_field = forms.ChoiceField(
        label="Значение становится полем контекста ОО", choices=CONTEXT_FIELD_CHOICES, required=False
    )
    evidence_required = forms.BooleanField(
        label="Нужна ссылка на подтверждение", required=False, initial=True
    )
    periodicity = forms.CharField(label="Периодичность", max_length=200, required=False)
    source = forms.CharField(label="Источник информации", max_length=500, required=False)

    def __init__(self, *args, sections: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s["number"], f"{s['number']}. {s['title']}") for s in sections]

    def clean_options(self) -> list[dict]:
        options = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not parts[2].isdigit():
                raise forms.ValidationError(OPTION_LINE_INVALID.format(number=number, line=line.strip()))
            options.append({"value": parts[0], "label": parts[1], "points": int(parts[2])})
        return options

    def clean_rule_json(self) -> dict:
        raw = self.cleaned_data["rule_json"].strip()
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError as error:
            raise forms.ValidationError(RULE_JSON_INVALID.format(error=error))

    def criterion(self) -> dict:
        """The criterion as template data (what `template_validate` checks)."""
        data = self.cleaned_data
        rule: dict = {}
        if data["kind"] == Criterion.Kind.COMPUTED:
            if data["rule_source"] == "results":
                rule = data["rule_json"]
            else:
                rule = {"source": data["rule_source"], "test": data["rule_test"]}
                if data["rule_source"] == "indicator":
                    rule["indicator"] = data["rule_indicator"].strip()
                else:
                    rule["field"] = data["rule_field"]
                if data["rule_test"] in ("gte", "lte"):
                    rule["value"] = (
                        None if data["rule_value"] is None else f"{data['rule_value'].normalize():f}"
                    )
        threshold = data["threshold"]
        return {
            "code": data["code"].strip(),
            "text": data["text"],
            "method": data["method"],
            "points": data["points"] if data["points"] is not None else (0 if data["kind"] == "text" else 1),
            "kind": data["kind"],
            "threshold": None if threshold is None else f"{threshold.normalize():f}",
            "rule": rule,
            "options": data["options"] if data["kind"] == Criterion.Kind.CHOICE else [],
            "context_field": data["context_field"],
            "evidence_required": data["evidence_required"],
            "periodicity": data["periodicity"],
            "source": data["source"],
        }

    @staticmethod
    def initial_for(criterion: dict, section: int) -> dict:
        rule = criterion.get("rule") or {}
        source = rule.get("source") or ("results" if rule else "")
        return {
            **{k: criterion.get(k) for k in ("code", "text", "method", "kind", "points", "threshold")},
            **{k: criterion.get(k) for k in ("context_field", "evidence_required", "periodicity", "source")},
            "section": section,
            "options": "\n".join(
                f"{o['value']} | {o['label']} | {o['points']}" for o in criterion.get("options") or []
            ),
            "rule_source": source,
            "rule_indicator": rule.get("indicator", ""),
            "rule_field": rule.get("field", ""),
            "rule_test": rule.get("test", ""),
            "rule_value": rule.get("value"),
            "rule_json": json.dumps(rule, ensure_ascii=False) if source == "results" else "",
        }

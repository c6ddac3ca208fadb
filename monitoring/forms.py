from django import forms

from indicators.selectors import computed_years
from schools.forms import SchoolYearField
from schools.models import Municipality, School
from schools.selectors import municipality_list_visible_to, school_list_visible_to
from schools.uploads import UploadRejected, check_size, check_xlsx_upload

from .models import Campaign, CardTemplate

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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

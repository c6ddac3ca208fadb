from django import forms

from indicators.selectors import computed_years
from roadmaps.models import CycleStage, Direction
from schools.forms import DATE_WIDGET, SchoolYearField

from .models import DOCUMENT_FIELDS, Document, Report


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Вид отчёта", choices=Report.Kind.choices)
    year = SchoolYearField(years=computed_years, help_text="Годы, за которые выполнен расчёт показателей.")
    school = forms.CharField(label="Код ОО (для профиля ОО)", max_length=32, required=False)
    campaign = forms.IntegerField(label="Мониторинг (номер, по желанию)", required=False, min_value=1)
    roadmap = forms.IntegerField(label="Дорожная карта (номер, по желанию)", required=False, min_value=1)
    municipality = forms.ChoiceField(label="Муниципалитет (для аналитического отчёта)", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from schools.selectors import municipality_list_visible_to, scope_municipality_ids

        places = (
            [(m.code, m.name) for m in municipality_list_visible_to(user=user).order_by("name")]
            if user
            else []
        )
        whole = (
            [("", "все муниципалитеты (отчёт региона)")]
            if user is None or scope_municipality_ids(user) is None
            else []
        )
        self.fields["municipality"].choices = whole + places
        if len(places) <= 1:
            del self.fields["municipality"]  # one municipality: nothing to choose

    def clean(self):
        data = super().clean()
        if data.get("kind") == Report.Kind.SCHOOL and not data.get("school"):
            self.add_error("school", "Для профиля ОО укажите код образовательной организации.")
        return data

    def params(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("school", "campaign", "roadmap", "municipality") if data.get(k)}


class ConclusionsForm(forms.Form):
    conclusions = forms.CharField(
        label="Выводы (каждый вывод — с новой строки)",
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
    )


class DocumentForm(forms.ModelForm):
    upload = forms.FileField(
        label="Файл (PDF, DOCX, XLSX или ODT)",
        required=False,
        help_text="Тип проверяется по содержимому файла. Вместо файла можно указать ссылку.",
    )

    class Meta:
        model = Document
        fields = list(DOCUMENT_FIELDS)
        widgets = {
            "date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = Direction.objects.order_by("order", "code")
        self.fields["stage"].queryset = CycleStage.objects.order_by("number")

    def clean(self):
        data = super().clean()
        has_file = bool(data.get("upload")) or bool(self.instance.pk and self.instance.file)
        if not has_file and not data.get("url") and not data.get("text"):
            raise forms.ValidationError("Приложите файл, укажите ссылку или введите текст документа.")
        return data

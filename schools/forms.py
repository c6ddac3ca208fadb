from django import forms

from .importing import importer_choices
from .uploads import UploadRejected, check_xlsx_upload


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="Что загружаем", choices=())
    file = forms.FileField(label="Файл Excel (.xlsx)", help_text="Шаблон можно скачать ниже.")
    dry_run = forms.BooleanField(label="Только проверить, ничего не записывать", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = importer_choices()

    def clean_file(self):
        """Refuse bombs, macros and non-xlsx content at once, before the file is stored or opened."""
        upload = self.cleaned_data["file"]
        try:
            check_xlsx_upload(upload)
        except UploadRejected as error:
            raise forms.ValidationError(str(error))
        return upload


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label="Поиск", required=False)
    municipality = forms.ChoiceField(label="Муниципалитет", required=False)
    settlement = forms.ChoiceField(label="Тип поселения", required=False)
    flag = forms.MultipleChoiceField(label="Признаки", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, municipalities=(), flags=(), settlements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", "Все")] + [(str(m.pk), m.name) for m in municipalities]
        self.fields["settlement"].choices = [("", "Все"), *settlements]
        self.fields["flag"].choices = list(flags)

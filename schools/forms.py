from django import forms

from . import formatting
from .importing import importer_choices
from .uploads import UploadRejected, check_xlsx_upload

# A date field's input: the browser's date picker, which reads and sends the ISO form.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def int_param(value, default: int | None = None) -> int | None:
    """A whole number sent in a query string or a form post («2025», « 3 »), else `default`. The one place
    pages read such numbers, so a hand-edited address never ends in a server error."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdecimal() else default


def year_param(value, years: list[int]) -> int | None:
    """The school year a page is asked for (?year=Y) when it is one of `years`, else the latest of them."""
    year = int_param(value)
    return year if year in years else (max(years) if years else None)


class XlsxFileField(forms.FileField):
    """An uploaded workbook, refused at once (bombs, macros, non-xlsx content) before it is stored or
    opened; every form that takes an Excel file for an import uses it."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                check_xlsx_upload(upload)
            except UploadRejected as error:
                raise forms.ValidationError(str(error))
        return upload


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="Что загружаем", choices=())
    file = XlsxFileField(label="Файл Excel (.xlsx)", help_text="Шаблон можно скачать ниже.")
    dry_run = forms.BooleanField(label="Только проверить, ничего не записывать", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = importer_choices()


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


class SchoolYearField(forms.TypedChoiceField):
    """The one way to ask for a school year: a choice of the years that have data, shown as «2025/2026»,
    the latest chosen by default. `years` is a list or a callable read each time a form is made."""

    def __init__(self, *, years=(), **kwargs):
        kwargs.setdefault("label", "Учебный год")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "За %(value)s учебный год данных нет: выберите год из списка."},
        )
        super().__init__(coerce=int, empty_value=None, choices=(), **kwargs)
        self.years_source = years
        if not callable(years):  # a callable is read per form, never at import
            self.set_years(years)

    def set_years(self, years) -> None:
        years = sorted({int(y) for y in years if y is not None}, reverse=True)
        self.choices = ([("", "—")] if not self.required else []) + [
            (year, formatting.school_year(year)) for year in years
        ]
        self.initial = years[0] if years and self.required else None

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        if callable(self.years_source):
            copy.set_years(self.years_source())
        return copy

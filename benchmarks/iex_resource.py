"""django-import-export resources for AssessmentResult, used ONLY as the comparison baseline.

`ResultResource` is what a developer would write first: a ModelResource keyed by the natural key, with
ForeignKeyWidgets for school (by code), procedure and subject (by name), default options.
`ResultBulkResource` is the same with the library's fastest documented options (use_bulk, skip_diff,
batch_size). Neither checks the domain rules of DESIGN §4.2 (marks summing to participants etc.) —
our importer does, so the comparison is generous to django-import-export.
"""

from import_export import fields, resources, widgets

from indicators.models import RESULT_FIGURES, AssessmentResult, Procedure, Subject
from schools.models import School
from schools.tabular import parse_academic_year


class AcademicYearWidget(widgets.IntegerWidget):
    """«2024/2025» → 2024 (the file format of §4.2); the library has no such widget."""

    def clean(self, value, row=None, **kwargs):
        return parse_academic_year(value)


def _count(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=widgets.IntegerWidget())


class ResultResource(resources.ModelResource):
    school = fields.Field(
        attribute="school", column_name="Код ОО", widget=widgets.ForeignKeyWidget(School, "code")
    )
    year = fields.Field(attribute="year", column_name="Учебный год", widget=AcademicYearWidget())
    procedure = fields.Field(
        attribute="procedure", column_name="Процедура", widget=widgets.ForeignKeyWidget(Procedure, "name")
    )
    subject = fields.Field(
        attribute="subject", column_name="Предмет", widget=widgets.ForeignKeyWidget(Subject, "name")
    )
    grade = _count("grade", "Класс")
    participants = _count("participants", "Участников")
    below_min = _count("below_min", "Не преодолели минимальный порог")
    high = _count("high", "Высокий результат")
    mark2 = _count("mark2", "Отметка 2")
    mark3 = _count("mark3", "Отметка 3")
    mark4 = _count("mark4", "Отметка 4")
    mark5 = _count("mark5", "Отметка 5")
    average = fields.Field(attribute="average", column_name="Средний балл", widget=widgets.DecimalWidget())
    lowered = _count("lowered", "Понизили")
    confirmed = _count("confirmed", "Подтвердили")
    raised = _count("raised", "Повысили")

    class Meta:
        model = AssessmentResult
        fields = (
            "school",
            "year",
            "procedure",
            "subject",
            "grade",
            *RESULT_FIGURES,
        )
        import_id_fields = ("school", "year", "procedure", "subject", "grade")


class ResultBulkResource(ResultResource):
    class Meta(ResultResource.Meta):
        use_bulk = True
        skip_diff = True
        batch_size = 5000

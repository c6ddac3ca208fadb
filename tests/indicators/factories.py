import factory

from indicators.models import AssessmentResult, Procedure, Subject
from tests.factories import SchoolFactory


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ["code"]

    code = "VPR"
    name = "ВПР"


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ["code"]

    code = "russian"
    name = "Русский язык"


class AssessmentResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentResult

    school = factory.SubFactory(SchoolFactory)
    year = 2024
    procedure = factory.SubFactory(ProcedureFactory)
    subject = factory.SubFactory(SubjectFactory)
    grade = 5
    participants = 20

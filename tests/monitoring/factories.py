"""Helpers for monitoring tests: the built-in template, a campaign and results rows."""

from datetime import date

from indicators.models import AssessmentResult, Procedure, Subject
from monitoring.models import CardTemplate
from monitoring.reference import BUILTIN_SLUG, seed
from monitoring.services import campaign_create

PROCEDURE_NAMES = {"EGE": "ЕГЭ", "GVE11": "ГВЭ-11", "OGE": "ОГЭ", "VPR": "ВПР"}
SUBJECT_NAMES = {"russian": "Русский язык", "math": "Математика", "math-profile": "Математика (профильная)"}


def builtin_template() -> CardTemplate:
    seed()
    return CardTemplate.objects.get(slug=BUILTIN_SLUG)


def make_campaign(
    *, schools, year=2025, due=(date(2026, 9, 30), date(2026, 10, 15), date(2026, 11, 1)), user=None
):
    return campaign_create(
        year=year,
        template=builtin_template(),
        user=user,
        self_assessment_due=due[0],
        verification_due=due[1],
        evaluation_due=due[2],
        school_ids=[s.pk for s in schools],
    )


def result(school, year, procedure, subject, grade, participants, **counts) -> AssessmentResult:
    proc, _ = Procedure.objects.get_or_create(code=procedure, defaults={"name": PROCEDURE_NAMES[procedure]})
    subj, _ = Subject.objects.get_or_create(code=subject, defaults={"name": SUBJECT_NAMES[subject]})
    return AssessmentResult.objects.create(
        school=school,
        year=year,
        procedure=proc,
        subject=subj,
        grade=grade,
        participants=participants,
        **counts,
    )

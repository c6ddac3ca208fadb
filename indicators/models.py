from django.conf import settings  # noqa: F401  (used by models added to this module)
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from schools.models import TimeStampedModel


class Procedure(models.Model):
    """An assessment procedure: ВПР, ОГЭ, ЕГЭ, ГВЭ-9, ГВЭ-11, НИКО, КДР (reference data)."""

    class Code(models.TextChoices):
        VPR = "VPR", "ВПР"
        OGE = "OGE", "ОГЭ"
        EGE = "EGE", "ЕГЭ"
        GVE9 = "GVE9", "ГВЭ-9"
        GVE11 = "GVE11", "ГВЭ-11"
        NIKO = "NIKO", "НИКО"
        KDR = "KDR", "КДР"

    code = models.CharField("код", max_length=10, unique=True, choices=Code.choices)
    name = models.CharField("название", max_length=100)

    class Meta:
        verbose_name = "оценочная процедура"
        verbose_name_plural = "оценочные процедуры"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Subject(models.Model):
    """A school subject; `code` is a stable latin slug (russian, math, ...), `name` the Russian name."""

    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("название", max_length=100, unique=True)

    class Meta:
        verbose_name = "предмет"
        verbose_name_plural = "предметы"
        ordering = ["name"]

    def __str__(self):
        return self.name


class AssessmentResult(TimeStampedModel):
    """Aggregated result of one school in one procedure, subject and grade in a year (no student records)."""

    school = models.ForeignKey("schools.School", verbose_name="ОО", on_delete=models.CASCADE, related_name="results")
    year = models.PositiveSmallIntegerField("учебный год")
    procedure = models.ForeignKey(Procedure, verbose_name="процедура", on_delete=models.PROTECT)
    subject = models.ForeignKey(Subject, verbose_name="предмет", on_delete=models.PROTECT)
    grade = models.PositiveSmallIntegerField("класс")
    participants = models.PositiveIntegerField("участников")
    below_min = models.PositiveIntegerField("не преодолели минимальный порог", null=True, blank=True)
    high = models.PositiveIntegerField("высокий результат", null=True, blank=True)
    mark2 = models.PositiveIntegerField("отметка 2", null=True, blank=True)
    mark3 = models.PositiveIntegerField("отметка 3", null=True, blank=True)
    mark4 = models.PositiveIntegerField("отметка 4", null=True, blank=True)
    mark5 = models.PositiveIntegerField("отметка 5", null=True, blank=True)
    average = models.DecimalField("средний балл", max_digits=6, decimal_places=2, null=True, blank=True)
    lowered = models.PositiveIntegerField("понизили", null=True, blank=True)
    confirmed = models.PositiveIntegerField("подтвердили", null=True, blank=True)
    raised = models.PositiveIntegerField("повысили", null=True, blank=True)
    import_batch = models.ForeignKey(
        "schools.ImportBatch", verbose_name="пакет импорта", null=True, blank=True, on_delete=models.SET_NULL
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "результат оценочной процедуры"
        verbose_name_plural = "результаты оценочных процедур"
        ordering = ["school__code", "year", "procedure__code", "subject__name", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "procedure", "subject", "grade"], name="assessment_result_unique_key"
            ),
            models.CheckConstraint(condition=Q(below_min__lte=F("participants")), name="result_below_min_lte_participants"),
            models.CheckConstraint(condition=Q(high__lte=F("participants")), name="result_high_lte_participants"),
            models.CheckConstraint(condition=Q(mark2__lte=F("participants")), name="result_mark2_lte_participants"),
        ]
        indexes = [models.Index(fields=["year", "procedure"], name="result_year_procedure_idx")]

    def __str__(self):
        return f"{self.school_id} {self.year} {self.procedure_id} {self.subject_id} {self.grade}"

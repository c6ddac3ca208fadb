from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from . import formatting
from .model_fields import acting_user, import_batch_link, optional_link
from .validators import municipality_code_from_name, validate_municipality_code, validate_school_code


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        abstract = True


class ImportBatch(models.Model):
    """One imported file: every row it created or updated points here."""

    class Kind(models.TextChoices):
        SCHOOLS = "schools", "Школы"
        CONTEXT = "context", "Контекст школ"
        RESULTS = "results", "Результаты оценочных процедур"
        ROADMAP = "roadmap", "Дорожная карта"
        TEACHER_DIAGNOSTICS = "teacher_diagnostics", "Диагностика предметных компетенций педагогов"

    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    file_name = models.CharField("имя файла", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    rows = models.PositiveIntegerField("строк", default=0)
    created = models.PositiveIntegerField("добавлено", default=0)
    updated = models.PositiveIntegerField("обновлено", default=0)
    imported_by = acting_user("кто")
    imported_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "пакет импорта"
        verbose_name_plural = "пакеты импорта"
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.file_name} ({formatting.local_datetime(self.imported_at)})"


class Job(TimeStampedModel):
    """A long piece of work run by Celery, with progress the browser can poll."""

    class Status(models.TextChoices):
        QUEUED = "queued", "В очереди"
        RUNNING = "running", "Выполняется"
        DONE = "done", "Готово"
        FAILED = "failed", "Ошибка"

    kind = models.CharField("вид", max_length=40)
    title = models.CharField("название", max_length=255)
    status = models.CharField("состояние", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("выполнено, %", default=0)
    message = models.CharField("сообщение", max_length=500, blank=True)
    params = models.JSONField("параметры", default=dict, blank=True)
    result = models.JSONField("результат", default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    started_at = models.DateTimeField("начато", null=True, blank=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)
    created_by = acting_user("кто запустил")

    class Meta:
        verbose_name = "фоновая задача"
        verbose_name_plural = "фоновые задачи"
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_lte_100")]

    def __str__(self):
        return f"{self.title} — {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Region(TimeStampedModel):
    """The region an installation serves (DESIGN §6); an installation of one municipality has none."""

    name = models.CharField("наименование", max_length=255, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(TimeStampedModel):
    code = models.CharField(
        "код муниципалитета",
        max_length=32,
        unique=True,
        blank=True,
        validators=[validate_municipality_code],
        help_text="постоянный код: входит в адреса страниц и в команды (например, lesosibirsk или 04701000)",
    )
    name = models.CharField("наименование", max_length=255, unique=True)
    region = optional_link(Region, "регион", on_delete=models.PROTECT, related_name="municipalities")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if (
            not self.code
        ):  # a municipality named only by its name (an import, an old fixture) gets a code once
            self.code = unique_municipality_codes([self.name])[self.name]
        super().save(*args, **kwargs)


def unique_municipality_codes(names) -> dict[str, str]:
    """Free codes for new municipalities known only by name (one query, whatever the number of names)."""
    taken = set(Municipality.objects.values_list("code", flat=True))
    codes = {}
    for name in names:
        base = municipality_code_from_name(name)
        code, n = base, 1
        while code in taken:
            n += 1
            code = f"{base}-{n}"
        taken.add(code)
        codes[name] = code
    return codes


class School(TimeStampedModel):
    class Settlement(models.TextChoices):
        TOWN = "town", "город"
        VILLAGE = "village", "село"

    code = models.CharField("код ОО", max_length=32, unique=True, validators=[validate_school_code])
    name = models.CharField("наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=255, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name="муниципалитет", on_delete=models.PROTECT, related_name="schools"
    )
    settlement = models.CharField("тип поселения", max_length=10, choices=Settlement.choices)
    address = models.CharField("адрес", max_length=500, blank=True)
    website = models.URLField("сайт", max_length=300, blank=True)
    is_small = models.BooleanField("малокомплектная", default=False)
    is_remote = models.BooleanField("удалённая", default=False)
    infrastructure_deficit = models.BooleanField("дефицит инфраструктуры", default=False)
    staff_shortage = models.BooleanField("некомплект кадров", default=False)
    import_batch = import_batch_link()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "образовательная организация"
        verbose_name_plural = "образовательные организации"
        ordering = ["code"]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("schools:detail", args=[self.code])

    @property
    def display_name(self):
        return self.short_name or self.name


# The figures of a school's context in a year, in this order: the API's fields, the computation's tuple of
# a school's context and the context fields a card criterion may read.
CONTEXT_FIGURES = (
    "students",
    "teachers",
    "police_registered",
    "migrants",
    "not_attested",
    "absentees",
    "special_needs",
    "accreditation_suspended",
    "teachers_diagnosed",
    "teachers_pd_request",
    "teachers_pd_risk",
)


class SchoolContext(TimeStampedModel):
    """Contingent, social factors and staffing of a school in one academic year (year = start year)."""

    school = models.ForeignKey(School, verbose_name="ОО", on_delete=models.CASCADE, related_name="contexts")
    year = models.PositiveSmallIntegerField("учебный год")
    students = models.PositiveIntegerField("обучающихся", null=True, blank=True)
    teachers = models.PositiveIntegerField("педагогов", null=True, blank=True)
    police_registered = models.PositiveIntegerField("на учёте ОДН/КДН", null=True, blank=True)
    migrants = models.PositiveIntegerField("мигранты или низкое владение русским", null=True, blank=True)
    not_attested = models.PositiveIntegerField("неаттестованные", null=True, blank=True)
    absentees = models.PositiveIntegerField("систематические пропуски", null=True, blank=True)
    special_needs = models.PositiveIntegerField("ЗПР/ОВЗ (ПМПК)", null=True, blank=True)
    accreditation_suspended = models.BooleanField(
        "лишение или приостановление аккредитации", null=True, blank=True
    )
    teachers_diagnosed = models.PositiveIntegerField(
        "учителей прошли диагностику дефицитов", null=True, blank=True
    )
    teachers_pd_request = models.PositiveIntegerField("учителей прошли КПК по запросу", null=True, blank=True)
    teachers_pd_risk = models.PositiveIntegerField(
        "учителей прошли КПК по работе с детьми с риском неуспешности", null=True, blank=True
    )
    # Optional (DESIGN §8): graduates whose final marks qualify them for a medal, and those of them who
    # did not meet its ЕГЭ conditions (since the 2023 medal order the medal itself needs ЕГЭ scores).
    medal_candidates = models.PositiveIntegerField("претендентов на медаль", null=True, blank=True)
    medal_candidates_unconfirmed = models.PositiveIntegerField(
        "претендентов на медаль, не выполнивших условия ЕГЭ", null=True, blank=True
    )
    import_batch = import_batch_link()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "контекст ОО за год"
        verbose_name_plural = "контекст ОО по годам"
        ordering = ["school__code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="school_context_unique_school_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="school_context_year_range"
            ),
        ]
        # the years with context are read by index probes (schools.queries.distinct_years)
        indexes = [models.Index(fields=["year"], name="school_context_year_idx")]

    def __str__(self):
        return f"{self.school.code} {formatting.school_year(self.year)}"


class Profile(models.Model):
    """Links a user to the school they lead (principals) and holds contact data for reminders."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    school = optional_link(School, "ОО", on_delete=models.SET_NULL, related_name="profiles")
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name="муниципалитеты",
        blank=True,
        related_name="specialist_profiles",
        help_text="муниципалитеты, которые видит специалист (инспектор); остальным ролям не нужны",
    )
    position = models.CharField("должность", max_length=255, blank=True)
    phone = models.CharField("телефон", max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "профиль пользователя"
        verbose_name_plural = "профили пользователей"

    def __str__(self):
        return f"{self.user.get_username()} ({self.school or 'без ОО'})"

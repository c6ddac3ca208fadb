"""The document registry and analytical report builds, both publishable on the public tab."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from schools import formatting
from schools.model_fields import acting_user, optional_link, random_file_name
from schools.models import TimeStampedModel


def document_upload_to(instance, filename: str) -> str:
    # The extension is that of the checked type, not of the uploaded name.
    return random_file_name("documents", instance.file_type or "bin")


def report_upload_to(instance, filename: str) -> str:
    return random_file_name(f"reports/{instance.kind}", filename.rsplit(".", 1)[-1])


# What staff write of a registry document (its file aside): the form's fields and what document_save sets.
DOCUMENT_FIELDS = (
    "title",
    "kind",
    "direction",
    "stage",
    "number",
    "date",
    "issuer",
    "description",
    "url",
    "text",
)


class Document(TimeStampedModel):
    """A conceptual, procedural or managerial document placed by direction and management-cycle stage."""

    class Kind(models.TextChoices):
        CONCEPTUAL = "conceptual", "концептуальный"
        PROCEDURAL = "procedural", "процессуальный"
        MANAGERIAL = "managerial", "управленческий"

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"
        ODT = "odt", "OpenDocument (ODT)"

    title = models.CharField("наименование", max_length=500)
    kind = models.CharField("вид документа", max_length=12, choices=Kind.choices)
    direction = models.ForeignKey(
        "roadmaps.Direction", verbose_name="направление", on_delete=models.PROTECT, related_name="documents"
    )
    stage = models.ForeignKey(
        "roadmaps.CycleStage",
        verbose_name="этап управленческого цикла",
        on_delete=models.PROTECT,
        related_name="documents",
    )
    number = models.CharField("номер", max_length=100, blank=True)
    date = models.DateField("дата", null=True, blank=True)
    issuer = models.CharField("кем утверждён", max_length=255, blank=True)
    description = models.TextField("краткое содержание", blank=True)
    file = models.FileField("файл", upload_to=document_upload_to, blank=True, max_length=255)
    file_type = models.CharField("тип файла", max_length=4, choices=FileType.choices, blank=True)
    file_name = models.CharField("имя загруженного файла", max_length=255, blank=True)
    file_size = models.PositiveIntegerField("размер файла, байт", null=True, blank=True)
    url = models.URLField("ссылка", max_length=500, blank=True)
    text = models.TextField(
        "текст документа", blank=True, help_text="Если документ не приложен файлом и не дан ссылкой."
    )
    is_published = models.BooleanField("опубликован", default=False)
    published_at = models.DateTimeField("опубликован когда", null=True, blank=True)
    published_by = acting_user("кто опубликовал", related_name="+")
    created_by = acting_user("кто добавил", related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "документ"
        verbose_name_plural = "реестр документов"
        ordering = ["direction__order", "direction__code", "stage__number", "-date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url="") | ~Q(text=""), name="document_has_source"
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="document_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:document-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """«№ 1048 от 05.07.2021» as written on documents."""
        parts = []
        if self.number:
            parts.append(f"№ {self.number}")
        if self.date:
            parts.append(f"от {self.date:%d.%m.%Y}")
        return " ".join(parts)


def report_series_key(kind: str, year: int, params: dict) -> str:
    """What makes two builds the same report: kind, year and the parameters (names and labels aside)."""
    import json

    key = {name: value for name, value in (params or {}).items() if not name.endswith("_label")}
    return f"{kind}:{year}:{json.dumps(key, sort_keys=True, ensure_ascii=False)}"[:300]


class Report(TimeStampedModel):
    """One build of an analytical report: its data snapshot, its files, its state and its publication."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Аналитический отчёт ШНОР/ШНСУ"
        SCHOOL = "school", "Профиль ОО"
        CAMPAIGN = "campaign", "Результаты мониторинга"
        EFFECTIVENESS = "effectiveness", "Анализ эффективности принятых мер"
        ROADMAP = "roadmap", "Исполнение дорожной карты"

    class Status(models.TextChoices):
        QUEUED = "queued", "В очереди"
        RUNNING = "running", "Формируется"
        DONE = "done", "Готов"
        FAILED = "failed", "Ошибка"

    kind = models.CharField("вид отчёта", max_length=15, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("учебный год")
    municipality = optional_link(
        "schools.Municipality",
        "муниципалитет",
        on_delete=models.PROTECT,
        related_name="reports",
        help_text="отчёт об одном муниципалитете (пусто — обо всей установке: регионе или округе)",
    )
    params = models.JSONField("параметры", default=dict, blank=True)
    title = models.CharField("заголовок", max_length=500)
    status = models.CharField("состояние", max_length=10, choices=Status.choices, default=Status.QUEUED)
    job = optional_link("schools.Job", "фоновая задача", on_delete=models.SET_NULL, related_name="+")
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    error = models.TextField("причина ошибки", blank=True)
    started_at = models.DateTimeField("начато", null=True, blank=True)
    heartbeat_at = models.DateTimeField("последний признак работы", null=True, blank=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)
    methodology_version = models.CharField("версия методики", max_length=100, blank=True)
    data = models.JSONField("данные отчёта", default=dict, blank=True)
    public_data = models.JSONField("данные для публикации", default=dict, blank=True)
    # The public page's text, rendered once at publication from `public_data` (the same content as the PDF),
    # so a report of 1,500 schools is not rendered again for each first visitor.
    public_html = models.TextField("опубликованный текст (HTML)", blank=True)
    conclusions = models.TextField("выводы", blank=True)
    conclusions_edited = models.BooleanField("выводы отредактированы", default=False)
    pdf = models.FileField("PDF", upload_to=report_upload_to, blank=True, max_length=255)
    xlsx = models.FileField("таблицы (xlsx)", upload_to=report_upload_to, blank=True, max_length=255)
    public_pdf = models.FileField(
        "опубликованный PDF", upload_to=report_upload_to, blank=True, max_length=255
    )
    public_xlsx = models.FileField(
        "опубликованные таблицы", upload_to=report_upload_to, blank=True, max_length=255
    )
    direction = optional_link(
        "roadmaps.Direction", "направление", on_delete=models.SET_NULL, related_name="reports"
    )
    stage = optional_link(
        "roadmaps.CycleStage", "этап управленческого цикла", on_delete=models.SET_NULL, related_name="reports"
    )
    is_published = models.BooleanField("опубликован", default=False)
    published_at = models.DateTimeField("опубликован когда", null=True, blank=True)
    published_by = acting_user("кто опубликовал", related_name="+")
    # Builds of the same report (kind, year, parameters) form a series; each publication is an edition.
    # Publishing a new build supersedes the current edition, which stays published as an earlier version.
    series = models.CharField("серия (один и тот же отчёт)", max_length=300, blank=True, db_index=True)
    edition = models.PositiveSmallIntegerField("номер опубликованной версии", null=True, blank=True)
    superseded_by = optional_link(
        "self", "заменён версией", on_delete=models.SET_NULL, related_name="earlier_editions"
    )
    superseded_at = models.DateTimeField("заменён когда", null=True, blank=True)
    created_by = acting_user("кто запустил", related_name="+")
    # `series` is a technical key (kind:year:parameters); the journal shows the edition numbers instead.
    history = HistoricalRecords(
        excluded_fields=["data", "public_data", "public_html", "series", "heartbeat_at"]
    )

    class Meta:
        verbose_name = "аналитический отчёт"
        verbose_name_plural = "аналитические отчёты"
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="report_year_range"),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status="done", published_at__isnull=False),
                name="report_published_is_done",
            ),
            models.UniqueConstraint(
                fields=["series"],
                condition=Q(is_published=True, superseded_by__isnull=True) & ~Q(series=""),
                name="report_one_current_edition",
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="report_status_heartbeat_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:report-detail", args=[self.pk])

    def get_public_url(self):
        return reverse("quality:report-detail", args=[self.pk])

    @property
    def year_label(self) -> str:
        return f"{formatting.school_year(self.year)}"

    @property
    def is_current_edition(self) -> bool:
        return self.is_published and self.superseded_by_id is None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

"""Directions of quality management, the management cycle, roadmaps, recommendations and decisions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from schools.model_fields import acting_user, import_batch_link, optional_link, record_version
from schools.models import TimeStampedModel

from .sources import indicator_names, recommendation_source_text


class CycleStage(models.Model):
    """One of the six stages of the management cycle (seed 000 technological map)."""

    number = models.PositiveSmallIntegerField("номер", unique=True)
    name = models.CharField("наименование", max_length=255)
    description = models.TextField("содержание этапа", blank=True)
    actions = models.TextField("действия, необходимые для реализации", blank=True)
    coordinator_duties = models.TextField("обязанности координатора", blank=True)
    executor_duties = models.TextField("обязанности ответственных исполнителей", blank=True)
    operator_duties = models.TextField("обязанности муниципального оператора", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "этап управленческого цикла"
        verbose_name_plural = "этапы управленческого цикла"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=6), name="cycle_stage_number_1_6"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Direction(models.Model):
    """A direction of improving municipal quality management (1.1 … 2.5), with its people."""

    code = models.CharField("номер", max_length=10, unique=True)
    group = models.CharField("группа механизмов", max_length=255, blank=True)
    name = models.CharField("наименование", max_length=500)
    coordinator = models.CharField("координатор", max_length=255, blank=True)
    coordinator_user = optional_link(
        settings.AUTH_USER_MODEL,
        "координатор (учётная запись)",
        on_delete=models.SET_NULL,
        related_name="coordinated_directions",
    )
    executors = models.CharField("ответственные исполнители", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "направление"
        verbose_name_plural = "направления"
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def executor_list(self) -> list[str]:
        return [part.strip() for part in self.executors.split(",") if part.strip()]


class StageDuty(models.Model):
    """Who does what for one direction at one stage: a cell of the responsibility matrix."""

    direction = models.ForeignKey(
        Direction, verbose_name="направление", on_delete=models.CASCADE, related_name="duties"
    )
    stage = models.ForeignKey(
        CycleStage, verbose_name="этап", on_delete=models.CASCADE, related_name="duties"
    )
    coordinator_duties = models.TextField("обязанности координатора", blank=True)
    executor_duties = models.TextField("обязанности ответственных исполнителей", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "обязанности по этапу"
        verbose_name_plural = "матрица ответственности"
        ordering = ["direction__order", "stage__number"]
        constraints = [
            models.UniqueConstraint(fields=["direction", "stage"], name="stage_duty_unique_direction_stage"),
        ]

    def __str__(self):
        return f"{self.direction.code} × {self.stage.number}"


class Roadmap(TimeStampedModel):
    """A municipal roadmap or one school's support programme."""

    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", "Муниципальная дорожная карта"
        SCHOOL = "school", "Программа помощи ОО"

    kind = models.CharField("вид", max_length=10, choices=Kind.choices, default=Kind.MUNICIPAL)
    title = models.CharField("наименование", max_length=500)
    school = optional_link("schools.School", "ОО", on_delete=models.PROTECT, related_name="roadmaps")
    municipality = optional_link(
        "schools.Municipality",
        "муниципалитет",
        on_delete=models.PROTECT,
        related_name="roadmaps",
        help_text="чья это муниципальная дорожная карта (у программы помощи ОО — муниципалитет школы)",
    )
    approved_by = models.CharField("утверждающий документ", max_length=500, blank=True)
    document_number = models.CharField("номер документа", max_length=100, blank=True)
    document_date = models.DateField("дата документа", null=True, blank=True)
    period_start = models.DateField("начало периода", null=True, blank=True)
    period_end = models.DateField("окончание периода", null=True, blank=True)
    directions = models.ManyToManyField(
        Direction, verbose_name="направления", blank=True, related_name="roadmaps"
    )
    notes = models.TextField("примечания", blank=True)
    version = record_version()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["kind", "school__code", "-document_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="municipal", school__isnull=True) | Q(kind="school", school__isnull=False)),
                name="roadmap_school_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="roadmap_period_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmaps:roadmap-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.school_id:  # a programme belongs to its school's municipality, whoever writes it
            self.municipality_id = (
                type(self)
                .school.field.related_model.objects.values_list("municipality_id", flat=True)
                .get(pk=self.school_id)
            )
        super().save(*args, **kwargs)


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "Запланировано"
    IN_PROGRESS = "in_progress", "Выполняется"
    DONE = "done", "Выполнено"
    CANCELLED = "cancelled", "Отменено"


CLOSED_ITEM_STATUSES = (ItemStatus.DONE, ItemStatus.CANCELLED)


class ActiveItemManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(is_archived=False)


class RoadmapItem(TimeStampedModel):
    """A measure of a roadmap, in one stage of the management cycle."""

    Status = ItemStatus

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="дорожная карта", on_delete=models.CASCADE, related_name="items"
    )
    stage = models.ForeignKey(CycleStage, verbose_name="этап", on_delete=models.PROTECT, related_name="items")
    direction = optional_link(Direction, "направление", on_delete=models.SET_NULL, related_name="items")
    section = models.CharField("раздел", max_length=500, blank=True)
    number = models.CharField("№", max_length=20)
    position = models.PositiveIntegerField("порядок", default=0)
    title = models.TextField("мероприятие")
    term = models.CharField("сроки (как в документе)", max_length=255, blank=True)
    due_date = models.DateField("срок исполнения", null=True, blank=True)
    responsible = models.CharField("ответственные", max_length=500, blank=True)
    responsible_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="ответственные (учётные записи)",
        blank=True,
        related_name="roadmap_items",
    )
    result = models.TextField("ожидаемый результат (документ)", blank=True)
    status = models.CharField("статус", max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    evidence = models.JSONField("ссылки на подтверждения", default=list, blank=True)
    completed_on = models.DateField("дата выполнения", null=True, blank=True)
    notes = models.TextField("примечания", blank=True)
    # What the item was made from, when a service made it (e.g. the individual route of a teacher code:
    # «teacher-diagnostics:2025:math:Т-017»); running that service again finds it instead of adding another.
    source_ref = models.CharField("источник мероприятия", max_length=255, blank=True)
    import_batch = import_batch_link()
    # Staff never delete an item (it carries the history of its execution): they archive it. An archived
    # item is hidden everywhere items are read (the default manager), and can be restored.
    is_archived = models.BooleanField("в архиве", default=False)
    archived_at = models.DateTimeField("когда отправлено в архив", null=True, blank=True)
    archived_by = acting_user("кто отправил в архив", related_name="+")
    version = record_version()
    history = HistoricalRecords()

    objects = ActiveItemManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "мероприятие дорожной карты"
        verbose_name_plural = "мероприятия дорожных карт"
        ordering = ["roadmap", "stage__number", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="roadmap_item_unique_number"),
            models.UniqueConstraint(
                fields=["roadmap", "source_ref"],
                condition=~Q(source_ref=""),
                name="roadmap_item_unique_source",
            ),
            models.CheckConstraint(
                condition=Q(status="done") | Q(completed_on__isnull=True),
                name="roadmap_item_completed_only_done",
            ),
        ]

    @staticmethod
    def audit_value(field_name: str, value):
        """How the journal shows a stored value of this model (`schools.audit.show_value` asks)."""
        if field_name == "source_ref":
            return recommendation_source_text(str(value), {})
        return value

    def __str__(self):
        return f"{self.number}. {self.title[:80]}"

    def get_absolute_url(self):
        return reverse("roadmaps:roadmap-detail", args=[self.roadmap_id]) + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        """The id of the item's row on its roadmap's page (where its link lands and its messages show)."""
        return f"item-{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_ITEM_STATUSES


class Recommendation(TimeStampedModel):
    """A targeted recommendation to one school or to a group, drawn from a finding."""

    class TargetGroup(models.TextChoices):
        TEACHERS = "teachers", "Педагоги"
        PRINCIPALS = "principals", "Руководители ОО"
        PARENTS = "parents", "Родители"
        STUDENTS = "students", "Обучающиеся"

    class SourceKind(models.TextChoices):
        CAMPAIGN = "campaign", "Мониторинг (критерий экспертной карты)"
        INDICATOR = "indicator", "Показатель"
        LIST = "list", "Список ШНОР/ШНСУ"
        OTHER = "other", "Иное"

    class Status(models.TextChoices):
        DRAFT = "draft", "Черновик"
        SENT = "sent", "Направлена"
        ANSWERED = "answered", "Получен ответ"
        CLOSED = "closed", "Исполнена"
        CANCELLED = "cancelled", "Отменена"

    school = optional_link("schools.School", "ОО", on_delete=models.PROTECT, related_name="recommendations")
    target_group = models.CharField(
        "адресат (группа)", max_length=12, choices=TargetGroup.choices, blank=True
    )
    direction = optional_link(
        Direction, "направление", on_delete=models.SET_NULL, related_name="recommendations"
    )
    year = models.PositiveSmallIntegerField("учебный год", null=True, blank=True)
    problem_area = models.CharField("проблемная область", max_length=500)
    text = models.TextField("текст рекомендации")
    source_kind = models.CharField(
        "источник", max_length=10, choices=SourceKind.choices, default=SourceKind.OTHER
    )
    source_ref = models.CharField("ссылка на источник", max_length=255, blank=True)
    due_date = models.DateField("срок", null=True, blank=True)
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = acting_user("автор", related_name="recommendations_written")
    answer = models.TextField("ответ ОО", blank=True)
    answer_evidence = models.JSONField("ссылки к ответу", default=list, blank=True)
    answered_at = models.DateTimeField("дата ответа", null=True, blank=True)
    answered_by = acting_user("кто ответил", related_name="recommendations_answered")
    version = record_version()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "адресная рекомендация"
        verbose_name_plural = "адресные рекомендации"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, target_group="") | Q(school__isnull=True) & ~Q(target_group="")
                ),
                name="recommendation_one_addressee",
            ),
        ]

    @staticmethod
    def audit_value(field_name: str, value):
        """How the journal shows a stored value of this model (`schools.audit.show_value` asks)."""
        if field_name == "source_ref":
            return recommendation_source_text(str(value), indicator_names())
        return value

    def __str__(self):
        return f"{self.addressee}: {self.problem_area}"

    def get_absolute_url(self):
        return reverse("roadmaps:recommendation-detail", args=[self.pk])

    @property
    def addressee(self) -> str:
        return str(self.school) if self.school_id else self.get_target_group_display()


class ManagementDecision(TimeStampedModel):
    """A management decision (stage 5) and the schools and recommendations it answers."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Повышение квалификации"
        FINANCIAL = "financial", "Финансовая помощь"
        STAFFING = "staffing", "Кадровое решение"
        INCENTIVE = "incentive", "Поощрительные меры"
        METHODICAL = "methodical", "Методическая помощь"
        OTHER = "other", "Иное"

    Status = ItemStatus

    kind = models.CharField("вид решения", max_length=12, choices=Kind.choices)
    title = models.CharField("содержание решения", max_length=500)
    year = models.PositiveSmallIntegerField("учебный год")
    direction = optional_link(Direction, "направление", on_delete=models.SET_NULL, related_name="decisions")
    document_number = models.CharField("номер документа", max_length=100, blank=True)
    document_date = models.DateField("дата документа", null=True, blank=True)
    responsible = models.CharField("ответственный", max_length=255, blank=True)
    participants = models.TextField("участники", blank=True)
    deadline = models.DateField("срок исполнения", null=True, blank=True)
    status = models.CharField("статус", max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    schools = models.ManyToManyField(
        "schools.School", verbose_name="ОО", blank=True, related_name="decisions"
    )
    recommendations = models.ManyToManyField(
        Recommendation, verbose_name="рекомендации", blank=True, related_name="decisions"
    )
    notes = models.TextField("примечания", blank=True)
    created_by = acting_user("кто внёс", related_name="decisions_created")
    version = record_version()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "управленческое решение"
        verbose_name_plural = "управленческие решения"
        ordering = ["-year", "-document_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="decision_year_range"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmaps:decision-detail", args=[self.pk])


class DigestDelivery(models.Model):
    """One weekly deadline digest sent to one address; makes the beat task safe to run twice."""

    week_start = models.DateField("неделя (понедельник)")
    email = models.EmailField("адрес")
    items = models.PositiveIntegerField("мероприятий в письме", default=0)
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "отправленная сводка сроков"
        verbose_name_plural = "отправленные сводки сроков"
        ordering = ["-week_start", "email"]
        constraints = [
            models.UniqueConstraint(fields=["week_start", "email"], name="digest_delivery_unique_week")
        ]

    def __str__(self):
        return f"{self.week_start:%d.%m.%Y} → {self.email}"

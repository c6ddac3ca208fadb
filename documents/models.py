"""Orders, references and protocols the department issues (DESIGN §9), and the templates they are drawn from.

A document keeps the data it was drawn from (`data`, a JSON snapshot made by `documents.contexts`), so its
DOCX and its PDF say the same thing and a signed document never changes with later data.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from indicators.models import Procedure
from schools import formatting
from schools.errors import Conflict
from schools.model_fields import acting_user, optional_link, random_file_name, record_version
from schools.models import TimeStampedModel

SIGNED_IMMUTABLE = (
    "Приказ № {number} от {date} подписан и не изменяется. Чтобы изменить его, подготовьте приказ "
    "«О внесении изменений…», чтобы отменить — приказ «О признании утратившим силу…»."
)


class DocumentKind(models.TextChoices):
    """The built-in kinds of drafts (§9); each has its fields and a built-in .docx template."""

    LISTS = "lists", "Об утверждении списков ШНОР и ШНСУ"
    MONITORING = "monitoring", "Об утверждении результатов мониторинга"
    ROADMAP = "roadmap", "Об утверждении дорожной карты"
    SPRAVKA = "spravka", "Аналитическая справка"
    PROTOCOL = "protocol", "Протокол совещания"
    CALENDAR = "calendar", "Циклограмма учебного года"


class DocumentTemplate(TimeStampedModel):
    """A .docx template (docxtpl) of one kind, stored as data. The built-in ones are drawn by
    `documents.docx_templates` at seed time; staff may upload their own with the same fields."""

    kind = models.CharField("вид документа", max_length=12, choices=DocumentKind.choices)
    title = models.CharField("название", max_length=255)
    content = models.BinaryField("файл шаблона (.docx)")
    file_name = models.CharField("имя загруженного файла", max_length=255, blank=True)
    is_builtin = models.BooleanField("встроенный", default=False)
    is_active = models.BooleanField("используется", default=True)
    uploaded_by = acting_user("кто загрузил", related_name="+")

    class Meta:
        verbose_name = "шаблон документа"
        verbose_name_plural = "шаблоны документов"
        ordering = ["kind", "-is_active", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_builtin=True), name="document_template_one_builtin"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


def order_file_name(instance, filename: str) -> str:
    return random_file_name(f"orders/{instance.document_kind}", filename.rsplit(".", 1)[-1])


class Order(TimeStampedModel):
    """An order (приказ), reference (справка) or protocol of the department: a draft until signed,
    unchangeable after. A correction or a withdrawal is a new order pointing at the original."""

    class Kind(models.TextChoices):
        LISTS = "lists", "Списки ШНОР/ШНСУ"
        MONITORING = "monitoring", "Мониторинг"
        ROADMAP = "roadmap", "Дорожная карта"
        OTHER = "other", "Иное"

    class Status(models.TextChoices):
        DRAFT = "draft", "Проект"
        SIGNED = "signed", "Подписан"

    class Relation(models.TextChoices):
        NONE = "", "—"
        AMENDS = "amends", "О внесении изменений"
        WITHDRAWS = "withdraws", "О признании утратившим силу"

    number = models.CharField("номер", max_length=50, blank=True, help_text="Как в журнале: 01-03/482.")
    date = models.DateField("дата")
    title = models.CharField("заголовок", max_length=500)
    kind = models.CharField("вид приказа", max_length=12, choices=Kind.choices)
    document_kind = models.CharField("форма документа", max_length=12, choices=DocumentKind.choices)
    status = models.CharField("состояние", max_length=6, choices=Status.choices, default=Status.DRAFT)
    year = models.PositiveSmallIntegerField("учебный год")
    municipality = optional_link(
        "schools.Municipality", "муниципалитет", on_delete=models.PROTECT, related_name="orders"
    )
    campaign = optional_link(
        "monitoring.Campaign", "мониторинг", on_delete=models.PROTECT, related_name="orders"
    )
    roadmap = optional_link(
        "roadmaps.Roadmap", "дорожная карта", on_delete=models.PROTECT, related_name="orders"
    )
    procedure = models.CharField(
        "оценочная процедура", max_length=10, blank=True, choices=Procedure.Code.choices
    )
    relation = models.CharField(
        "связь с другим приказом", max_length=10, choices=Relation.choices, default="", blank=True
    )
    related_order = optional_link(
        "self", "изменяемый или отменяемый приказ", on_delete=models.PROTECT, related_name="followers"
    )
    template = optional_link(DocumentTemplate, "шаблон", on_delete=models.PROTECT)
    preamble = models.TextField("преамбула («В соответствии с…»)", blank=True)
    place = models.CharField("место издания", max_length=100, blank=True)
    signatory_position = models.CharField("должность подписывающего", max_length=255, blank=True)
    signatory_name = models.CharField("подписывающий (И.О. Фамилия)", max_length=255, blank=True)
    control_person = models.CharField("контроль возложить на", max_length=255, blank=True)
    executor_name = models.CharField("исполнитель", max_length=255, blank=True)
    executor_phone = models.CharField("телефон исполнителя", max_length=50, blank=True)
    params = models.JSONField("введённые сведения (повестка, решения…)", default=dict, blank=True)
    data = models.JSONField("данные документа на момент составления", default=dict, blank=True)
    docx = models.FileField("DOCX", upload_to=order_file_name, blank=True, max_length=255)
    pdf = models.FileField("PDF", upload_to=order_file_name, blank=True, max_length=255)
    signed_at = models.DateTimeField("подписан когда", null=True, blank=True)
    signed_by = acting_user("кто отметил подписание", related_name="+")
    created_by = acting_user("кто подготовил", related_name="+")
    version = record_version()
    history = HistoricalRecords(excluded_fields=["data", "params"])

    class Meta:
        verbose_name = "приказ"
        verbose_name_plural = "приказы и документы"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number=""), name="order_signed_has_number"
            ),
            models.CheckConstraint(
                condition=Q(relation="") | Q(related_order__isnull=False), name="order_relation_has_target"
            ),
        ]
        indexes = [models.Index(fields=["kind", "year", "status"], name="order_kind_year_idx")]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def save(self, *args, **kwargs):
        # The one integrity rule the model keeps itself: a signed order is never written again,
        # whatever path (service, admin, shell) tries it.
        if getattr(self, "_loaded_status", None) == self.Status.SIGNED:
            raise Conflict(SIGNED_IMMUTABLE.format(number=self.number, date=formatting.date(self.date)))
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def get_absolute_url(self):
        return reverse("documents:order-detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def reference(self) -> str:
        """«№ 01-03/482 от 01.09.2025»; a draft without a number reads «№ ___»."""
        return f"№ {self.number or '___'} от {formatting.date(self.date)}"

    @property
    def year_label(self) -> str:
        return formatting.school_year(self.year)


class ApprovedSchool(models.Model):
    """A school on a ШНОР/ШНСУ list as a signed `lists` order approved it (frozen; never recomputed)."""

    class List(models.TextChoices):
        LOW_RESULTS = "low_results", "ШНОР"
        UNFAVOURABLE = "unfavourable", "ШНСУ"

    order = models.ForeignKey(Order, verbose_name="приказ", on_delete=models.PROTECT, related_name="approved")
    list_kind = models.CharField("список", max_length=20, choices=List.choices)
    school = models.ForeignKey(
        "schools.School", verbose_name="ОО", on_delete=models.PROTECT, related_name="approvals"
    )
    school_name = models.CharField("наименование ОО в приказе", max_length=500)
    grounds = models.TextField("основания", blank=True)

    class Meta:
        verbose_name = "ОО в утверждённом списке"
        verbose_name_plural = "ОО в утверждённых списках"
        ordering = ["order", "list_kind", "school__code"]
        constraints = [
            models.UniqueConstraint(fields=["order", "list_kind", "school"], name="approved_school_unique")
        ]

    def __str__(self):
        return f"{self.get_list_kind_display()}: {self.school_name}"


class CalendarEvent(TimeStampedModel):
    """A dated event of a school year that the circulogram shows beside campaigns and roadmap terms:
    the dates of assessment procedures (ВПР, ОГЭ, ЕГЭ…), meetings, report deadlines. Staff keep them."""

    year = models.PositiveSmallIntegerField("учебный год")
    starts_on = models.DateField("дата (начало)")
    ends_on = models.DateField("окончание", null=True, blank=True)
    title = models.CharField("событие", max_length=500)
    procedure = models.CharField(
        "оценочная процедура", max_length=10, blank=True, choices=Procedure.Code.choices
    )
    responsible = models.CharField("ответственный", max_length=255, blank=True)

    class Meta:
        verbose_name = "событие циклограммы"
        verbose_name_plural = "события циклограммы"
        ordering = ["year", "starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="calendar_event_ends_after_start",
                violation_error_message="Дата окончания события раньше даты его начала.",
            )
        ]

    def __str__(self):
        return f"{formatting.date(self.starts_on)} {self.title}"

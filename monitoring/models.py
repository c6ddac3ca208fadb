"""Monitoring: card templates (as data), campaigns with stage deadlines, expert cards and their answers.

A template is edited by staff (every edit raises its `version`); a card keeps a JSON snapshot of the
template version it is filled with, so editing a template never changes a card already in work.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from schools import formatting
from schools.model_fields import acting_user, optional_link, record_version
from schools.models import TimeStampedModel

from .defaults import DEFAULT_HIGH_SHARE, DEFAULT_MEDIUM_SHARE


class CardTemplate(TimeStampedModel):
    class Subject(models.TextChoices):
        SCHOOL = "school", "школа (заполняет руководитель ОО)"
        MUNICIPALITY = "municipality", "муниципалитет (заполняет специалист ОМС)"

    class Participants(models.TextChoices):
        LOW_RESULTS = "low_results", "школы из списка ШНОР отчётного года"
        ALL_SCHOOLS = "all_schools", "все школы (муниципалитета)"
        ALL_MUNICIPALITIES = "all_municipalities", "все муниципалитеты"
        MANUAL = "manual", "выбираются вручную"

    slug = models.SlugField("код шаблона", max_length=60, unique=True)
    title = models.CharField("название", max_length=500)
    description = models.TextField("описание", blank=True)
    subject = models.CharField("о ком карта", max_length=12, choices=Subject.choices, default=Subject.SCHOOL)
    participants = models.CharField(
        "участники по умолчанию",
        max_length=20,
        choices=Participants.choices,
        default=Participants.LOW_RESULTS,
    )
    # Raised by every edit: the content version cards snapshot, and the optimistic lock of the editor.
    version = models.PositiveIntegerField("версия", default=1)
    high_share = models.DecimalField(
        "высокая эффективность: доля от максимума не менее",
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_HIGH_SHARE,
    )
    medium_share = models.DecimalField(
        "средняя эффективность: доля от максимума не менее",
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_MEDIUM_SHARE,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "шаблон экспертной карты"
        verbose_name_plural = "шаблоны экспертных карт"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(medium_share__gt=0, medium_share__lt=F("high_share"), high_share__lte=1),
                name="card_template_level_shares_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} (версия {self.version})"

    def get_absolute_url(self):
        return reverse("monitoring:template-detail", args=[self.slug])


class TemplateSection(models.Model):
    template = models.ForeignKey(
        CardTemplate, verbose_name="шаблон", on_delete=models.CASCADE, related_name="sections"
    )
    number = models.PositiveSmallIntegerField("номер")
    title = models.CharField("название", max_length=1000)
    maximum = models.PositiveSmallIntegerField("максимум баллов")
    # Sections and criteria are edited in place (the template's version goes up); history keeps every
    # earlier text, maximum, points and threshold with who and when, in «Журнал изменений».
    history = HistoricalRecords()

    class Meta:
        verbose_name = "раздел шаблона"
        verbose_name_plural = "разделы шаблона"
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_section_unique_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Criterion(models.Model):
    class Kind(models.TextChoices):
        FLAG = "flag", "да/нет (факт наличия, участия)"
        NUMBER = "number", "число (балл — не менее порога)"
        SHARE = "share", "доля: числитель и знаменатель (балл — не менее порога, %)"
        CHOICE = "choice", "выбор варианта (баллы за каждый вариант)"
        LINK = "link", "ссылка (балл — за указанную ссылку)"
        TEXT = "text", "текст (без баллов)"
        COMPUTED = "computed", "расчёт портала (результаты, показатель или контекст)"

    section = models.ForeignKey(
        TemplateSection, verbose_name="раздел", on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)
    code = models.CharField("код", max_length=20)
    text = models.TextField("показатель")
    method = models.CharField("методика оценки", max_length=500, blank=True)
    points = models.PositiveSmallIntegerField("баллов", default=1, help_text="0 — критерий не оценивается")
    kind = models.CharField("вид", max_length=10, choices=Kind.choices, default=Kind.FLAG)
    threshold = models.DecimalField(
        "порог",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="для доли — в процентах (80), для числа — в единицах",
    )
    rule = models.JSONField(
        "правило расчёта",
        default=dict,
        blank=True,
        help_text='для вида «динамика»: {"procedures": ["EGE"], "subjects": ["russian"], "grades": [], '
        '"measure": "below_min|mark2|high|mark5", "direction": "decrease|increase"}',
    )
    options = models.JSONField(
        "варианты",
        default=list,
        blank=True,
        help_text='для вида «выбор»: [{"value": "full", "label": "в полном объёме", "points": 2}, …]',
    )
    context_field = models.CharField(
        "поле контекста ОО",
        max_length=40,
        blank=True,
        help_text="значение проверенной карты становится этим полем контекста ОО за отчётный год",
    )
    evidence_required = models.BooleanField("нужна ссылка на подтверждение", default=True)
    periodicity = models.CharField("периодичность", max_length=200, blank=True)
    source = models.CharField("источник информации", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "критерий"
        verbose_name_plural = "критерии"
        ordering = ["section", "order", "pk"]

    def __str__(self):
        return f"{self.code} {self.text[:60]}"


class Campaign(TimeStampedModel):
    """A monitoring campaign of one reporting academic year (year = its start year, 2024 = 2024/2025).

    The self-assessment of year Y happens in the autumn after that academic year ends, so the default
    deadlines are 30 September, 15 October and 1 November of calendar year Y + 1.
    """

    year = models.PositiveSmallIntegerField("отчётный учебный год")
    title = models.CharField("название", max_length=500)
    template = models.ForeignKey(
        CardTemplate, verbose_name="шаблон карты", on_delete=models.PROTECT, related_name="campaigns"
    )
    self_assessment_due = models.DateField("самооценка руководителя до")
    verification_due = models.DateField("контроль объективности до")
    evaluation_due = models.DateField("оценка эффективности до")
    reminder_days = models.PositiveSmallIntegerField(
        "напоминать за, дней", default=7, help_text="письмо руководителю за столько дней до срока и за 1 день"
    )
    revision_days = models.PositiveSmallIntegerField(
        "срок доработки, дней", default=7, help_text="сколько дней даётся на доработку возвращённой карты"
    )
    created_by = acting_user("кто создал")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "мониторинг"
        verbose_name_plural = "мониторинги"
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["year", "template"], name="campaign_unique_year_template"),
            models.CheckConstraint(
                condition=Q(
                    self_assessment_due__lte=F("verification_due"), verification_due__lte=F("evaluation_due")
                ),
                name="campaign_deadlines_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title}, {formatting.school_year(self.year)}"

    def get_absolute_url(self):
        return reverse("monitoring:campaign-detail", args=[self.pk])

    @property
    def year_label(self):
        return formatting.school_year(self.year)


class Level(models.TextChoices):
    HIGH = "high", "высокая"
    MEDIUM = "medium", "средняя"
    LOW = "low", "низкая"


class ExpertCard(TimeStampedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "не начата"
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "отправлена"
        RETURNED = "returned", "возвращена на доработку"
        VERIFIED = "verified", "проверена"
        EVALUATED = "evaluated", "оценена"

    campaign = models.ForeignKey(
        Campaign, verbose_name="мониторинг", on_delete=models.CASCADE, related_name="cards"
    )
    # PROTECT: deleting a school must not take its filled cards and their change log with it.
    # A card is about a school or, for a `municipality` template, about a municipality (exactly one).
    school = optional_link("schools.School", "ОО", on_delete=models.PROTECT, related_name="expert_cards")
    municipality = optional_link(
        "schools.Municipality", "муниципалитет", on_delete=models.PROTECT, related_name="expert_cards"
    )
    status = models.CharField("состояние", max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    template_version = models.PositiveIntegerField("версия шаблона")
    template_snapshot = models.JSONField("шаблон на момент заполнения")
    max_score = models.PositiveSmallIntegerField("максимум баллов")
    self_score = models.PositiveSmallIntegerField("самооценка, баллов", null=True, blank=True)
    score = models.PositiveSmallIntegerField("подтверждено, баллов", null=True, blank=True)
    level = models.CharField("степень эффективности", max_length=6, choices=Level.choices, blank=True)
    reopened_until = models.DateField("открыта руководителю до", null=True, blank=True)
    return_message = models.TextField("замечания при возврате", blank=True)
    submitted_at = models.DateTimeField("отправлена", null=True, blank=True)
    verified_at = models.DateTimeField("проверена", null=True, blank=True)
    evaluated_at = models.DateTimeField("оценена", null=True, blank=True)
    version = record_version()

    class Meta:
        verbose_name = "экспертная карта"
        verbose_name_plural = "экспертные карты"
        ordering = ["campaign", "school__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="expert_card_unique_campaign_school"),
            models.UniqueConstraint(
                fields=["campaign", "municipality"], name="expert_card_unique_campaign_municipality"
            ),
            models.CheckConstraint(
                condition=Q(school__isnull=False, municipality__isnull=True)
                | Q(school__isnull=True, municipality__isnull=False),
                name="expert_card_one_subject",
            ),
            models.CheckConstraint(condition=Q(score__lte=F("max_score")), name="expert_card_score_lte_max"),
        ]

    def __str__(self):
        return f"{self.subject} — {self.campaign}"

    @property
    def subject(self):
        """The school or the municipality the card is about."""
        return self.school if self.school_id else self.municipality

    @property
    def subject_code(self) -> str:
        """The school's code; a municipality's code once region mode gives municipalities one."""
        if self.school_id:
            return self.school.code
        return str(getattr(self.municipality, "code", "") or "")

    @property
    def subject_name(self) -> str:
        return self.school.display_name if self.school_id else self.municipality.name

    def get_absolute_url(self):
        return reverse("monitoring:card-detail", args=[self.pk])


# What the filler of a card enters for a criterion (the card form, its autosave and the API alike).
ANSWER_INPUTS = ("claimed", "numerator", "denominator", "value", "choice", "text", "evidence", "comment")


class CardAnswer(models.Model):
    class Verdict(models.TextChoices):
        PENDING = "pending", "не проверено"
        CONFIRMED = "confirmed", "подтверждено"
        REJECTED = "rejected", "отклонено"

    card = models.ForeignKey(
        ExpertCard, verbose_name="карта", on_delete=models.CASCADE, related_name="answers"
    )
    criterion_code = models.CharField("критерий", max_length=20)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    claimed = models.BooleanField("заявлено руководителем", default=False)
    numerator = models.PositiveIntegerField("числитель", null=True, blank=True)
    denominator = models.PositiveIntegerField("знаменатель", null=True, blank=True)
    value = models.DecimalField("значение", max_digits=12, decimal_places=2, null=True, blank=True)
    choice = models.CharField("выбранный вариант", max_length=60, blank=True)
    text = models.TextField("ответ (текст)", blank=True)
    evidence = models.TextField("ссылки на подтверждающие документы", blank=True)
    comment = models.TextField("комментарий руководителя", blank=True)
    computed = models.BooleanField("расчёт по результатам", null=True, blank=True)
    computed_detail = models.JSONField("расчёт: подробности", default=dict, blank=True)
    verdict = models.CharField("решение", max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    verifier_comment = models.TextField("комментарий проверяющего", blank=True)
    points = models.PositiveSmallIntegerField("баллов", default=0)

    class Meta:
        verbose_name = "ответ по критерию"
        verbose_name_plural = "ответы по критериям"
        ordering = ["card", "order"]
        constraints = [
            models.UniqueConstraint(fields=["card", "criterion_code"], name="card_answer_unique_criterion"),
            models.CheckConstraint(
                condition=Q(numerator__lte=F("denominator")), name="card_answer_numerator_lte_denominator"
            ),
        ]

    def __str__(self):
        return f"{self.card_id} {self.criterion_code}"

    @property
    def evidence_list(self) -> list[str]:
        return self.evidence.split()

    @property
    def share_percent(self) -> str:
        """«62,5 %» (formatting.share), empty without a denominator."""
        if self.numerator is None or not self.denominator:
            return ""
        return formatting.share(self.numerator * 100 / self.denominator, 1)


class CardChange(models.Model):
    """One entry of a card's history: who, when, what (old → new)."""

    class Action(models.TextChoices):
        CREATED = "created", "карта создана"
        SAVED = "saved", "изменение"
        SUBMITTED = "submitted", "отправлена на проверку"
        VERDICT = "verdict", "решение проверяющего"
        RETURNED = "returned", "возвращена на доработку"
        REOPENED = "reopened", "открыта для заполнения"
        VERIFIED = "verified", "проверка завершена"
        EVALUATED = "evaluated", "оценка завершена"

    card = models.ForeignKey(
        ExpertCard, verbose_name="карта", on_delete=models.CASCADE, related_name="changes"
    )
    at = models.DateTimeField("когда", auto_now_add=True)
    user = acting_user("кто")
    action = models.CharField("действие", max_length=10, choices=Action.choices)
    criterion_code = models.CharField("критерий", max_length=20, blank=True)
    field = models.CharField("поле", max_length=40, blank=True)
    old_value = models.TextField("было", blank=True)
    new_value = models.TextField("стало", blank=True)

    class Meta:
        verbose_name = "изменение карты"
        verbose_name_plural = "история карт"
        ordering = ["card", "-at", "-pk"]
        # «Журнал изменений» reads the newest changes across all cards.
        indexes = [models.Index(fields=["-at", "-id"], name="card_change_newest_first")]

    def __str__(self):
        return f"{self.card_id} {self.get_action_display()} {self.criterion_code} {self.field}"

    @property
    def field_label(self) -> str:
        """The changed field as a person names it («ссылки на подтверждающие документы», not «evidence»)."""
        for model in (CardAnswer, ExpertCard):
            try:
                return str(model._meta.get_field(self.field).verbose_name)
            except FieldDoesNotExist:
                continue
        return self.field

    def _value_text(self, value: str) -> str:
        choices = {"verdict": CardAnswer.Verdict, "status": ExpertCard.Status}.get(self.field)
        if choices is not None and value in choices.values:
            return str(choices(value).label)
        if self.field == "choice" and value:  # a `choice` option: its label, as the card shows it
            sections = (self.card.template_snapshot or {}).get("sections", [])
            for criterion in (c for section in sections for c in section.get("criteria", [])):
                if criterion.get("code") == self.criterion_code:
                    labels = {o.get("value"): o.get("label") for o in criterion.get("options") or []}
                    return labels.get(value) or value
        return value

    @property
    def old_text(self) -> str:
        return self._value_text(self.old_value)

    @property
    def new_text(self) -> str:
        return self._value_text(self.new_value)


class CardReminder(models.Model):
    """A reminder e-mail already sent, so the daily beat task never sends the same one twice."""

    card = models.ForeignKey(ExpertCard, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("вид", max_length=40)
    deadline = models.DateField("срок")
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "напоминание"
        verbose_name_plural = "напоминания"
        constraints = [
            models.UniqueConstraint(fields=["card", "kind", "deadline"], name="card_reminder_unique"),
        ]

    def __str__(self):
        return f"{self.card_id} {self.kind} {self.deadline}"


class CardContextRecord(TimeStampedModel):
    """Provenance: the school context values a verified card wrote (the `social-conditions` monitoring).

    The context importer asks for these (schools.provenance) and shows where a file differs instead of
    silently overwriting what the verified card established."""

    card = models.OneToOneField(
        ExpertCard, verbose_name="карта", on_delete=models.PROTECT, related_name="context_record"
    )
    context = models.ForeignKey(
        "schools.SchoolContext",
        verbose_name="контекст ОО",
        on_delete=models.CASCADE,
        related_name="card_records",
    )
    values = models.JSONField("внесённые значения")

    class Meta:
        verbose_name = "контекст ОО из карты мониторинга"
        verbose_name_plural = "контекст ОО из карт мониторинга"

    def __str__(self):
        return f"{self.context} ← карта {self.card_id}"

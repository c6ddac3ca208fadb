from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from schools import formatting
from schools.model_fields import acting_user, import_batch_link, optional_link
from schools.models import TimeStampedModel

from .computation import shown_rank
from .defaults import (
    CLUSTER_SCOPE_MUNICIPALITY,
    CLUSTER_SCOPE_REGION,
    DEFAULT_CLUSTER_SCOPE,
    DEFAULT_LOW_RESULTS_SHARE,
    DEFAULT_LOW_RESULTS_YEARS,
    DEFAULT_SIZE_EDGES,
    DEFAULT_TEACHER_HIGH_FROM,
    DEFAULT_TEACHER_MEDIUM_FROM,
    DEFAULT_UNFAVOURABLE_SHARE,
    TEACHER_BANDS_INVALID,
)


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


# The figures of a school's value of one indicator in a year, as the computation stores them and the API
# gives them.
VALUE_FIGURES = ("value", "numerator", "denominator", "is_low_data", "risk", "rank", "population_size")
# A school's place in a year's computation (cluster, indices, ranks), as stored and as the reports read it.
STATUS_PLACE_FIGURES = (
    "has_context",
    "cluster",
    "cluster_size",
    "results_index",
    "social_index",
    "rank_in_cluster",
    "social_rank",
    "social_population",
)


# The figures one result row carries, in the order of the import file (DESIGN §4.2): the API, the admin's
# export, the import's update and the benchmarks' bulk loads all name these.
RESULT_FIGURES = (
    "participants",
    "below_min",
    "high",
    "mark2",
    "mark3",
    "mark4",
    "mark5",
    "average",
    "lowered",
    "confirmed",
    "raised",
)


class AssessmentResult(TimeStampedModel):
    """Aggregated result of one school in one procedure, subject and grade in a year (no student records)."""

    # No index of its own: the unique key (school, year, …) starts with the school and serves those lookups.
    school = models.ForeignKey(
        "schools.School", verbose_name="ОО", on_delete=models.CASCADE, related_name="results", db_index=False
    )
    year = models.PositiveSmallIntegerField("учебный год")
    # procedure, subject and import_batch have no database-level constraint: PostgreSQL checks each one with
    # a trigger per inserted row, and for a 200,000-row file the three cost more than the whole insert. The
    # results import checks every id it writes in the same transaction, and Django still applies PROTECT /
    # SET_NULL on deletion. The school keeps its constraint (CASCADE of a school's results).
    # Neither has an index of its own that every imported row would update. The computation reads by year and
    # procedure (`result_year_procedure_idx`); the API and admin filters by procedure or subject alone match a
    # tenth to a half of all rows, where such an index does not help (measured in benchmarks/RESULTS.md §1).
    # Deleting a procedure or subject scans the table for PROTECT.
    procedure = models.ForeignKey(
        Procedure, verbose_name="процедура", on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
    subject = models.ForeignKey(
        Subject, verbose_name="предмет", on_delete=models.PROTECT, db_constraint=False, db_index=False
    )
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
    # How the procedure was conducted (optional columns, DESIGN §8): shown beside the objectivity markers.
    observers = models.BooleanField("общественные наблюдатели", null=True, blank=True)
    video = models.BooleanField("видеонаблюдение", null=True, blank=True)
    recheck = models.BooleanField("перепроверка", null=True, blank=True)
    import_batch = import_batch_link(db_constraint=False)
    # The history is read by result (id), date and user; indexes on the copied foreign keys only slowed
    # every import down (each imported row writes a history row).
    history = HistoricalRecords(no_db_index=["school", "procedure", "subject", "import_batch"])

    class Meta:
        verbose_name = "результат оценочной процедуры"
        verbose_name_plural = "результаты оценочных процедур"
        ordering = ["school__code", "year", "procedure__code", "subject__name", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "procedure", "subject", "grade"],
                name="assessment_result_unique_key",
            ),
            models.CheckConstraint(
                condition=Q(below_min__lte=F("participants")), name="result_below_min_lte_participants"
            ),
            models.CheckConstraint(
                condition=Q(high__lte=F("participants")), name="result_high_lte_participants"
            ),
            models.CheckConstraint(
                condition=Q(mark2__lte=F("participants")), name="result_mark2_lte_participants"
            ),
        ]
        indexes = [models.Index(fields=["year", "procedure"], name="result_year_procedure_idx")]

    def __str__(self):
        return f"{self.school_id} {self.year} {self.procedure_id} {self.subject_id} {self.grade}"


class Indicator(models.Model):
    """An entry of the indicator catalogue (DESIGN §4.3); the computation is keyed by `code`."""

    class Group(models.TextChoices):
        RESULTS = "results", "Результаты обучения (ШНОР)"
        SOCIAL = "social", "Социальные условия (ШНСУ)"
        TEACHERS = "teachers", "Педагогические кадры"

    class Polarity(models.TextChoices):
        HIGHER_IS_BETTER = "higher_is_better", "чем больше, тем лучше"
        HIGHER_IS_WORSE = "higher_is_worse", "чем больше, тем хуже"

    class Kind(models.TextChoices):
        SHARE = "share", "доля, %"
        FLAG = "flag", "признак (да/нет)"

    class Index(models.TextChoices):
        RESULTS = "results", "индекс результатов"
        SOCIAL = "social", "индекс социального благополучия"
        NONE = "", "не входит в индекс"

    code = models.SlugField("код", max_length=60, unique=True)
    name = models.CharField("наименование", max_length=255)
    short_name = models.CharField("краткое наименование", max_length=120)
    group = models.CharField("группа", max_length=20, choices=Group.choices)
    kind = models.CharField("вид", max_length=10, choices=Kind.choices, default=Kind.SHARE)
    index = models.CharField("входит в индекс", max_length=10, choices=Index.choices, blank=True)
    formula = models.TextField("формула расчёта")
    polarity = models.CharField("направленность", max_length=20, choices=Polarity.choices)
    unit = models.CharField("единица измерения", max_length=20, default="%")
    source = models.TextField("источник данных", blank=True)
    responsible = models.CharField("ответственный", max_length=255, blank=True)
    periodicity = models.CharField("периодичность", max_length=100, default="ежегодно")
    description = models.TextField("описание", blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "показатель"
        verbose_name_plural = "показатели"
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def higher_is_worse(self) -> bool:
        return self.polarity == self.Polarity.HIGHER_IS_WORSE


def default_medal_conditions() -> dict:
    """The ЕГЭ scores a medal needs since the 2023 order (Минпросвещения № 730), by degree."""
    from .objectivity import DEFAULT_MEDAL_CONDITIONS

    return {degree: dict(terms) for degree, terms in DEFAULT_MEDAL_CONDITIONS.items()}


# The rules that draw the lists (cluster size edges, q, n, p, the minimum of participants), in the order the
# admin's list and the rules form show them.
LIST_RULE_FIELDS = (
    "size_edge_small",
    "size_edge_large",
    "low_results_share",
    "low_results_years",
    "unfavourable_share",
    "min_participants",
)


class MethodologyRules(TimeStampedModel):
    """Editable rules of the computation (DESIGN §4.4), one version per starting academic year.

    The version used for year Y is the one with the greatest `valid_from` ≤ Y; every run keeps a
    snapshot of it. Changes are kept by simple_history (who, when, what).
    """

    class ClusterScope(models.TextChoices):
        MUNICIPALITY = CLUSTER_SCOPE_MUNICIPALITY, "муниципалитет (кластеры и ШНСУ — внутри муниципалитета)"
        REGION = CLUSTER_SCOPE_REGION, "регион (кластеры и ШНСУ — по всем муниципалитетам региона)"

    valid_from = models.PositiveSmallIntegerField("действуют с учебного года", unique=True)
    cluster_scope = models.CharField(
        "совокупность для кластеров и ШНСУ",
        max_length=12,
        choices=ClusterScope.choices,
        default=DEFAULT_CLUSTER_SCOPE,
        help_text=(
            "Муниципалитет: кластер — муниципалитет × тип поселения × численность, ШНСУ — место среди школ "
            "муниципалитета. Регион: кластер — тип поселения × численность по всему региону, ШНСУ — место "
            "среди всех школ региона."
        ),
    )
    size_edge_small = models.PositiveIntegerField(
        "граница кластера по численности: малые школы до", default=DEFAULT_SIZE_EDGES[0]
    )
    size_edge_large = models.PositiveIntegerField(
        "граница кластера по численности: крупные школы от", default=DEFAULT_SIZE_EDGES[1]
    )
    low_results_share = models.DecimalField(
        "доля школ кластера с низкими результатами (q)",
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_LOW_RESULTS_SHARE,
    )
    low_results_years = models.PositiveSmallIntegerField(
        "лет подряд с низкими результатами для ШНОР (n)", default=DEFAULT_LOW_RESULTS_YEARS
    )
    unfavourable_share = models.DecimalField(
        "доля школ муниципалитета с самым низким социальным индексом (p)",
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_UNFAVOURABLE_SHARE,
    )
    min_participants = models.PositiveIntegerField(
        "минимум участников для расчёта показателя результатов",
        default=0,
        help_text=(
            "Если участников меньше, показатель отмечается «мало данных» и не участвует в ранжировании."
        ),
    )
    weights = models.JSONField("веса показателей в индексах", default=dict, blank=True)
    lowered_threshold = models.DecimalField(
        "порог доли понизивших отметку на ВПР, %", max_digits=5, decimal_places=2, default=Decimal("30")
    )
    raised_threshold = models.DecimalField(
        "порог доли повысивших отметку на ВПР, %", max_digits=5, decimal_places=2, default=Decimal("15")
    )
    mismatch_threshold = models.DecimalField(
        "порог доли не преодолевших минимум ОГЭ при ВПР без «2», %",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
    )
    objectivity_min_participants = models.PositiveIntegerField(
        "признаки необъективности: минимум участников в строке", default=10
    )
    objectivity_min_rows = models.PositiveSmallIntegerField(
        "признаки необъективности: минимум строк ВПР (предмет, класс) для признака", default=2
    )
    high_band_share = models.DecimalField(
        "порог доли «5» на ВПР, %", max_digits=5, decimal_places=2, default=Decimal("30")
    )
    high_band_ratio = models.DecimalField(
        "во сколько раз доля «5» выше, чем в группе сравнения",
        max_digits=4,
        decimal_places=2,
        default=Decimal("2"),
    )
    high_band_group = models.CharField(
        "группа сравнения доли «5»",
        max_length=20,
        choices=[("municipality", "муниципалитет"), ("region", "регион")],
        default="municipality",
    )
    kdr_gap = models.DecimalField(
        "на сколько средняя отметка ВПР выше, чем КДР", max_digits=4, decimal_places=2, default=Decimal("0.7")
    )
    medal_unconfirmed_share = models.DecimalField(
        "порог доли претендентов на медаль, не выполнивших условия ЕГЭ, %",
        max_digits=5,
        decimal_places=2,
        default=Decimal("30"),
    )
    medal_conditions = models.JSONField(
        "условия ЕГЭ для медали по степеням", default=default_medal_conditions, blank=True
    )
    objectivity_list_markers = models.PositiveSmallIntegerField(
        "признаков для списка ОО с признаками необъективности", default=2
    )
    comment = models.TextField("основание изменения", blank=True)
    changed_by = acting_user("кто изменил")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "правила расчёта"
        verbose_name_plural = "правила расчёта"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size_edge_small__lt=F("size_edge_large")), name="rules_size_edges_order"
            ),
            models.CheckConstraint(
                condition=Q(low_results_share__gt=0, low_results_share__lte=1), name="rules_q_range"
            ),
            models.CheckConstraint(
                condition=Q(unfavourable_share__gt=0, unfavourable_share__lte=1), name="rules_p_range"
            ),
            models.CheckConstraint(condition=Q(low_results_years__gte=1), name="rules_n_positive"),
            models.CheckConstraint(
                condition=Q(cluster_scope__in=[CLUSTER_SCOPE_MUNICIPALITY, CLUSTER_SCOPE_REGION]),
                name="rules_cluster_scope_known",
            ),
            models.CheckConstraint(
                condition=Q(objectivity_min_rows__gte=1, objectivity_list_markers__gte=1),
                name="rules_objectivity_counts_positive",
            ),
        ]

    def __str__(self):
        return f"Правила расчёта с {formatting.school_year(self.valid_from)} учебного года"

    def weight(self, code: str) -> float:
        try:
            return float((self.weights or {}).get(code, 1))
        except (TypeError, ValueError):
            return 1.0

    def snapshot(self) -> dict:
        return {
            "valid_from": self.valid_from,
            "cluster_scope": self.cluster_scope,
            "size_edges": [self.size_edge_small, self.size_edge_large],
            "q": str(self.low_results_share),
            "n": self.low_results_years,
            "p": str(self.unfavourable_share),
            "min_participants": self.min_participants,
            "weights": dict(self.weights or {}),
            "lowered_threshold": str(self.lowered_threshold),
            "raised_threshold": str(self.raised_threshold),
            "mismatch_threshold": str(self.mismatch_threshold),
            "objectivity": {
                "min_participants": self.objectivity_min_participants,
                "min_rows": self.objectivity_min_rows,
                "high_band_share": str(self.high_band_share),
                "high_band_ratio": str(self.high_band_ratio),
                "high_band_group": self.high_band_group,
                "kdr_gap": str(self.kdr_gap),
                "medal_unconfirmed_share": str(self.medal_unconfirmed_share),
                "list_markers": self.objectivity_list_markers,
            },
        }


class ComputationRun(models.Model):
    """One computation of a year: who, when, with which rules; the year's values and statuses point here."""

    year = models.PositiveSmallIntegerField("учебный год")
    rules = optional_link(MethodologyRules, "правила", on_delete=models.SET_NULL)
    rules_snapshot = models.JSONField("правила на момент расчёта", default=dict)
    started_at = models.DateTimeField("начат")
    finished_at = models.DateTimeField("завершён", null=True, blank=True)
    started_by = acting_user("кто запустил")
    schools = models.PositiveIntegerField("школ в расчёте", default=0)
    low_results_count = models.PositiveIntegerField("ШНОР", default=0)
    unfavourable_count = models.PositiveIntegerField("ШНСУ", default=0)

    class Meta:
        verbose_name = "расчёт показателей"
        verbose_name_plural = "расчёты показателей"
        ordering = ["-started_at"]

    def __str__(self):
        return f"Расчёт {formatting.school_year(self.year)} от {formatting.local_datetime(self.started_at)}"


class IndicatorValue(models.Model):
    """The value of one indicator for a school and year, with what it was computed from."""

    # Few indexes on purpose: a year's computation writes ~18 rows per school; the unique key
    # (school, year, indicator) and (year, indicator) serve every read, so the FK indexes are left out.
    # No database foreign-key constraints either: the database checks a constraint row by row, and
    # 720,000 rows × 3 checks took longer than the whole computation may (benchmarks/RESULTS.md §2).
    # Only the computation writes these rows, with ids it read in the same run; the
    # SchoolStatus rows it writes in the same transaction for the same schools and run keep their
    # constraints, so a school deleted meanwhile still makes the whole run roll back. CASCADE/PROTECT
    # are Django's (deleting a school, run or indicator through the ORM behaves as before).
    run = models.ForeignKey(
        ComputationRun,
        verbose_name="расчёт",
        on_delete=models.CASCADE,
        related_name="values",
        db_index=False,
        db_constraint=False,
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name="ОО",
        on_delete=models.CASCADE,
        related_name="indicator_values",
        db_index=False,
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField("учебный год")
    indicator = models.ForeignKey(
        Indicator, verbose_name="показатель", on_delete=models.PROTECT, db_index=False, db_constraint=False
    )
    value = models.FloatField("значение", null=True, blank=True)
    numerator = models.FloatField("числитель", null=True, blank=True)
    denominator = models.FloatField("знаменатель", null=True, blank=True)
    is_low_data = models.BooleanField("мало данных", default=False)
    risk = models.FloatField("шкалированный риск", null=True, blank=True)
    rank = models.PositiveIntegerField("место в совокупности (1 — худшее)", null=True, blank=True)
    population_size = models.PositiveIntegerField("школ в совокупности", null=True, blank=True)

    class Meta:
        verbose_name = "значение показателя"
        verbose_name_plural = "значения показателей"
        ordering = ["school_id", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "indicator"], name="indicator_value_unique"),
        ]
        indexes = [models.Index(fields=["year", "indicator"], name="indicator_value_year_idx")]

    def __str__(self):
        return f"{self.school_id} {self.year} {self.indicator_id}: {self.value}"

    @property
    def shown_rank(self) -> int | None:
        """The place pages show (see `computation.shown_rank`); `rank` stays as computed for the API."""
        return shown_rank(
            value=self.value,
            risk=self.risk,
            rank=self.rank,
            is_flag=self.indicator.kind == Indicator.Kind.FLAG,
        )


class SchoolStatus(models.Model):
    """A school's computed position in a year: cluster, indices, ranks, list membership and the reasons."""

    run = models.ForeignKey(
        ComputationRun, verbose_name="расчёт", on_delete=models.CASCADE, related_name="statuses"
    )
    school = models.ForeignKey(
        "schools.School", verbose_name="ОО", on_delete=models.CASCADE, related_name="statuses"
    )
    year = models.PositiveSmallIntegerField("учебный год")
    has_context = models.BooleanField("есть контекст за год", default=False)
    cluster = models.CharField("кластер", max_length=300, blank=True)
    cluster_size = models.PositiveIntegerField("школ в кластере с индексом", null=True, blank=True)
    results_index = models.FloatField("индекс результатов", null=True, blank=True)
    social_index = models.FloatField("индекс социального благополучия", null=True, blank=True)
    rank_in_cluster = models.PositiveIntegerField(
        "место в кластере (1 — самый низкий индекс)", null=True, blank=True
    )
    social_rank = models.PositiveIntegerField(
        "место в муниципалитете по социальному индексу", null=True, blank=True
    )
    social_population = models.PositiveIntegerField(
        "школ муниципалитета с социальным индексом", null=True, blank=True
    )
    is_low_data = models.BooleanField("мало данных", default=False)
    low_results_year = models.BooleanField("низкие результаты в этом году", default=False)
    low_results = models.BooleanField("ШНОР (расчёт)", default=False)
    unfavourable = models.BooleanField("ШНСУ (расчёт)", default=False)
    reasons = models.JSONField("обоснование", default=dict, blank=True)
    objectivity_flags = models.JSONField("маркеры необъективности", default=list, blank=True)

    class Meta:
        verbose_name = "статус ОО за год"
        verbose_name_plural = "статусы ОО по годам"
        ordering = ["school__code"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="school_status_unique")]
        indexes = [
            models.Index(fields=["year", "cluster"], name="school_status_cluster_idx"),
            # the members of the lists (a few per cent of a year's schools) without reading the rest
            models.Index(
                fields=["year", "school"],
                name="school_status_listed_idx",
                condition=Q(low_results=True) | Q(unfavourable=True),
            ),
        ]

    def __str__(self):
        return f"{self.school_id} {self.year}"


# A population statistic as it is shown and stored: which population, of which indicator and year, and its
# figures (the admin's columns, the computation's insert after run_id, the reports' read).
POPULATION_STAT_FIELDS = (
    "year",
    "indicator",
    "population_kind",
    "population",
    "count",
    "median",
    "mean",
    "minimum",
    "maximum",
)


class PopulationStat(models.Model):
    """Median, mean, min and max of an indicator (or an index) over a population in a year."""

    class Population(models.TextChoices):
        CLUSTER = "cluster", "кластер"
        MUNICIPALITY = "municipality", "муниципалитет"
        ALL = "all", "все школы"

    run = models.ForeignKey(
        ComputationRun, verbose_name="расчёт", on_delete=models.CASCADE, related_name="stats"
    )
    year = models.PositiveSmallIntegerField("учебный год")
    indicator = models.CharField("показатель или индекс", max_length=60)
    population_kind = models.CharField("совокупность", max_length=20, choices=Population.choices)
    population = models.CharField("название совокупности", max_length=300)
    count = models.PositiveIntegerField("школ с данными")
    median = models.FloatField("медиана", null=True, blank=True)
    mean = models.FloatField("среднее", null=True, blank=True)
    minimum = models.FloatField("минимум", null=True, blank=True)
    maximum = models.FloatField("максимум", null=True, blank=True)

    class Meta:
        verbose_name = "статистика совокупности"
        verbose_name_plural = "статистика совокупностей"
        ordering = ["year", "indicator", "population_kind", "population"]
        indexes = [
            models.Index(fields=["year", "population_kind", "population"], name="population_stat_place_idx")
        ]

    def __str__(self):
        return f"{self.indicator} {self.year} {self.population}"


class StatusOverride(models.Model):
    """An inspector's decision on a school's ШНОР/ШНСУ membership, with a written reason.

    Rows are never edited: the latest row for (school, year, list) decides; «revert» restores the
    computed status. The computed status stays beside it and a re-run never removes an override.
    """

    class List(models.TextChoices):
        LOW_RESULTS = "low_results", "ШНОР"
        UNFAVOURABLE = "unfavourable", "ШНСУ"

    class Decision(models.TextChoices):
        INCLUDE = "include", "включить в список"
        EXCLUDE = "exclude", "исключить из списка"
        REVERT = "revert", "вернуть расчётный статус"

    # PROTECT: an inspector's written decision must not vanish with a deleted school.
    school = models.ForeignKey(
        "schools.School", verbose_name="ОО", on_delete=models.PROTECT, related_name="status_overrides"
    )
    year = models.PositiveSmallIntegerField("учебный год")
    list_kind = models.CharField("список", max_length=20, choices=List.choices)
    decision = models.CharField("решение", max_length=10, choices=Decision.choices)
    reason = models.TextField("обоснование")
    created_by = acting_user("кто принял")
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "решение инспектора о статусе"
        verbose_name_plural = "решения инспекторов о статусе"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="status_override_reason_required")
        ]

    def __str__(self):
        return f"{self.school_id} {self.year} {self.get_list_kind_display()}: {self.get_decision_display()}"

    @classmethod
    def effect_of(cls, decision: str | None) -> bool | None:
        """What a decision does to the list: True puts the school on it, False takes it off, None (a
        «revert») leaves the computed status."""
        return {cls.Decision.INCLUDE.value: True, cls.Decision.EXCLUDE.value: False}.get(decision or "")

    @property
    def effective(self) -> bool | None:
        return self.effect_of(self.decision)


class TeacherLevelRules(TimeStampedModel):
    """Level bands of the teachers' subject diagnostics (DESIGN §7.4), one version per starting year.

    A result is «высокий» from `high_from` % of the maximum score, «средний» from `medium_from` %, «низкий»
    below. The version used for year Y is the one with the greatest `valid_from` ≤ Y.
    """

    valid_from = models.PositiveSmallIntegerField("действуют с учебного года", unique=True)
    medium_from = models.DecimalField(
        "средний уровень от, % максимального балла",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_TEACHER_MEDIUM_FROM,
    )
    high_from = models.DecimalField(
        "высокий уровень от, % максимального балла",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_TEACHER_HIGH_FROM,
    )
    comment = models.TextField("основание изменения", blank=True)
    changed_by = acting_user("кто изменил")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "уровни диагностики педагогов"
        verbose_name_plural = "уровни диагностики педагогов"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(medium_from__gt=0, medium_from__lt=F("high_from"), high_from__lte=100),
                name="teacher_levels_bands_ordered",
                violation_error_message=TEACHER_BANDS_INVALID.replace("%", "%%"),
            ),
        ]

    def __str__(self):
        return f"Уровни диагностики педагогов с {formatting.school_year(self.valid_from)} учебного года"


class TeacherDiagnostic(TimeStampedModel):
    """One teacher's result of a subject-competence diagnostics in a year (DESIGN §7.4).

    The teacher is known only by a pseudonym code the school keeps; no name is ever stored. Rows are
    visible to staff only; principals and the public see aggregates.
    """

    school = models.ForeignKey(
        "schools.School", verbose_name="ОО", on_delete=models.CASCADE, related_name="teacher_diagnostics"
    )
    year = models.PositiveSmallIntegerField("учебный год")
    subject = models.ForeignKey(Subject, verbose_name="предмет", on_delete=models.PROTECT, related_name="+")
    teacher_code = models.CharField("код педагога", max_length=20)
    score = models.DecimalField("балл", max_digits=7, decimal_places=2)
    max_score = models.DecimalField("максимальный балл", max_digits=7, decimal_places=2)
    import_batch = import_batch_link()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "диагностика предметных компетенций педагога"
        verbose_name_plural = "диагностика предметных компетенций педагогов"
        ordering = ["school__code", "year", "subject__name", "teacher_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "subject", "teacher_code"], name="teacher_diagnostic_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, max_score__gt=0, score__lte=F("max_score")),
                name="teacher_diagnostic_score_within_max",
            ),
        ]
        indexes = [models.Index(fields=["year", "school"], name="teacher_diag_year_school_idx")]

    def __str__(self):
        return f"{self.teacher_code}: {self.subject_id}, {formatting.school_year(self.year)}"


class ObjectivityStatus(models.Model):
    """A school's objectivity markers in a year (DESIGN §8), with every figure they were decided on.

    Written by the computation of the year (one row per school with results or medal candidates that year);
    `figures` keeps, per marker code, the rows, shares and comparison group behind it (also for a rule that
    found rows but not enough of them, so «почему нет» can be answered too).
    """

    run = models.ForeignKey(
        ComputationRun, verbose_name="расчёт", on_delete=models.CASCADE, related_name="objectivity"
    )
    school = models.ForeignKey(
        "schools.School", verbose_name="ОО", on_delete=models.CASCADE, related_name="objectivity_statuses"
    )
    year = models.PositiveSmallIntegerField("учебный год")
    markers = models.JSONField("признаки (коды)", default=list, blank=True)
    # The same codes as text «,vpr_lowered,vpr_raised,»: filtering and counting by marker in the database,
    # on SQLite as on PostgreSQL (a JSON "contains" is PostgreSQL-only).
    marker_codes = models.CharField("признаки для отбора", max_length=200, blank=True)
    marker_count = models.PositiveSmallIntegerField("число признаков", default=0)
    in_list = models.BooleanField("в списке ОО с признаками необъективности", default=False)
    is_stable = models.BooleanField("устойчиво (в списке и год назад)", default=False)
    figures = models.JSONField("расчёт признаков", default=dict, blank=True)
    rules = models.JSONField("пороги на момент расчёта", default=dict, blank=True)

    class Meta:
        verbose_name = "признаки необъективности ОО за год"
        verbose_name_plural = "признаки необъективности ОО по годам"
        ordering = ["school__code"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="objectivity_status_unique")]
        indexes = [
            models.Index(fields=["year", "in_list"], name="objectivity_year_list_idx"),
            # the schools with a marker (a few per cent) without reading the rest
            models.Index(
                fields=["year", "school"],
                name="objectivity_marked_idx",
                condition=Q(marker_count__gt=0) | Q(in_list=True),
            ),
        ]

    def __str__(self):
        return f"{self.school_id} {self.year}: {self.marker_count}"

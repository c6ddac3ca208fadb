"""Reads of the teachers' subject-competence diagnostics (DESIGN §7.4), for pages, roadmaps and reports.

The level of a result is decided in one place, `level_expression`: by its share of the maximum score and
the bands of the `TeacherLevelRules` version in force for the row's year, computed in the database. The
summaries count teachers per school, year and subject in one grouped query, whatever the number of
schools. Teacher-level rows are for staff only (`teacher_rows_visible_to`); everybody else gets the
aggregates of the schools they may see.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.lookups import GreaterThanOrEqual

from schools import formatting
from schools.models import School
from schools.queries import distinct_years
from schools.roles import is_staff_member
from schools.selectors import school_list_visible_to

from .defaults import DEFAULT_TEACHER_HIGH_FROM, DEFAULT_TEACHER_MEDIUM_FROM
from .models import TeacherDiagnostic, TeacherLevelRules

LOW, MEDIUM, HIGH = "low", "medium", "high"
LEVEL_LABELS = {LOW: "низкий", MEDIUM: "средний", HIGH: "высокий"}


@dataclass(frozen=True)
class Bands:
    """The level bands of one rules version, in % of the maximum score."""

    valid_from: int | None
    medium_from: Decimal
    high_from: Decimal

    @property
    def text(self) -> str:
        medium, high = _percent(self.medium_from), _percent(self.high_from)
        return f"низкий — меньше {medium}, средний — от {medium} до {high}, высокий — от {high}"


DEFAULT_BANDS = Bands(None, DEFAULT_TEACHER_MEDIUM_FROM, DEFAULT_TEACHER_HIGH_FROM)


def _percent(value: Decimal) -> str:
    return formatting.share(value, digits=0 if value == value.to_integral_value() else 1)


def bands_versions() -> list[Bands]:
    """Every rules version, oldest first (one query)."""
    return [
        Bands(r.valid_from, r.medium_from, r.high_from)
        for r in TeacherLevelRules.objects.order_by("valid_from")
    ]


def bands_for_year(year: int, versions: list[Bands] | None = None) -> Bands:
    """The bands in force for `year`: the version with the greatest `valid_from` ≤ year, else the defaults."""
    versions = bands_versions() if versions is None else versions
    current = DEFAULT_BANDS
    for bands in versions:
        if bands.valid_from is not None and bands.valid_from <= year:
            current = bands
    return current


def _level_whens(bands: Bands, condition: Q) -> list[When]:
    reached: dict[str, GreaterThanOrEqual] = {
        level: GreaterThanOrEqual(F("score") * Value(Decimal(100)), F("max_score") * Value(threshold))
        for level, threshold in ((HIGH, bands.high_from), (MEDIUM, bands.medium_from))
    }
    return [When(condition & Q(reached[level]), then=Value(level)) for level in (HIGH, MEDIUM)]


def level_expression(versions: list[Bands] | None = None) -> Case:
    """The level of a row: «high» when score × 100 ≥ max × high_from, «medium» when ≥ max × medium_from,
    «low» otherwise, with the bands of the row's year (compared without division, so 40 of 50 is
    exactly 80 %)."""
    versions = bands_versions() if versions is None else versions
    starts = [b.valid_from for b in versions if b.valid_from is not None]
    whens = []
    if not starts:
        whens += _level_whens(DEFAULT_BANDS, Q())
    else:
        whens += _level_whens(DEFAULT_BANDS, Q(year__lt=starts[0]))
        for bands, end in zip(versions, [*starts[1:], None], strict=True):
            condition = Q(year__gte=bands.valid_from) & (Q(year__lt=end) if end is not None else Q())
            whens += _level_whens(bands, condition)
    return Case(*whens, default=Value(LOW), output_field=CharField())


def with_levels(diagnostics: QuerySet[TeacherDiagnostic]) -> QuerySet[Any]:
    """The rows annotated with `level` (low / medium / high)."""
    return diagnostics.annotate(level=level_expression())


def share(part: int, whole: int) -> float | None:
    return part * 100 / whole if whole else None


# --- teacher rows: staff only -----------------------------------------------------------------------------
def teacher_rows_visible_to(*, user: User, school: School, year: int | None = None) -> list[Any]:
    """The school's teacher-level rows with their level, for staff only (anyone else gets none)."""
    if not is_staff_member(user) or not school_list_visible_to(user=user).filter(pk=school.pk).exists():
        return []
    rows = TeacherDiagnostic.objects.filter(school=school).select_related("subject")
    if year is not None:
        rows = rows.filter(year=year)
    result: list[Any] = list(with_levels(rows).order_by("-year", "subject__name", "teacher_code"))
    for row in result:
        row.level_label = LEVEL_LABELS[row.level]
        row.percent = float(row.score) * 100 / float(row.max_score)
    return result


# --- aggregates -------------------------------------------------------------------------------------------
def _counted(diagnostics: QuerySet[TeacherDiagnostic], *group: str) -> QuerySet:
    level = level_expression()
    return (
        diagnostics.annotate(level=level)
        .values(*group)
        .annotate(
            teachers=Count("pk"),
            low=Count("pk", filter=Q(level=LOW)),
            medium=Count("pk", filter=Q(level=MEDIUM)),
            high=Count("pk", filter=Q(level=HIGH)),
        )
    )


def teacher_level_summary(*, schools: QuerySet[School], years: Iterable[int] | None = None) -> list[dict]:
    """Per school, year and subject: teachers diagnosed, at each level, and the share at the low level
    (one grouped query)."""
    diagnostics = TeacherDiagnostic.objects.filter(school__in=schools.values("pk"))
    if years is not None:
        diagnostics = diagnostics.filter(year__in=list(years))
    rows = list(
        _counted(
            diagnostics,
            "school_id",
            "school__code",
            "school__short_name",
            "year",
            "subject_id",
            "subject__name",
        ).order_by("school__code", "-year", "subject__name")
    )
    for row in rows:
        row["low_share"] = share(row["low"], row["teachers"])
    return rows


def teacher_summary_visible_to(*, user: User, school: School | None = None) -> list[dict]:
    """The aggregates of the schools the user may see (a principal: their own school), all years."""
    schools = school_list_visible_to(user=user)
    if school is not None:
        schools = schools.filter(pk=school.pk)
    return teacher_level_summary(schools=schools)


def teacher_subject_totals(*, year: int, schools: QuerySet[School] | None = None) -> list[dict]:
    """Per subject over the schools of a year: schools, teachers, at each level, low share (one query)."""
    diagnostics = TeacherDiagnostic.objects.filter(year=year)
    if schools is not None:
        diagnostics = diagnostics.filter(school__in=schools.values("pk"))
    rows = list(
        _counted(diagnostics, "subject__name")
        .annotate(schools=Count("school", distinct=True))
        .order_by("subject__name")
    )
    for row in rows:
        row["low_share"] = share(row["low"], row["teachers"])
    return rows


def teacher_diagnostic_years() -> list[int]:
    return distinct_years(TeacherDiagnostic.objects.all())


def low_level_teachers(*, school: School, year: int) -> list[dict]:
    """(subject, teacher code) of the school's low-level results in a year: the teachers who need an
    individual route (ИОМ)."""
    rows = with_levels(TeacherDiagnostic.objects.filter(school=school, year=year)).filter(level=LOW)
    fields = ("subject__code", "subject__name", "teacher_code", "year")
    return [dict(row) for row in rows.order_by("subject__name", "teacher_code").values(*fields)]


def latest_low_level_year(*, school: School) -> int | None:
    """The latest year of the school's diagnostics (where its ИОМ are made from), or None."""
    years = TeacherDiagnostic.objects.filter(school=school).order_by("-year").values_list("year", flat=True)
    return years.first()

"""Reads of region mode (DESIGN §6): the region dashboard comparing municipalities by year and the counts
behind the regional assessment of municipal mechanisms (`roadmaps/mechanisms.py` does the arithmetic).

Everything is counted per municipality and year by the database (GROUP BY), so the number of queries is
the same for 3 municipalities or 85 and for 40 schools or 40,000 (tests/roadmaps/test_region.py pins it).
The ШНОР/ШНСУ lists are the effective ones: an inspector's latest decision wins over the computed flag.
A school year Y runs from 1 September Y to 31 August Y + 1.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from indicators import selectors as indicator_selectors
from indicators.models import ObjectivityStatus, SchoolStatus
from indicators.selectors import computed_years
from monitoring.models import ExpertCard, Level
from monitoring.reference import BUILTIN_SLUG
from schools.models import Municipality, School
from schools.selectors import municipality_list_visible_to

from . import mechanisms
from .models import ItemStatus, Recommendation, Roadmap, RoadmapItem

LISTS = ("low_results", "unfavourable")
LEVELS = tuple(Level.values)  # high, medium, low
ANSWERED = (Recommendation.Status.ANSWERED, Recommendation.Status.CLOSED)
NOT_SENT = (Recommendation.Status.DRAFT, Recommendation.Status.CANCELLED)


def school_year_of(day: date) -> int:
    """The school year a date falls in: September–December of Y and January–August of Y + 1 are Y."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 9, 1), date(year + 1, 8, 31)


@dataclass
class MunicipalityYear:
    """The figures of one municipality in one school year on the region dashboard."""

    schools: int = 0  # schools with a computed status
    members: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LISTS, 0))
    entered: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(LISTS))
    left: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(LISTS))
    levels: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    cards: int = 0
    cards_on_time: int = 0
    items_due: int = 0
    items_on_time: int = 0
    recommendations: int = 0
    answered: int = 0
    objectivity_listed: int = 0  # schools on the list «ОО с признаками необъективности» (DESIGN §8)
    objectivity_with_markers: int = 0  # schools with at least one marker

    def share(self, kind: str) -> float | None:
        return mechanisms.share(self.members[kind], self.schools)

    @property
    def low_results_share(self) -> float | None:
        return self.share("low_results")

    @property
    def unfavourable_share(self) -> float | None:
        return self.share("unfavourable")

    @property
    def items_share(self) -> float | None:
        return mechanisms.share(self.items_on_time, self.items_due)

    @property
    def answered_share(self) -> float | None:
        return mechanisms.share(self.answered, self.recommendations)


@dataclass
class RegionFigures:
    municipalities: list[Municipality]
    years: list[int]
    rows: dict[tuple[int, int], MunicipalityYear]

    def row(self, municipality_id: int, year: int) -> MunicipalityYear:
        return self.rows.get((municipality_id, year)) or MunicipalityYear()


def region_years() -> list[int]:
    """The computed school years, oldest first (the dashboard's columns)."""
    return sorted(computed_years())


def region_dashboard(*, user: User, years: list[int], today: date | None = None) -> RegionFigures:
    """Every figure of the dashboard for the municipalities `user` may see, by year (a fixed number of
    queries). Entered/left need the previous year computed, else they stay None."""
    municipalities = list(municipality_list_visible_to(user=user).order_by("name"))
    ids = [m.pk for m in municipalities]
    rows, _ = _figures(years=years, municipality_ids=ids, today=today or timezone.localdate())
    return RegionFigures(municipalities=municipalities, years=years, rows=rows)


def mechanism_assessment(
    *, year: int, today: date | None = None
) -> tuple[dict[int, mechanisms.Assessment], dict[int, Municipality]]:
    """The regional assessment of year `year` over every municipality of the region (ranks are regional;
    pages show only the rows the user's scope allows): ({municipality id: Assessment}, {id: Municipality})."""
    municipalities = {m.pk: m for m in Municipality.objects.order_by("name")}
    rows, shnor = _figures(years=[year], municipality_ids=None, today=today or timezone.localdate())
    programmes = _with_programme(year=year)
    counts = {}
    for mid in municipalities:
        row = rows.get((mid, year)) or MunicipalityYear()
        members, before = shnor.get((mid, year), set()), shnor.get((mid, year - 1), set())
        counts[mid] = {
            "programme_share": (len(members & programmes), len(members)),
            "items_on_time_share": (row.items_on_time, row.items_due),
            "left_share": (len(before - members), len(before))
            if row.left["low_results"] is not None
            else (0, 0),
            "cards_on_time_share": (row.cards_on_time, row.cards),
            "answered_share": (row.answered, row.recommendations),
        }
    return mechanisms.assess(counts), municipalities


Rows = dict[tuple[int, int], MunicipalityYear]


def _figures(
    *, years: list[int], municipality_ids: list[int] | None, today: date
) -> tuple[Rows, dict[tuple[int, int], set[int]]]:
    """({(municipality id, year): MunicipalityYear}, {(municipality id, year): its ШНОР school ids}), the
    ШНОР also for the year before the first (entered/left and the «left the list» indicator need it)."""
    rows: Rows = {}

    def row(mid: int, year: int) -> MunicipalityYear:
        if (mid, year) not in rows:
            rows[(mid, year)] = MunicipalityYear()
        return rows[(mid, year)]

    if not years:
        return rows, {}
    in_scope = Q() if municipality_ids is None else Q(school__municipality_id__in=municipality_ids)
    for year, mid, n in (
        SchoolStatus.objects.filter(in_scope, year__in=years)
        .values_list("year", "school__municipality_id")
        .annotate(n=Count("school_id"))  # not "id": (school, year) is an index the count reads alone
        .order_by()
    ):
        row(mid, year).schools = n
    shnor = _list_figures(rows, row, years, municipality_ids)
    _card_figures(row, years, in_scope)
    programme_scope = (
        Q() if municipality_ids is None else Q(roadmap__school__municipality_id__in=municipality_ids)
    )
    _item_figures(row, years, programme_scope, today)
    _recommendation_figures(row, years, in_scope)
    _objectivity_figures(row, years, in_scope)
    return rows, shnor


def list_members(
    *, years: list[int], municipality_ids: list[int] | None = None
) -> dict[int, dict[str, dict[int, int]]]:
    """{year: {list: {school id: municipality id}}}: the effective ШНОР/ШНСУ of each year, of the given
    municipalities (`indicators.selectors.list_members`, the one rule)."""
    schools = None
    if municipality_ids is not None:
        schools = School.objects.filter(municipality_id__in=municipality_ids).values("pk")
    return indicator_selectors.list_members(years=years, school_ids=schools)


def _list_figures(rows: Rows, row, years: list[int], municipality_ids) -> dict[tuple[int, int], set[int]]:
    """Members, entered and left of both lists per municipality and year (entered/left need year − 1);
    returns the ШНОР school ids per (municipality, year), the year before the first included."""
    wanted = sorted({*years, min(years) - 1})
    computed = set(computed_years())
    members = list_members(years=wanted, municipality_ids=municipality_ids)
    by_municipality: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for year, lists in members.items():
        for kind, schools in lists.items():
            for sid, mid in schools.items():
                by_municipality[(mid, year, kind)].add(sid)
    mids = {mid for mid, _, _ in by_municipality} | {mid for mid, _ in rows}
    for mid in mids:
        for year in years:
            current = row(mid, year)
            for kind in LISTS:
                now = by_municipality.get((mid, year, kind), set())
                current.members[kind] = len(now)
                if year - 1 in computed:
                    before = by_municipality.get((mid, year - 1, kind), set())
                    current.entered[kind], current.left[kind] = len(now - before), len(before - now)
    return {(mid, year): ids for (mid, year, kind), ids in by_municipality.items() if kind == "low_results"}


def _card_figures(row, years: list[int], scope: Q) -> None:
    """Cards of the ШНОР monitoring of each year: how many, how many sent by the self-assessment deadline
    (its date in the portal's time zone), and their levels."""
    level_counts = {f"level_{level}": Count("id", filter=Q(level=level)) for level in LEVELS}
    for year, mid, total, on_time, *levels in (
        ExpertCard.objects.filter(scope, campaign__year__in=years, campaign__template__slug=BUILTIN_SLUG)
        .values_list("campaign__year", "school__municipality_id")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=Q(submitted_at__date__lte=F("campaign__self_assessment_due"))),
            **level_counts,
        )
        .order_by()
    ):
        current = row(mid, year)
        current.cards, current.cards_on_time = total, on_time
        current.levels = dict(zip(LEVELS, levels, strict=True))


def _item_figures(row, years: list[int], scope: Q, today: date) -> None:
    """Items of schools' support programmes due in each school year whose date has come (or that are done):
    how many, and how many were done by their due date. Counted by the due date's calendar month."""
    first, last = school_year_bounds(min(years))[0], school_year_bounds(max(years))[1]
    items = (
        RoadmapItem.objects.filter(
            scope, roadmap__kind=Roadmap.Kind.SCHOOL, due_date__gte=first, due_date__lte=last
        )
        .exclude(status=ItemStatus.CANCELLED)
        .filter(Q(due_date__lt=today) | Q(status=ItemStatus.DONE))
    )
    for mid, y, m, total, on_time in (
        items.values_list(
            "roadmap__school__municipality_id", ExtractYear("due_date"), ExtractMonth("due_date")
        )
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=Q(status=ItemStatus.DONE, completed_on__lte=F("due_date"))),
        )
        .order_by()
    ):
        year = y if m >= 9 else y - 1
        if year in years:
            current = row(mid, year)
            current.items_due += total
            current.items_on_time += on_time


def _recommendation_figures(row, years: list[int], scope: Q) -> None:
    """Recommendations sent to the municipality's schools for each year, and how many the school answered."""
    for year, mid, total, answered in (
        Recommendation.objects.filter(scope, year__in=years, school__isnull=False)
        .exclude(status__in=NOT_SENT)
        .values_list("year", "school__municipality_id")
        .annotate(
            total=Count("id"),
            answered=Count("id", filter=Q(status__in=ANSWERED) | Q(answered_at__isnull=False)),
        )
        .order_by()
    ):
        current = row(mid, year)
        current.recommendations, current.answered = total, answered


def _objectivity_figures(row, years: list[int], scope: Q) -> None:
    """Schools with objectivity markers and on the objectivity list (DESIGN §8), per municipality and year."""
    for year, mid, listed, with_markers in (
        ObjectivityStatus.objects.filter(scope, year__in=years)
        .filter(Q(in_list=True) | Q(marker_count__gt=0))
        .values_list("year", "school__municipality_id")
        .annotate(
            listed=Count("id", filter=Q(in_list=True)), with_markers=Count("id", filter=Q(marker_count__gt=0))
        )
        .order_by()
    ):
        current = row(mid, year)
        current.objectivity_listed, current.objectivity_with_markers = listed, with_markers


def _with_programme(*, year: int) -> set[int]:
    """Schools with a support programme in force during the school year (a programme without dates counts)."""
    first, last = school_year_bounds(year)
    programmes = Roadmap.objects.filter(kind=Roadmap.Kind.SCHOOL).filter(
        Q(period_start__isnull=True) | Q(period_start__lte=last),
        Q(period_end__isnull=True) | Q(period_end__gte=first),
    )
    return set(programmes.values_list("school_id", flat=True))


def mechanism_details(*, municipality: Municipality, year: int, today: date | None = None) -> dict:
    """What stands behind each indicator of one municipality in `year` (a fixed number of queries):
    ШНОР without a programme, ШНОР of last year that stayed or left, programme items not done on time,
    cards not sent on time, recommendations without an answer."""
    today = today or timezone.localdate()
    members = list_members(years=[year - 1, year], municipality_ids=[municipality.pk])
    now, before = set(members[year]["low_results"]), set(members[year - 1]["low_results"])
    programmes = _with_programme(year=year)
    schools = {
        s.pk: s for s in School.objects.filter(pk__in=now | before).only("pk", "code", "name", "short_name")
    }

    def ordered(ids):
        return sorted((schools[i] for i in ids if i in schools), key=lambda s: s.code)

    first, last = school_year_bounds(year)
    items = (
        RoadmapItem.objects.filter(
            roadmap__kind=Roadmap.Kind.SCHOOL,
            roadmap__school__municipality=municipality,
            due_date__gte=first,
            due_date__lte=last,
        )
        .exclude(status=ItemStatus.CANCELLED)
        .filter(Q(due_date__lt=today) | Q(status=ItemStatus.DONE))
        .exclude(status=ItemStatus.DONE, completed_on__lte=F("due_date"))
        .select_related("roadmap__school")
        .order_by("due_date", "roadmap__school__code", "position")
    )
    cards = (
        ExpertCard.objects.filter(
            school__municipality=municipality, campaign__year=year, campaign__template__slug=BUILTIN_SLUG
        )
        .exclude(submitted_at__date__lte=F("campaign__self_assessment_due"))
        .select_related("school", "campaign")
        .order_by("school__code")
    )
    recommendations = (
        Recommendation.objects.filter(school__municipality=municipality, year=year)
        .exclude(status__in=NOT_SENT)
        .exclude(Q(status__in=ANSWERED) | Q(answered_at__isnull=False))
        .select_related("school")
        .order_by("due_date", "school__code")
    )
    return {
        "without_programme": ordered(now - programmes),
        "left": ordered(before - now),
        "stayed": ordered(before & now),
        "has_previous": year - 1 in set(computed_years()),
        "items_late": list(items),
        "cards_late": list(cards),
        "unanswered": list(recommendations),
    }

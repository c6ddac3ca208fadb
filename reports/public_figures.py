"""Key figures of the public tab: the ШНОР/ШНСУ lists by year, who entered and left them, and the levels of
the ШНОР monitoring, for the whole installation or one municipality.

Everything here is for the public: counts of schools and of cards below k read «<10» (`masking.mask_count`,
the one suppression rule), and nothing names or ranks a school. A fixed number of queries whatever the
number of schools: the schools are counted by the database, and only the statuses of schools that were on a
list are read as plain tuples and counted in one pass.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q

from schools import formatting
from schools.charts import Series, bar_chart, line_chart
from schools.models import School

from . import masking

YEARS_SHOWN = 5
LIST_LABELS = {"low_results": "ШНОР", "unfavourable": "ШНСУ"}
LEVEL_LABELS = {"high": "высокая", "medium": "средняя", "low": "низкая"}
SHNOR_TEMPLATE = "lesosibirsk-shnor"
COUNT_FIELDS = (
    "schools",
    "low_results",
    "unfavourable",
    "low_results_entered",
    "low_results_left",
    "unfavourable_entered",
    "unfavourable_left",
)


def _status_years(municipality_id: int | None) -> list[int]:
    from indicators.models import SchoolStatus

    statuses = SchoolStatus.objects.all()
    if municipality_id is not None:
        statuses = statuses.filter(school__municipality_id=municipality_id)
    years = sorted(statuses.order_by().values_list("year", flat=True).distinct())
    return years[-YEARS_SHOWN:]


def list_counts(*, years: Iterable[int], municipality_id: int | None = None) -> dict:
    """(municipality id, year) → unmasked counts of schools with a status, on each list, entered, left.

    The lists are those of the staff lists page (`indicators.selectors.list_members`, the one rule:
    the inspectors' decisions apply); entered/left compare with the year before, school by school. The
    schools are counted by the database; only the list members are read."""
    from indicators.models import SchoolStatus
    from indicators.selectors import list_members

    years = sorted(years)
    if not years:
        return {}
    read_years = [years[0] - 1, *years]
    statuses = SchoolStatus.objects.filter(year__in=read_years)
    schools = None
    if municipality_id is not None:
        statuses = statuses.filter(school__municipality_id=municipality_id)
        schools = School.objects.filter(municipality_id=municipality_id).values("pk")
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNT_FIELDS, 0))
    known_years = set()
    for municipality, year, number in (
        statuses.order_by().values_list("school__municipality_id", "year").annotate(n=Count("id"))
    ):
        known_years.add(year)
        if year in years:
            counts[(municipality, year)]["schools"] = number
    members = list_members(years=read_years, school_ids=schools)
    for year in years:
        for list_kind in LIST_LABELS:
            now, before = members[year][list_kind], members[year - 1][list_kind]
            for school_id, municipality in now.items():
                figures = counts[(municipality, year)]
                figures[list_kind] += 1
                figures[f"{list_kind}_entered"] += school_id not in before
            for school_id, municipality in before.items():
                counts[(municipality, year)][f"{list_kind}_left"] += school_id not in now
    for (_municipality, year), figures in counts.items():
        if year - 1 not in known_years:  # nothing to compare with: «нет данных», not «all entered»
            for name in COUNT_FIELDS[3:]:
                figures[name] = None
    return dict(counts)


def level_counts(*, municipality_id: int | None = None) -> dict[tuple[int, int], dict[str, int]]:
    """(municipality id, year) → verified ШНОР-monitoring cards by level (unmasked)."""
    from monitoring.models import ExpertCard

    cards = ExpertCard.objects.filter(
        campaign__template__slug=SHNOR_TEMPLATE,
        status__in=[ExpertCard.Status.VERIFIED, ExpertCard.Status.EVALUATED],
    ).exclude(level="")
    if municipality_id is not None:
        cards = cards.filter(school__municipality_id=municipality_id)
    result: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(LEVEL_LABELS, 0))
    for row in (
        cards.order_by()
        .values("school__municipality_id", "campaign__year")
        .annotate(**{level: Count("pk", filter=Q(level=level)) for level in LEVEL_LABELS})
    ):
        result[(row["school__municipality_id"], row["campaign__year"])] = {
            level: row[level] for level in LEVEL_LABELS
        }
    return dict(result)


def _summed(counts: dict, year: int, fields: Iterable[str]) -> dict[str, int | None]:
    """The figures of a year summed over municipalities; None (no data) wherever one of them has none."""
    fields = list(fields)
    total: dict[str, int | None] = dict.fromkeys(fields, 0)
    for (_municipality, y), figures in counts.items():
        if y == year:
            for field in fields:
                part, so_far = figures[field], total[field]
                total[field] = None if part is None or so_far is None else so_far + part
    return total


def masked(figures: dict) -> dict:
    """The same figures as they may be published: each count below k reads «<k»."""
    return {name: masking.mask_count(value) for name, value in figures.items()}


def public_count(value) -> str:
    """A published count as text: «<10», «нет данных» or the number with a thousands separator."""
    value = masking.mask_count(value)
    if value is None:
        return formatting.NO_DATA
    return value if isinstance(value, str) else formatting.number(value, grouping=True)


def public_figures(*, municipality_id: int | None = None) -> dict:
    """The key figures and their charts (each with its table, open) for the public tab."""
    years = _status_years(municipality_id)
    counts = list_counts(years=years, municipality_id=municipality_id)
    rows = []
    for year in years:
        figures = masked(_summed(counts, year, COUNT_FIELDS))
        rows.append({"year": year, "label": formatting.school_year(year), **figures})
    levels_by_year = level_counts(municipality_id=municipality_id)
    level_years = sorted({year for _m, year in levels_by_year})
    levels = None
    if level_years:
        year = level_years[-1]
        raw = _summed(levels_by_year, year, LEVEL_LABELS)
        levels = {
            "year": year,
            "label": formatting.school_year(year),
            "total": masking.mask_count(sum(v or 0 for v in raw.values())),
            "rows": [(LEVEL_LABELS[level], masking.mask_count(raw[level])) for level in LEVEL_LABELS],
        }
    latest = rows[-1] if rows else None
    return {
        "years": years,
        "rows": rows,
        "latest": latest,
        "levels": levels,
        "charts": _charts(rows, levels) if rows else {},
        "small_label": masking.small_label(),
        "k": masking.small_count_k(),
        "counts": counts,  # unmasked, by (municipality id, year): for `municipality_figures`
    }


def _charts(rows: list[dict], levels: dict | None) -> dict:
    def school_counts(title: str, *lines: tuple[str, str, bool]) -> str:
        """A line chart of numbers of schools by year, a line per (label, key of the rows, dashed)."""
        return line_chart(
            title=title,
            categories=[row["label"] for row in rows],
            axis="школ",
            series=[Series(label, [row[key] for row in rows], dashed=dashed) for label, key, dashed in lines],
            table_open=True,
        )

    charts = {
        "lists": school_counts(
            "Число школ в списках ШНОР и ШНСУ по учебным годам",
            ("ШНОР", "low_results", False),
            ("ШНСУ", "unfavourable", True),
        ),
        "changes": school_counts(
            "Сколько школ вошло в списки и вышло из них по сравнению с предыдущим годом",
            ("Вошли в ШНОР", "low_results_entered", False),
            ("Вышли из ШНОР", "low_results_left", True),
            ("Вошли в ШНСУ", "unfavourable_entered", False),
            ("Вышли из ШНСУ", "unfavourable_left", True),
        ),
    }
    if levels:
        charts["levels"] = bar_chart(
            title=f"Уровни эффективности по итогам мониторинга ШНОР за {levels['label']} учебный год",
            labels=[label for label, _value in levels["rows"]],
            values=[value for _label, value in levels["rows"]],
            axis="школ",
            category="Уровень",
            table_open=True,
        )
    return charts


def municipality_figures(*, year: int | None, counts: dict | None = None) -> list[dict]:
    """Every municipality (by name, never by its figures) with its counts of the year, unmasked: the page
    masks them with `public_count`. `counts` of `list_counts` already read are reused."""
    from schools.models import Municipality

    if counts is None:
        counts = list_counts(years=[year]) if year else {}
    rows = []
    for municipality in Municipality.objects.exclude(code="").order_by("name").values("pk", "code", "name"):
        figures = counts.get((municipality["pk"], year), dict.fromkeys(COUNT_FIELDS, 0))
        rows.append({"code": municipality["code"], "name": municipality["name"], **figures})
    return rows

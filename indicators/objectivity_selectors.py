"""Reads of the objectivity markers (DESIGN §8): the list by year, a school's markers, the dynamics, counts.

Every read that lists schools composes `school_list_visible_to(user=...)`; a `user` of None (management
commands, the report builders that already scope) means every school.
"""

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from schools.models import School
from schools.queries import distinct_years
from schools.selectors import rows_in_scope

from .models import MethodologyRules, ObjectivityStatus
from .objectivity import CONDUCT, MARKER_CODES, MARKERS

SCOPE_LIST, SCOPE_ANY = "list", "any"
CONDUCT_LABELS = {"observers": "наблюдатели", "video": "видеонаблюдение", "recheck": "перепроверка"}


def objectivity_years() -> list[int]:
    """Years with stored markers, newest first."""
    return distinct_years(ObjectivityStatus.objects.all())


def objectivity_queryset(*, user: User | None = None) -> QuerySet[ObjectivityStatus]:
    statuses = ObjectivityStatus.objects.select_related("school", "school__municipality")
    if user is not None:
        statuses = rows_in_scope(statuses, user=user)
    return statuses.order_by("school__code", "year")


def objectivity_list(
    *,
    user: User | None,
    year: int,
    scope: str = SCOPE_LIST,
    municipality: int | None = None,
    marker: str = "",
    stable_only: bool = False,
) -> QuerySet[ObjectivityStatus]:
    """The list «ОО с признаками необъективности результатов» of `year` (scope "list"), or every school with
    at least one marker (scope "any"); in school-code order (the list is not a ranking)."""
    statuses = objectivity_queryset(user=user).filter(year=year)
    statuses = statuses.filter(in_list=True) if scope == SCOPE_LIST else statuses.filter(marker_count__gt=0)
    if municipality:
        statuses = statuses.filter(school__municipality_id=municipality)
    if marker in MARKERS:
        statuses = statuses.filter(marker_codes__contains=f",{marker},")
    if stable_only:
        statuses = statuses.filter(is_stable=True)
    return statuses


def objectivity_status_get(*, school: School, year: int | None) -> ObjectivityStatus | None:
    """A school's markers of `year` (the caller has checked that the user may see the school)."""
    if year is None:
        return None
    return ObjectivityStatus.objects.filter(school=school, year=year).select_related("school").first()


def objectivity_history(*, user: User | None = None, municipality: int | None = None) -> dict[int, dict]:
    """{year: {"listed", "stable", "with_markers", "schools"}} over the years, oldest first, in one query."""
    statuses = objectivity_queryset(user=user).order_by()
    if municipality:
        statuses = statuses.filter(school__municipality_id=municipality)
    rows = (
        statuses.values("year")
        .annotate(
            listed=Count("pk", filter=Q(in_list=True)),
            stable=Count("pk", filter=Q(is_stable=True)),
            with_markers=Count("pk", filter=Q(marker_count__gt=0)),
            schools=Count("pk"),
        )
        .order_by("year")
    )
    return {row.pop("year"): row for row in rows}


def marker_counts(*, year: int, user: User | None = None, municipality: int | None = None) -> dict[str, int]:
    """{marker code: schools with it in `year`} for every code of §8 (0 when none), in one query; of one
    municipality (its id) when given."""
    statuses = objectivity_queryset(user=user).filter(year=year)
    if municipality:
        statuses = statuses.filter(school__municipality_id=municipality)
    counts = statuses.order_by().aggregate(
        **{code: Count("pk", filter=Q(marker_codes__contains=f",{code},")) for code in MARKER_CODES}
    )
    return {code: counts[code] or 0 for code in MARKER_CODES}


def counts_by_municipality(*, year: int, user: User | None = None) -> dict[int, dict]:
    """{municipality id: {"listed", "with_markers"}} of `year`, in one query (region comparisons)."""
    rows = (
        objectivity_queryset(user=user)
        .filter(year=year)
        .order_by()
        .values("school__municipality_id")
        .annotate(
            listed=Count("pk", filter=Q(in_list=True)),
            with_markers=Count("pk", filter=Q(marker_count__gt=0)),
        )
    )
    return {row.pop("school__municipality_id"): row for row in rows}


def export_rows(*, year: int, user: User | None = None) -> list[dict]:
    """The objects of `export_objectivity` (DESIGN §10): school_code, year, markers, in_list."""
    return [
        {"school_code": code, "year": y, "markers": markers, "in_list": in_list}
        for code, y, markers, in_list in objectivity_queryset(user=user)
        .filter(year=year)
        .values_list("school__code", "year", "markers", "in_list")
    ]


def conduct_summary(rows: list[dict]) -> list[str]:
    """How the procedures behind a marker were conducted, per measure over its rows:
    «наблюдатели: да в 1 из 3 (нет данных: 1)», or «… нет данных» when no row says."""
    if not rows:
        return []
    texts = []
    for key in CONDUCT:
        values = [row.get("conduct", {}).get(key) for row in rows]
        unknown = sum(1 for v in values if v is None)
        if unknown == len(values):
            texts.append(f"{CONDUCT_LABELS[key]}: нет данных")
            continue
        text = f"{CONDUCT_LABELS[key]}: да в {sum(1 for v in values if v)} из {len(values)}"
        texts.append(text + (f" (нет данных: {unknown})" if unknown else ""))
    return texts


def marker_items(status: ObjectivityStatus | None) -> list[dict]:
    """The six markers of a status in §8 order, each with its figures and the conduct summary (for pages)."""
    figures = status.figures if status else {}
    items = []
    for code in MARKER_CODES:
        found = figures.get(code, {})
        items.append(
            {
                "code": code,
                "title": MARKERS[code],
                "present": bool(found.get("present")),
                "figures": found,
                "rows": found.get("rows", []),
                "conduct": conduct_summary(found.get("rows", [])),
            }
        )
    return items


def thresholds_in_force(*, year: int) -> MethodologyRules | None:
    return MethodologyRules.objects.filter(valid_from__lte=year).order_by("-valid_from").first()

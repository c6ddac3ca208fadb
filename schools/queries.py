"""Query helpers that keep a read cheap whatever the size of the table."""

from django.db.models import Max, QuerySet


def distinct_years(queryset: QuerySet, field: str = "year") -> list[int]:
    """The distinct values of a year column, newest first, without reading the table: the largest, then the
    largest below it, and so on — one index probe per year on an index that starts with the column (a
    `SELECT DISTINCT year` reads every row: 1.6 million assessment results in a country-sized installation,
    and the model's default ordering would make it distinct over the ordering columns too)."""
    queryset = queryset.order_by()
    years: list[int] = []
    latest = queryset.aggregate(latest=Max(field))["latest"]
    while latest is not None:
        years.append(latest)
        latest = queryset.filter(**{f"{field}__lt": latest}).aggregate(latest=Max(field))["latest"]
    return years

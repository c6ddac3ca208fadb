"""The exported tables (DESIGN §5): the same rows for the JSON commands and the xlsx downloads."""

from .models import IndicatorValue
from .selectors import indicator_values, status_list

# A school's status in a year as DESIGN §5 exports it (after the school's codes); the API shows the same.
STATUS_FIGURES = [
    "year",
    "cluster",
    "results_index",
    "social_index",
    "rank_in_cluster",
    "cluster_size",
    "low_results_year",
    "low_results",
    "unfavourable",
]
STATUS_FIELDS = ["school_code", "municipality", *STATUS_FIGURES]
STATUS_HEADERS = [
    "Код ОО",
    "Муниципалитет",
    "Учебный год",
    "Кластер",
    "Индекс результатов",
    "Индекс социального благополучия",
    "Место в кластере",
    "Школ в кластере",
    "Низкие результаты в году",
    "ШНОР",
    "ШНСУ",
]
VALUE_FIELDS = ["school_code", "indicator", "value", "numerator", "denominator"]
VALUE_HEADERS = ["Код ОО", "Показатель", "Значение", "Числитель", "Знаменатель"]


def status_rows(*, year: int, user=None) -> list[dict]:
    """One object per school of the year; ШНОР/ШНСУ are the effective lists (overrides applied)."""
    return [
        {
            "school_code": s.school.code,
            "municipality": s.school.municipality.code,
            "year": s.year,
            "cluster": s.cluster or None,
            "results_index": s.results_index,
            "social_index": s.social_index,
            "rank_in_cluster": s.rank_in_cluster,
            "cluster_size": s.cluster_size,
            "low_results_year": s.low_results_year,
            "low_results": s.low_results_effective,
            "unfavourable": s.unfavourable_effective,
        }
        for s in status_list(year=year, user=user)
    ]


def value_rows(*, year: int, user=None):
    values = indicator_values(year=year, user=user).values_list(
        "school__code", "indicator__code", "value", "numerator", "denominator"
    )
    for code, indicator, value, numerator, denominator in values.iterator(chunk_size=5000):
        yield {
            "school_code": code,
            "indicator": indicator,
            "value": value,
            "numerator": _number(numerator),
            "denominator": _number(denominator),
        }


def _number(value):
    """Counts are stored as floats; print whole numbers as integers."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def has_values(*, year: int) -> bool:
    return IndicatorValue.objects.filter(year=year).exists()

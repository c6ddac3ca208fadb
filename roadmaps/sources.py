"""Recommendations refer to findings by code (`indicator:vpr_fail_share:2025`, `list:low_results:2025`,
`campaign:3/card:12/criterion:2.1`); this is how those references read in words, on pages and in the journal.

A leaf module: the models (for the journal) and the selectors both use it, so it imports neither.
"""

from indicators.models import Indicator, Subject
from schools import formatting


def indicator_names() -> dict[str, str]:
    """{indicator code: its Russian name}, for reading the findings recommendations refer to."""
    return dict(Indicator.objects.values_list("code", "name"))


def recommendation_source_text(ref: str, names: dict[str, str]) -> str:
    """A finding's reference in words: «indicator:vpr_fail_share:2025» → «показатель «…», 2025/2026»."""
    lists = {
        "low_results": "список ШНОР",
        "unfavourable": "список ШНСУ",
        "objectivity": "список ОО с признаками необъективности результатов",
    }
    if (ref or "").startswith("teacher-diagnostics:"):  # an individual route (ИОМ) of a teacher
        _, year, subject, teacher = (ref.split(":") + ["", "", ""])[:4]
        when = f", {formatting.school_year(year)}" if year.isdigit() else ""
        subject_name = Subject.objects.filter(code=subject).values_list("name", flat=True).first() or subject
        return f"ИОМ педагога {teacher} по результатам диагностики ({subject_name.lower()}{when})"
    parts = {}
    for piece in (ref or "").split("/"):
        key, _, value = piece.partition(":")
        parts[key] = value
    if "indicator" in parts:
        code, _, year = parts["indicator"].partition(":")
        text = f"показатель «{names.get(code, code)}»"
        return f"{text}, {formatting.school_year(year)}" if year.isdigit() else text
    if "list" in parts:
        kind, _, year = parts["list"].partition(":")
        text = lists.get(kind, kind)
        return f"{text}, {formatting.school_year(year)}" if year.isdigit() else text
    words = {"campaign": "мониторинг №", "card": "карта №", "criterion": "критерий"}
    if set(parts) <= set(words) and all(parts.values()):
        return ", ".join(f"{words[key]} {value}" for key, value in parts.items())
    return ref

from django import template

register = template.Library()


@register.filter
def academic_year(year) -> str:
    """2024 → «2024/2025»."""
    if year in (None, ""):
        return "—"
    year = int(year)
    return f"{year}/{year + 1}"


@register.filter
def percent(value, digits=1) -> str:
    """A share in % with a decimal comma, «—» for no data."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.{int(digits)}f}".replace(".", ",")

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


@register.filter
def number(value, digits=None) -> str:
    """A number in Russian notation: decimal comma, no trailing zeros («0.100» → «0,1»), «—» for no data;
    with `digits`, exactly that many decimals («12.345»|number:1 → «12,3»)."""
    if value is None or value == "" or isinstance(value, bool):
        return "—"
    try:
        amount = Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    if digits not in (None, ""):
        amount = amount.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
    else:
        amount = amount.normalize()
    text = f"{amount:f}"
    if text.startswith("-") and amount == 0:
        text = text[1:]
    return text.replace(".", ",")

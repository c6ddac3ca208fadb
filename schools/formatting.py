"""How every value a person reads is written; pages, charts, exports, PDFs and DOCX use only these.

Numbers have a decimal comma and are rounded as people round (16,25 → 16,3); shares carry «%»; a school
year is «2025/2026»; dates are dd.mm.yyyy; times are local; counted nouns take their Russian plural form.
A missing value is «—» unless the caller names another word («нет данных»).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone

NO_DATA = "—"
MINUS = "\u2212"
NBSP = "\u00a0"


def rounded(value, digits: int = 1) -> Decimal:
    """`value` rounded half up to `digits` decimals; floats are taken as they print (0.15 → 0,2, not 0,1)."""
    amount = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(str(value))
    return amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = (
            Decimal(repr(value))
            if isinstance(value, float)
            else Decimal(str(value).replace(",", ".").strip())
        )
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def number(value, digits: int | None = None, *, grouping: bool = False, empty: str = NO_DATA) -> str:
    """12.345 → «12,345»; with digits=1 → «12,3»; 80.00 → «80»; grouping: 12500 → «12 500» (no-break space).

    Never an exponent («8E+1»), never «-0».
    """
    amount = _decimal(value)
    if amount is None:
        return empty if value is None or value == "" or isinstance(value, bool) else str(value)
    amount = rounded(amount, digits) if digits is not None else amount.normalize()
    if amount == 0:
        amount = abs(amount)
    text = formats.number_format(f"{amount:f}", use_l10n=True, force_grouping=grouping)
    return text.replace("-", MINUS) if text.startswith("-") else text


def share(value, digits: int | None = 1, *, empty: str = NO_DATA) -> str:
    """A share already in percent: 12.34 → «12,3 %»; digits=None keeps the digits it has (70 → «70 %»)."""
    text = number(value, digits, empty=empty)
    return text if text == empty else f"{text}{NBSP}%"


def signed(value, digits: int = 1, *, empty: str = NO_DATA) -> str:
    """A change with its sign: 1.25 → «+1,3», −0.5 → «−0,5», 0 → «0,0»."""
    text = number(value, digits, empty=empty)
    if text == empty or text.startswith(MINUS) or _decimal(value) is None or rounded(value, digits) == 0:
        return text
    return f"+{text}"


def school_year(year, *, empty: str = NO_DATA) -> str:
    """2025 (the year it starts) → «2025/2026»."""
    if year is None or year == "":
        return empty
    year = int(year)
    return f"{year}/{year + 1}"


def date(value, *, empty: str = NO_DATA) -> str:
    """A date, or the local date of a moment, as dd.mm.yyyy."""
    if value is None or value == "":
        return empty
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d.%m.%Y")


def local_datetime(value, *, empty: str = NO_DATA) -> str:
    """A moment in the portal's time zone: «29.11.2026 15:01»."""
    if value is None or value == "":
        return empty
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d.%m.%Y %H:%M")


def plural(count: int, one: str, few: str, many: str) -> str:
    """The form of a noun after `count`: 1 школа, 2 школы, 5 школ, 11 школ, 21 школа, 112 школ."""
    count = abs(int(count))
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def counted(count: int, one: str, few: str, many: str) -> str:
    """«1 муниципалитет», «3 муниципалитета», «40 муниципалитетов»."""
    return f"{count} {plural(count, one, few, many)}"


def megabytes(size: int) -> str:
    """A file size in bytes: 1572864 → «1,5 МБ»."""
    return f"{number(size / 1024 / 1024, 1)}{NBSP}МБ"


# Russian letters in Latin (without diacritics), for codes made from names: subject codes of an import,
# municipality codes.
TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)

"""Helpers shared by the report builders: neutral tables, number formatting for sentences, years."""

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from statistics import median

from reports import masking
from schools import formatting
from schools.errors import ValidationFailed

Progress = Callable[[int, str], None]

COUNT, SHARE, NUMBER, TEXT, RANK = masking.COUNT, masking.SHARE, masking.NUMBER, masking.TEXT, masking.RANK


class BuildError(ValidationFailed):
    """The report cannot be built; the message (Russian) is shown to the user."""


def table(
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Sequence],
    *,
    basis: dict[int, list[int]] | None = None,
    in_pdf: bool = True,
    in_xlsx: bool = True,
    note: str = "",
    sheet: str = "",
    weights: Sequence[int] | None = None,
) -> dict:
    """A table in the neutral JSON form the renderer and the masking function read.

    `columns` are (header, kind) pairs; `basis` maps a share column to the count columns it was computed from.
    """
    return {
        "title": title,
        "headers": [header for header, _ in columns],
        "kinds": [kind for _, kind in columns],
        "basis": {str(k): v for k, v in (basis or {}).items()},
        "rows": [list(row) for row in rows],
        "in_pdf": in_pdf,
        "in_xlsx": in_xlsx,
        "note": note,
        "sheet": sheet,
        "weights": list(weights) if weights else None,
    }


def year_label(year: int) -> str:
    return formatting.school_year(year)


def half_up(value: float, digits: int = 1) -> Decimal:
    """Rounded as people round (16,25 → 16,3), not as binary floats do."""
    return formatting.rounded(float(value), digits)


def fmt(value: float | None, digits: int = 1) -> str:
    return formatting.number(value, digits, empty="нет данных")


def pp(delta: float) -> str:
    """A difference of shares in percentage points, Russian style: «6,2 п.п.»."""
    return fmt(abs(delta)) + "\u00a0п.п."


def stats(values: list[float]) -> dict:
    known = [v for v in values if v is not None]
    if not known:
        return {"count": 0, "median": None, "mean": None, "min": None, "max": None}
    return {
        "count": len(known),
        "median": median(known),
        "mean": sum(known) / len(known),
        "min": min(known),
        "max": max(known),
    }


def round_or_none(value, digits: int = 2):
    return None if value is None else round(float(value), digits)

"""The small-count rule, in one place, for public pages, public API answers and published PDFs/xlsx.

A count of students between 1 and k − 1 (k = settings.SMALL_COUNT_K, default 10) is shown as "<k", and
every share computed from such a count is hidden. Zero is not masked: it discloses no individual.

Report data carries its tables in a neutral form (see `Table`); a column's kind says whether it holds a
count of students, a share and the counts it was computed from, or anything else. `mask_tables` returns
a masked copy; it runs once, on the server, when a report is published, and the public copy is what
public pages, the public API and the published files are made from.
"""

from copy import deepcopy

from django.conf import settings

COUNT = "count"  # a number of students
SHARE = "share"  # a percentage; "basis" names the count columns it was computed from
NUMBER = "number"  # any other number (indices, ranks, numbers of schools, medians of shares)
TEXT = "text"
RANK = "rank"  # a school's place among others («3 из 12»): staff only, left out of every public copy
HIDDEN = None  # a hidden share


def small_count_k() -> int:
    return int(getattr(settings, "SMALL_COUNT_K", 10))


def small_label() -> str:
    return f"<{small_count_k()}"


def is_small(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < small_count_k()


def mask_count(value):
    """A count as it may be published: the value, or "<k" when it is small."""
    return small_label() if is_small(value) else value


def mask_row(row: list, kinds: list[str], basis: dict) -> list:
    """One table row masked: small counts become "<k", shares based on them become hidden."""
    masked = list(row)
    for index, kind in enumerate(kinds):
        if kind == COUNT:
            masked[index] = mask_count(row[index])
    for index, kind in enumerate(kinds):
        if kind == SHARE:
            counts = basis.get(str(index), basis.get(index, []))
            if any(is_small(row[c]) for c in counts):
                masked[index] = HIDDEN
    return masked


def mask_table(table: dict) -> dict:
    """The table as it may be published: small counts masked, shares on them hidden, rank columns gone."""
    masked = deepcopy(table)
    kinds, basis = table.get("kinds", []), table.get("basis", {})
    rows = [mask_row(row, kinds, basis) for row in table.get("rows", [])]
    keep = [i for i, kind in enumerate(kinds) if kind != RANK]
    if len(keep) < len(kinds):
        rows = [[row[i] for i in keep] for row in rows]
        for name in ("headers", "kinds", "weights"):
            if masked.get(name):
                masked[name] = [masked[name][i] for i in keep]
        masked["basis"] = {}
    masked["rows"] = rows
    masked["masked"] = True
    return masked


def mask_data(data: dict) -> dict:
    """A copy of a report's data with every table masked (the public copy); sections marked
    `"public": False` (a ranking of schools) are left out with their tables and charts."""
    masked = deepcopy(data)
    hidden = [s for s in data.get("sections", []) if s.get("public") is False]
    hidden_tables = {key for s in hidden for key in s.get("tables", [])}
    masked["sections"] = [s for s in masked.get("sections", []) if s.get("public") is not False]
    masked["tables"] = {
        key: mask_table(table) for key, table in data.get("tables", {}).items() if key not in hidden_tables
    }
    masked["masked"] = True
    masked["small_count_k"] = small_count_k()
    return masked

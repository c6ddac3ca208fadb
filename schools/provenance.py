"""Where a school's context values came from besides the import files.

The social monitoring (monitoring app, DESIGN §7) turns a verified card into that year's school context. The
context importer must not overwrite such values silently: it asks the sources registered here (in their app's
`ready()`, so this app imports no other) and shows where the file differs.
"""

from collections.abc import Callable, Iterable
from typing import TypedDict


class ContextSource(TypedDict):
    label: str  # «карта мониторинга «…», 2024/2025, № 12», shown beside every difference
    values: dict  # field → the value that source wrote


ContextLookup = Callable[[set[tuple[int, int]]], dict[tuple[int, int], ContextSource]]
_LOOKUPS: list[ContextLookup] = []


def register_context_source(lookup: ContextLookup) -> None:
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


def context_sources(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], ContextSource]:
    """{(school_id, year): the source that wrote values of that context row}; one query per source."""
    wanted = set(keys)
    found: dict[tuple[int, int], ContextSource] = {}
    for lookup in _LOOKUPS:
        found.update(lookup(wanted))
    return found

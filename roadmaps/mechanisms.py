"""The regional assessment of municipal mechanisms (DESIGN §6; seed 004; monitorings 3 and 5 of seed 000),
as arithmetic on plain counts with no database access.

`roadmaps/region.py` counts, for every municipality and year, the numerator and denominator of each
indicator below in a fixed number of queries; `assess` turns them into shares and ranks the municipalities.
Every indicator is «higher is better». A share with a zero denominator is «no data» (None), never 0, and
leaves the municipality out of that indicator's ranking and out of the mean its overall place is taken from.
"""

import math
from dataclasses import dataclass, field

from indicators.computation import rank_ascending


@dataclass(frozen=True)
class MechanismIndicator:
    code: str
    title: str
    numerator: str  # what is counted above the line, in words
    denominator: str  # and below it


INDICATORS = (
    MechanismIndicator(
        "programme_share",
        "Доля ШНОР, у которых есть программа помощи",
        "ШНОР года, у которых есть программа помощи, действующая в этом году",
        "ШНОР года",
    ),
    MechanismIndicator(
        "items_on_time_share",
        "Доля мероприятий программ помощи, выполненных в срок",
        "мероприятия со сроком в этом учебном году, выполненные не позже срока",
        "мероприятия программ помощи школ со сроком в этом учебном году, срок которых наступил "
        "(или выполненные раньше); отменённые и архивные не считаются",
    ),
    MechanismIndicator(
        "left_share",
        "Доля ШНОР прошлого года, вышедших из списка",
        "ШНОР прошлого года, которые не вошли в список ШНОР этого года",
        "ШНОР прошлого года",
    ),
    MechanismIndicator(
        "cards_on_time_share",
        "Доля экспертных карт, отправленных в срок",
        "карты мониторинга ШНОР года, отправленные руководителем не позже срока самооценки",
        "карты мониторинга ШНОР года",
    ),
    MechanismIndicator(
        "answered_share",
        "Доля адресных рекомендаций, на которые школа ответила",
        "направленные школам рекомендации года с ответом школы",
        "направленные школам рекомендации года (черновики и отменённые не считаются)",
    ),
)
CODES = tuple(i.code for i in INDICATORS)


def share(numerator: int, denominator: int) -> float | None:
    """A share in %; None (no data) when nothing was counted below the line."""
    return numerator / denominator * 100 if denominator else None


@dataclass
class Figure:
    """One indicator of one municipality: the counts, the share and its place among the municipalities."""

    numerator: int = 0
    denominator: int = 0
    rank: int | None = None  # 1 = the highest share
    population: int | None = None  # municipalities with data for this indicator

    @property
    def value(self) -> float | None:
        return share(self.numerator, self.denominator)


@dataclass
class Assessment:
    """The five indicators of one municipality in a year and its overall place (1 = best)."""

    municipality_id: int
    figures: dict[str, Figure] = field(default_factory=dict)
    score: float | None = None  # the mean of the shares that have data
    rank: int | None = None
    population: int | None = None  # municipalities with a score

    @property
    def with_data(self) -> int:
        return sum(1 for f in self.figures.values() if f.value is not None)


def assess(counts: dict[int, dict[str, tuple[int, int]]]) -> dict[int, Assessment]:
    """{municipality id: {indicator code: (numerator, denominator)}} → {municipality id: Assessment}.

    Ranks are SQL RANK() over the shares, highest first (equal shares share the better place); the overall
    score is the plain mean of the municipality's shares that have data, ranked the same way.
    """
    result = {
        mid: Assessment(mid, {code: Figure(*counts[mid].get(code, (0, 0))) for code in CODES})
        for mid in counts
    }
    for code in CODES:
        _rank([(a.figures[code].value, a.figures[code]) for a in result.values()])
    for a in result.values():
        values = [f.value for f in a.figures.values() if f.value is not None]
        a.score = math.fsum(values) / len(values) if values else None
    _rank([(a.score, a) for a in result.values()])
    return result


def _rank(pairs: list) -> None:
    """Set `rank` and `population` of each holder whose value is not None (1 = highest value)."""
    ranked = [(value, holder) for value, holder in pairs if value is not None]
    ranks = rank_ascending([round(value, 9) for value, _ in ranked], descending=True)
    for (_, holder), rank in zip(ranked, ranks, strict=True):
        holder.rank, holder.population = rank, len(ranked)

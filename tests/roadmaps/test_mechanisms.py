"""The arithmetic of the regional assessment of municipal mechanisms (roadmaps/mechanisms.py), by hand."""

from roadmaps.mechanisms import CODES, assess, share

# municipality: (numerator, denominator) of programme, items on time, left the list, cards on time, answered
COUNTS = {
    1: dict(zip(CODES, [(2, 4), (3, 4), (1, 2), (4, 4), (1, 2)], strict=True)),  # 50 75 50 100 50
    2: dict(zip(CODES, [(4, 4), (0, 0), (1, 1), (2, 4), (3, 4)], strict=True)),  # 100 — 100 50 75
    3: dict(zip(CODES, [(0, 0)] * 5, strict=True)),  # nothing to count
    4: dict(zip(CODES, [(1, 2), (3, 4), (0, 2), (3, 3), (2, 2)], strict=True)),  # 50 75 0 100 100
}


def test_share_is_none_without_a_denominator():
    assert (share(1, 4), share(0, 3), share(0, 0)) == (25.0, 0.0, None)


def test_scores_are_the_mean_of_the_shares_with_data():
    result = assess(COUNTS)

    # 1: (50 + 75 + 50 + 100 + 50) / 5 = 65; 2: (100 + 100 + 50 + 75) / 4 = 81,25 (no items);
    # 4: (50 + 75 + 0 + 100 + 100) / 5 = 65; 3: no data at all
    assert {mid: a.score for mid, a in result.items()} == {1: 65.0, 2: 81.25, 3: None, 4: 65.0}
    assert {mid: a.with_data for mid, a in result.items()} == {1: 5, 2: 4, 3: 0, 4: 5}


def test_overall_rank_is_highest_first_and_ties_share_the_better_place():
    result = assess(COUNTS)

    # 81,25 → 1; 65 and 65 → both 2; municipality 3 has no score and no place; 3 ranked
    assert {mid: (a.rank, a.population) for mid, a in result.items()} == {
        1: (2, 3),
        2: (1, 3),
        3: (None, None),
        4: (2, 3),
    }


def test_each_indicator_is_ranked_among_the_municipalities_with_data():
    result = assess(COUNTS)

    def places(code):
        return {mid: (a.figures[code].rank, a.figures[code].population) for mid, a in result.items()}

    # programme: 100 (2) → 1; 50 (1, 4) → 2
    assert places("programme_share") == {1: (2, 3), 2: (1, 3), 3: (None, None), 4: (2, 3)}
    # items: 75 (1, 4) → 1; 2 and 3 have none due
    assert places("items_on_time_share") == {1: (1, 2), 2: (None, None), 3: (None, None), 4: (1, 2)}
    # left: 100 (2) → 1, 50 (1) → 2, 0 (4) → 3 (0 % is data, not «no data»)
    assert places("left_share") == {1: (2, 3), 2: (1, 3), 3: (None, None), 4: (3, 3)}
    # answered: 100 (4) → 1, 75 (2) → 2, 50 (1) → 3
    assert places("answered_share") == {1: (3, 3), 2: (2, 3), 3: (None, None), 4: (1, 3)}
    assert (result[4].figures["left_share"].value, result[3].figures["left_share"].value) == (0.0, None)

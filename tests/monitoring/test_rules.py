from decimal import Decimal

import pytest

from monitoring.models import Level
from monitoring.reference import BUILTIN_TEMPLATE
from monitoring.rules import invalid_link, level_for, level_thresholds, score_points, share_meets


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, Level.LOW),
        (10, Level.LOW),
        (11, Level.MEDIUM),
        (13, Level.MEDIUM),
        (14, Level.HIGH),
        (17, Level.HIGH),
    ],
)
def test_level_of_the_17_point_card(score, level):
    assert level_for(score=score, maximum=17, high_share="0.8", medium_share="0.6") == level


def test_level_thresholds_are_ceil_of_share_times_maximum():
    assert level_thresholds(maximum=17, high_share="0.8", medium_share="0.6") == (14, 11)
    # 0.8 × 15 = 12 exactly: float arithmetic would give 12.000000000000002 and a wrong 13
    assert level_thresholds(maximum=15, high_share=Decimal("0.800"), medium_share="0.6") == (12, 9)


def test_score_counts_points_and_caps_each_section_at_its_maximum():
    all_codes = {c["code"]: 1 for s in BUILTIN_TEMPLATE["sections"] for c in s["criteria"]}
    assert score_points(BUILTIN_TEMPLATE, all_codes) == 17
    assert score_points(BUILTIN_TEMPLATE, {"1.1": 1, "2.3": 1, "3.1": 1}) == 3
    capped = {
        **BUILTIN_TEMPLATE,
        "sections": [
            {**BUILTIN_TEMPLATE["sections"][2], "maximum": 1, "criteria": [{"code": "x", "points": 3}]}
        ],
    }
    assert score_points(capped, {"x": 3}) == 1


def test_share_at_least_threshold_is_exact():
    assert share_meets(numerator=4, denominator=5, threshold="80") is True
    assert share_meets(numerator=3, denominator=4, threshold="80") is False
    assert share_meets(numerator=0, denominator=0, threshold="80") is False
    assert share_meets(numerator=None, denominator=5, threshold="80") is False


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("https://edu.example/doc.pdf", None),
        ("http://ais.local/x\nhttps://edu.example/2", None),
        ("", None),
        ("ftp://edu.example/doc", "ftp://edu.example/doc"),
        ("https://ok.example/a www.example.com", "www.example.com"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("https://", "https://"),
    ],
)
def test_evidence_links_must_be_http_urls(text, bad):
    assert invalid_link(text) == bad

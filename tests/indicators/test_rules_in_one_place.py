"""Each rule of the computation is written once: the one-school cluster in the pure computation, the
defaults (cluster edges, q, n, p; the card's level shares) in one defaults module per app."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from indicators import computation as calc
from indicators.defaults import (
    DEFAULT_LOW_RESULTS_SHARE,
    DEFAULT_LOW_RESULTS_YEARS,
    DEFAULT_SIZE_EDGES,
    DEFAULT_UNFAVOURABLE_SHARE,
)
from indicators.models import MethodologyRules
from indicators.reference import seed
from monitoring.defaults import DEFAULT_HIGH_SHARE, DEFAULT_MEDIUM_SHARE
from monitoring.models import CardTemplate
from monitoring.reference import BUILTIN_TEMPLATE

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("place", "rank"),
    [(None, None), ((1, 1), None), ((1, 2), 1), ((3, 30), 3)],
)
def test_a_cluster_of_one_school_is_never_ranked(place, rank):
    assert calc.cluster_rank(place) == rank


@pytest.mark.parametrize(
    ("place", "threshold", "low"),
    [
        ((1, 1), 1, False),  # alone in its cluster: never low
        ((1, 2), 1, True),
        ((2, 2), 1, False),
        ((3, 30), 3, True),  # ⌊0.1 × 30⌋ = 3
        ((4, 30), 3, False),
        (None, None, False),  # no results index
    ],
)
def test_low_results_in_a_year(place, threshold, low):
    assert calc.is_low_results(place, threshold) is low


def test_defaults_as_the_design_gives_them():
    computation = (
        DEFAULT_SIZE_EDGES,
        DEFAULT_LOW_RESULTS_SHARE,
        DEFAULT_LOW_RESULTS_YEARS,
        DEFAULT_UNFAVOURABLE_SHARE,
    )
    levels = (DEFAULT_HIGH_SHARE, DEFAULT_MEDIUM_SHARE)
    assert computation == ((100, 500), Decimal("0.1"), 2, Decimal("0.1"))
    assert levels == (Decimal("0.8"), Decimal("0.6"))


@pytest.mark.django_db
def test_seeded_rules_the_computation_and_the_card_template_start_from_the_defaults():
    seed()
    seeded = calc.Rules.from_model(MethodologyRules.objects.get())
    without_stored_rules = calc.Rules()
    for rules in (seeded, without_stored_rules):
        assert (rules.size_edges, rules.q, rules.n, rules.p) == (
            (100, 500),
            Decimal("0.1"),
            2,
            Decimal("0.1"),
        )
    template = CardTemplate()
    assert (template.high_share, template.medium_share) == (Decimal("0.8"), Decimal("0.6"))
    assert BUILTIN_TEMPLATE["levels"] == {"high": "0.8", "medium": "0.6"}


DEFAULT_LITERALS = {
    "indicators": (
        re.compile(r"\(100, 500\)|default=100\b|default=500\b|Decimal\(\"0\.1\"\)"),
        "defaults.py",
    ),
    "monitoring": (re.compile(r"\"0\.8\"|\"0\.6\"|Decimal\(\"0\.[68]0*\"\)"), "defaults.py"),
}


@pytest.mark.parametrize("app", sorted(DEFAULT_LITERALS))
def test_default_values_are_written_in_the_defaults_module_only(app):
    pattern, home = DEFAULT_LITERALS[app]
    places = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        and path.name != home
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert places == []


def test_the_one_school_cluster_rule_is_written_once():
    """`size == 1`, `size != 1`, `size > 1` about a cluster appear in `computation.cluster_rank` only."""
    pattern = re.compile(r"\bsize\s*(==|!=|>)\s*1\b")
    places = [
        (str(path.relative_to(ROOT)), len(pattern.findall(path.read_text(encoding="utf-8"))))
        for path in sorted((ROOT / "indicators").rglob("*.py"))
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert places == [("indicators/computation.py", 1)]

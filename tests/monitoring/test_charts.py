"""SVG charts on the campaign dashboard (cards by state, levels) and on the results page (per school)."""

from datetime import date

from django.urls import reverse

from monitoring.models import ExpertCard
from tests.monitoring.factories import make_campaign


def _svg(html: str, title: str) -> str:
    start = html.index(f'aria-label="{title}"')
    return html[start : html.index("</svg>", start)]


def test_dashboard_charts_count_cards_by_state_and_by_level(campaign, client_for, inspector):
    campaign.cards.filter(school__code="A001").update(
        status=ExpertCard.Status.VERIFIED, score=9, level="low", self_score=12
    )
    html = (
        client_for(inspector).get(reverse("monitoring:campaign-detail", args=[campaign.pk])).content.decode()
    )
    assert "<script>" not in html and 'style="' not in html
    progress = _svg(html, "Ход мониторинга: карт в каждом состоянии")
    assert "<title>не начата: 1</title>" in progress and "<title>проверена: 1</title>" in progress
    assert "<title>отправлена: 0</title>" in progress
    levels = _svg(html, "Степень эффективности: школ")
    assert "<title>низкая степень: 1</title>" in levels and "<title>высокая степень: 0</title>" in levels
    assert "<title>ещё не определена: 1</title>" in levels
    assert '<th scope="col">Действия</th>' in html and '<th scope="col"></th>' not in html


def test_results_chart_compares_each_school_with_the_previous_campaign(
    school_a, school_b, campaign, client_for, inspector
):
    previous = make_campaign(
        schools=[school_a], year=2024, due=(date(2025, 9, 30), date(2025, 10, 15), date(2025, 11, 1))
    )
    previous.cards.update(status=ExpertCard.Status.EVALUATED, self_score=10, score=7, level="low")
    campaign.cards.filter(school__code="A001").update(
        status=ExpertCard.Status.VERIFIED, self_score=12, score=11, level="medium"
    )
    html = (
        client_for(inspector).get(reverse("monitoring:campaign-results", args=[campaign.pk])).content.decode()
    )
    chart = _svg(html, "Баллы по школам: сравнение с мониторингом 2024/2025")
    assert (
        "<title>Самооценка: A001 — 12</title>" in chart and "<title>Подтверждено: A001 — 11</title>" in chart
    )
    assert "<title>Подтверждено в 2024/2025: A001 — 7</title>" in chart
    assert "B001 — " not in chart  # B001 has neither a score nor a previous card: a gap, not a zero
    assert ">A001</text>" in chart and ">B001</text>" in chart


def test_results_chart_without_a_previous_campaign(campaign, client_for, inspector):
    html = (
        client_for(inspector).get(reverse("monitoring:campaign-results", args=[campaign.pk])).content.decode()
    )
    chart = _svg(html, "Баллы по школам")
    assert "Самооценка" in chart and "Подтверждено в" not in chart

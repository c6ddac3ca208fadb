"""Russian number notation on the indicators pages and the list-size charts (lists page, staff dashboard)."""

from decimal import Decimal

import pytest

from schools.roles import PRINCIPAL
from schools.templatetags.portal import number
from tests.factories import UserFactory


def _svg(html: str, title: str) -> str:
    start = html.index(f'aria-label="{title}"')
    return html[start : html.index("</svg>", start)]


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        ("0.100", None, "0,1"),
        (Decimal("0.250"), None, "0,25"),
        (Decimal("100"), None, "100"),
        (2, None, "2"),
        (12.345, 1, "12,3"),
        ("0.05", 1, "0,1"),
        (Decimal("-0.0001"), 2, "0,00"),
        (None, None, "—"),
        ("", None, "—"),
        ("нет", None, "нет"),
    ],
)
def test_number_filter(value, digits, shown):
    assert number(value, digits) == shown


def test_rule_parameters_print_with_a_decimal_comma_and_no_trailing_zeros(client_for, inspector, town):
    client = client_for(inspector)
    lists = client.get("/indicators/", {"year": 2024}).content.decode()
    assert "Доля кластера с низкими результатами (q)</dt><dd>0,1</dd>" in lists
    assert "Доля муниципалитета для ШНСУ (p)</dt><dd>0,1</dd>" in lists
    assert "⌊0,1 × размер кластера⌋" in lists and "⌊0,1 × число школ⌋" in lists
    rules = client.get("/indicators/rules/").content.decode()
    assert '<td data-label="q">0,1</td>' in rules and '<td data-label="p">0,1</td>' in rules
    assert '<td data-label="q / n / p">0,1 / 2 / 0,1</td>' in rules
    for html in (lists, rules):
        assert ">0.100" not in html and "0,100" not in html  # the form's number input keeps its dot


def test_why_page_prints_q_in_russian_notation(client_for, roles, town):
    principal = UserFactory(username="principal_t1", groups=[roles[PRINCIPAL]], school=town["T1"])
    html = client_for(principal).get("/indicators/school/T1/", {"year": 2024}).content.decode()
    assert "q = 0,1," in html and "0.100" not in html


def test_lists_page_charts_list_sizes_and_moves_over_the_years(client_for, inspector, town):
    html = client_for(inspector).get("/indicators/", {"year": 2024}).content.decode()
    sizes = _svg(html, "Число школ в списках ШНОР и ШНСУ по годам")
    for point in ("ШНОР: 2023/2024 — 1", "ШНОР: 2024/2025 — 1", "ШНСУ: 2023/2024 — 1", "ШНСУ: 2024/2025 — 1"):
        assert f"<title>{point}</title>" in sizes
    moves = _svg(html, "Вошли в списки и вышли из них по годам")
    for point in (
        "вошли в ШНОР: 2024/2025 — 1",
        "вышли из ШНОР: 2024/2025 — 1",
        "вошли в ШНСУ: 2024/2025 — 0",
        "вышли из ШНСУ: 2024/2025 — 0",
    ):
        assert f"<title>{point}</title>" in moves
    assert "2023/2024 — " not in moves  # no computation for 2022: nothing to compare with, a gap
    assert '<td data-label="ШНОР: вошли / вышли">1 / 1</td>' in html
    assert '<td data-label="ШНОР: вошли / вышли">—</td>' in html
    assert "<script>" not in html and 'style="' not in html


def test_dashboard_panel_has_the_list_trend(client_for, inspector, town):
    html = client_for(inspector).get("/dashboard/").content.decode()
    panel = html[html.index('id="lists-panel"') :]
    trend = _svg(panel, "Число школ в списках ШНОР и ШНСУ по годам")
    assert "<title>ШНОР: 2023/2024 — 1</title>" in trend and "<title>ШНСУ: 2024/2025 — 1</title>" in trend
    assert 'viewBox="0 0 480 200"' in panel

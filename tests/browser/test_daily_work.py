"""Issue 17: daily work without traps. Each test asserts what a person sees in the demo portal."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login
from .crawl import internal_codes

pytestmark = pytest.mark.browser

YEARS_WITH_DATA = ["2025/2026", "2024/2025", "2023/2024", "2022/2023", "2021/2022"]
DISAGREE = "заявка руководителя расходится с расчётом"


def test_disagreement_flag_is_visible_only_where_claim_and_computation_differ(page, portal):
    # principal1's card of 2025 claims nothing; the computation finds a positive dynamic in 1.1, 1.6, 1.7,
    # 1.9 and 1.12 (5 disagreements) and none in the other 7 computed criteria.
    login(page, portal, "principal1")
    page.goto(portal("/monitoring/my/"))
    expect(page.locator("[data-disagree-flag]")).to_have_count(12)
    expect(page.get_by_text(DISAGREE).locator("visible=true")).to_have_count(5)
    expect(page.locator("#c-1\\.1").get_by_text(DISAGREE)).to_be_visible()
    expect(page.locator("#c-1\\.2").get_by_text(DISAGREE)).to_be_hidden()


def test_report_and_decision_forms_offer_the_years_with_data_latest_first(page, portal):
    login(page, portal, "inspector")
    page.goto(portal("/reports/"))
    year = page.get_by_label("Учебный год")
    expect(year.locator("option")).to_have_text(YEARS_WITH_DATA)
    expect(year.locator("option:checked")).to_have_text("2025/2026")

    page.goto(portal("/roadmaps/decisions/new/"))
    year = page.get_by_label("Учебный год")
    expect(year.locator("option")).to_have_text(YEARS_WITH_DATA)
    expect(year.locator("option:checked")).to_have_text("2025/2026")


def test_effectiveness_year_list_names_each_year_once(page, portal):
    login(page, portal, "inspector")
    page.goto(portal("/roadmaps/effectiveness/"))
    expect(page.get_by_label("Учебный год").locator("option")).to_have_text(list(reversed(YEARS_WITH_DATA)))


def test_ordinary_screens_show_russian_words_not_codes(page, portal):
    login(page, portal, "inspector")
    page.goto(portal("/roadmaps/recommendations/"))
    expect(page.get_by_text("список ШНОР, 2025/2026").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"показатель «.+», 2025/2026")).first).to_be_visible()
    assert internal_codes(page.locator("main").inner_text()) == []

    page.goto(portal("/reports/"))
    expect(page.get_by_text("численность обучающихся меньше 10 заменяется")).to_be_visible()
    assert internal_codes(page.locator("main").inner_text()) == []

    page.goto(portal("/monitoring/templates/lesosibirsk-shnor/"))
    expect(page.get_by_text("порог 80").first).to_be_visible()
    assert "8E+1" not in page.locator("main").inner_text()


def test_principal_sees_no_links_to_pages_refused_to_principals(page, portal):
    login(page, portal, "principal1")
    for path in ("/", "/help/", "/help/inspector/", "/help/administrator/"):
        page.goto(portal(path))
        for refused in ("/indicators/", "/monitoring/", "/roadmaps/", "/reports/", "/schools/import/"):
            expect(page.locator(f'a[href="{refused}"]')).to_have_count(0)


def test_dashboard_counts_speak_russian_and_do_not_claim_an_empty_portal(page, portal):
    login(page, portal, "inspector")
    stats = page.get_by_role("region", name="Сводка")
    expect(stats.locator(".stat-value")).to_have_text(["40", "1", "200", "2021–2025"])
    expect(stats.locator(".stat-label")).to_have_text(
        ["образовательных организаций", "муниципалитет", "записей контекста ОО", "учебные годы в данных"]
    )
    expect(page.get_by_text("Данные ещё не загружались")).to_have_count(0)
    expect(page.get_by_text("Через портал файлы ещё не загружались")).to_be_visible()

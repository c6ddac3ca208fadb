"""Issue 17 «Daily work without traps», items 9 and 10: the effectiveness analysis rates a decision only
on results after it and opens the block a link points to; charts read as whole counts with a unit, have a
table, draw no line between schools and keep readable labels on a 390-px phone."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, login, shot

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
LATE = "Выделить средства на компьютерное оснащение кабинетов и устойчивый доступ в интернет сельским ШНОР"
MENTOR = "Закрепить за каждой ШНОР школу-наставника"


def _open_decision(page, portal, title):
    page.goto(portal("/roadmaps/decisions/"))
    page.get_by_role("link", name=re.compile(re.escape(title))).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title[:40])


def _decision_block(page, title):
    return page.locator("details").filter(has=page.locator("summary", has_text=title[:40]))


# --- item 9: the effectiveness analysis ------------------------------------------------------------


def test_a_link_to_a_decisions_effectiveness_lands_on_its_open_block_compared_after_the_decision(
    new_page, portal
):
    page = new_page(LAPTOP)
    login(page, portal, "inspector")
    _open_decision(page, portal, MENTOR)
    page.get_by_role("link", name="Эффективность решения").click()

    block = _decision_block(page, MENTOR)
    expect(block).to_have_attribute("open", "")
    expect(
        block.get_by_text("Сравниваются 2024/2025 (последний учебный год до решения) и 2025/2026.")
    ).to_be_visible()
    expect(block.get_by_role("columnheader", name="Среднее 2024/2025")).to_be_visible()
    expect(block.get_by_role("columnheader", name="Среднее 2025/2026")).to_be_visible()
    shot(page, "c-09-decision-block-open")


def test_a_decision_signed_after_the_compared_years_is_not_rated_and_the_page_says_why(new_page, portal):
    page = new_page(LAPTOP)
    login(page, portal, "inspector")
    _open_decision(page, portal, LATE)
    page.get_by_role("link", name="Изменить").click()
    page.get_by_label("Дата документа").fill("2026-09-10")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("от 10.09.2026")).to_be_visible()
    page.get_by_role("link", name="Эффективность решения").click()

    block = _decision_block(page, LATE)
    expect(block.get_by_text("не оценено")).to_be_visible()
    expect(
        block.get_by_text(
            "Оценить решение пока нельзя: оно принято 10.09.2026, а результатов за 2026/2027 учебный год — "
            "первый, закончившийся после решения, — в портале ещё нет."
        )
    ).to_be_visible()
    expect(block.get_by_role("table")).to_have_count(0)
    expect(block.get_by_text("лучше", exact=True)).to_have_count(0)
    shot(page, "c-09-decision-not-rated")


# --- item 10: charts -------------------------------------------------------------------------------

TICK_TEXTS = "svg => [...svg.querySelectorAll('text.chart-tick[text-anchor=end]')].map(t => t.textContent)"
# the size a person sees: the CSS font size times the factor the SVG is scaled by on screen
SMALLEST_TEXT = (
    "svg => Math.min(...[...svg.querySelectorAll('text')].map(t =>"
    " parseFloat(getComputedStyle(t).fontSize)"
    " * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width))"
)


def test_list_charts_on_a_phone_count_whole_schools_name_the_unit_and_have_a_table(new_page, portal):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    login(page, portal, "inspector")
    page.goto(portal("/indicators/"))
    figure = page.locator("figure.chart-figure").filter(
        has=page.locator("svg[aria-label='Число школ в списках ШНОР и ШНСУ по годам']")
    )
    svg = figure.locator("svg:visible")
    expect(svg).to_have_count(1)

    ticks = svg.evaluate(TICK_TEXTS)
    assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks), ticks
    assert [int(t) for t in ticks] == sorted({int(t) for t in ticks})
    expect(svg.locator("text.chart-unit")).to_have_text("школ")
    assert svg.evaluate(SMALLEST_TEXT) >= 11
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    figure.get_by_text("Таблица").click()
    table = figure.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.locator("thead th")).to_have_text(["Учебный год", "ШНОР", "ШНСУ"])
    categories = svg.locator("text.chart-tick[text-anchor=middle]").all_text_contents()
    expect(table.locator("tbody tr")).to_have_count(len(categories))
    expect(table.locator("tbody th")).to_have_text(categories)
    assert all(re.fullmatch(r"\d+|нет данных", c) for c in table.locator("tbody td").all_text_contents())
    shot(page, "c-10-phone-list-chart")


def test_campaign_scores_are_points_per_school_without_a_line_between_schools(new_page, portal):
    page = new_page(LAPTOP)
    login(page, portal, "inspector")
    page.goto(portal("/monitoring/"))
    page.get_by_role("link", name="итоги").first.click()
    svg = page.locator("svg[aria-label^='Баллы по школам']:visible")
    expect(svg).to_have_count(1)

    expect(svg.locator("polyline")).to_have_count(0)
    expect(svg.locator("circle").first).to_be_visible()
    expect(svg.locator("text.chart-unit")).to_have_text("баллов")
    ticks = svg.evaluate(TICK_TEXTS)
    assert all(re.fullmatch(r"\d+", t) for t in ticks), ticks
    shot(page, "c-10-campaign-points")

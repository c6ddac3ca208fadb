"""The inspector runs the computation, reads the ШНОР and ШНСУ lists and why a school is on one."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login, menu_link, shot

pytestmark = pytest.mark.browser


def test_inspector_computes_the_year_and_explains_why_a_school_is_on_the_list(page, portal):
    login(page, portal, "inspector")
    menu_link(page, "Показатели").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Списки ШНОР и ШНСУ")

    # Run the computation of 2025/2026 and follow the job to its end.
    page.get_by_label("Учебный год для расчёта").select_option(label="2025/2026")
    page.get_by_role("button", name="Запустить расчёт").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Расчёт показателей и списков за 2025/2026")
    expect(page.get_by_role("progressbar", name="Ход выполнения")).to_have_attribute(
        "value", "100", timeout=60_000
    )
    expect(page.locator(".message-success")).to_be_visible()
    shot(page, "20-compute-done")
    page.get_by_role("link", name="Открыть результат").click()

    # Both lists of the year, with the rule that built them.
    expect(page.get_by_role("heading", level=1)).to_have_text("Списки ШНОР и ШНСУ за 2025/2026 учебный год")
    low = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile(r"^ШНОР")))
    unfavourable = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile(r"^ШНСУ")))
    expect(low.locator("tbody tr").first).to_be_visible()
    expect(unfavourable.locator("tbody tr").first).to_be_visible()
    expect(low.get_by_role("link", name="0101 СШ № 1")).to_be_visible()
    shot(page, "21-lists")

    # Why is СШ № 1 on the ШНОР list: index, rank in the cluster, and the years behind the decision.
    low.get_by_role("link", name="0101 СШ № 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Почему школа в списке: СШ № 1")
    summary = page.locator("dl.props").first
    expect(summary).to_contain_text("Место в кластере")
    expect(summary.locator("dd").filter(has_text="в списке").first).to_be_visible()
    years = page.locator("section").filter(
        has=page.get_by_role("heading", name="Годы, по которым принято решение о ШНОР")
    )
    expect(years.locator("tbody tr").filter(has_text="2025/2026").get_by_text("да")).to_be_visible()
    expect(years.locator("tbody tr").filter(has_text="2024/2025").get_by_text("да")).to_be_visible()
    expect(page.locator("figure.chart-figure svg").first).to_be_visible()
    shot(page, "22-why-on-list")

    # The school page links back to the same explanation.
    page.get_by_role("navigation", name="Навигационная цепочка").get_by_role("link", name="СШ № 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("СШ № 1")
    expect(page.get_by_role("link", name="Почему школа в списке")).to_be_visible()
    shot(page, "23-school-with-status")

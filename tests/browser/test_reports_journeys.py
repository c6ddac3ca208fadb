"""The inspector builds and publishes the annual report.

A visitor finds it on /quality/ and downloads the PDF.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, login, menu_link, shot

pytestmark = pytest.mark.browser

YEAR = "2025"
PUBLISH_ANNUAL_REPORT = f"""
from reports.services import report_build, report_create, report_publish
report = report_create(kind="annual", year={YEAR})
report_build(report_id=report.pk)
report_publish(report_id=report.pk)
"""


def _build_annual_report(page, portal) -> str:
    portal.manage("compute", "--year", YEAR)  # precondition: the year's statuses (the inspector's journey)
    menu_link(page, "Отчёты").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Аналитические отчёты и документы")
    page.get_by_label("Вид отчёта").select_option(label="Аналитический отчёт ШНОР/ШНСУ")
    page.get_by_label("Учебный год").select_option(YEAR)
    page.get_by_role("button", name="Построить").click()
    expect(page.locator("progress.progress, .report-status, dl.props").first).to_be_visible()
    return page.url


def test_inspector_builds_watches_and_publishes_the_annual_report(page, portal):
    login(page, portal, "inspector")
    _build_annual_report(page, portal)
    shot(page, "50-report-building")

    # The build runs in the background; the page follows it to the end.
    expect(page.get_by_role("link", name="Скачать PDF")).to_be_visible(timeout=60_000)
    expect(page.locator("dl.props")).to_contain_text("2025/2026")
    shot(page, "51-report-built")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать PDF").click()
    assert download_info.value.suggested_filename.endswith(".pdf")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.get_by_text(re.compile("Отчёт опубликован"))).to_be_visible(timeout=60_000)
    expect(page.get_by_role("link", name="Опубликованный PDF")).to_be_visible()
    shot(page, "52-report-published")


def test_visitor_finds_the_published_report_by_direction_and_stage_and_downloads_it(new_page, portal):
    portal.manage("compute", "--year", YEAR)
    portal.manage("shell", "-c", PUBLISH_ANNUAL_REPORT)

    visitor = new_page(PHONE, is_mobile=True, has_touch=True)
    visitor.goto(portal("/"))
    expect(visitor).to_have_url(re.compile(r"/quality/$"))
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Управление качеством образования")
    shot(visitor, "60-public-tab-phone")
    width = visitor.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"публичная вкладка шире экрана телефона: {width}px"

    # Direction 1.2 (work with ШНОР/ШНСУ), stage 4 (analysis and targeted recommendations).
    row = visitor.locator("table.quality-grid tbody tr").filter(has_text="1.2 Система работы со ШНОР и ШНСУ")
    cell = row.locator("td[data-label^='4.']")
    report_link = cell.get_by_role("link", name=re.compile(r"^Аналитический отчёт.*2025.2026")).first
    expect(report_link).to_be_visible()
    report_link.click()
    expect(visitor.locator("dl.props")).to_contain_text("Анализ и адресные рекомендации")
    shot(visitor, "61-public-report-phone")

    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Скачать PDF").click()
    download = download_info.value
    path = download.path()
    assert download.suggested_filename.endswith(".pdf")
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

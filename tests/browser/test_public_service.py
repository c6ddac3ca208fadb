"""The public tab as a visitor uses it (issue 22): the version for the visually impaired with JavaScript
switched off, axe-core on every public page in both versions, zoom to 200 % without sideways scrolling,
and the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, axe_violations, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ZOOM_200 = {"width": DESKTOP["width"] // 2, "height": DESKTOP["height"] // 2}  # 1280 px at 200 %


def _public_pages(page, portal) -> list[str]:
    """Every kind of public page of the demo: the region, a municipality, a report, open data, a passport."""
    page.goto(portal("/quality/"))
    municipality = page.locator("a[href^='/quality/m/']").first.get_attribute("href")
    report = page.locator("a[href^='/quality/reports/']").first.get_attribute("href")
    page.goto(portal("/quality/opendata/"))
    passport = page.locator("a[href^='/quality/opendata/'][href$='/']").nth(0).get_attribute("href")
    return ["/quality/", municipality, report, "/quality/opendata/", passport, "/quality/?empty=1"]


def test_version_for_the_visually_impaired_works_without_javascript(new_page, portal):
    page = new_page(DESKTOP, java_script_enabled=False)
    page.goto(portal("/quality/"))
    page.get_by_role("link", name="Версия для слабовидящих").click()
    panel = page.get_by_role("navigation", name="Настройки версии для слабовидящих")
    expect(panel).to_be_visible()

    panel.get_by_role("link", name="белым по чёрному").click()
    panel = page.get_by_role("navigation", name="Настройки версии для слабовидящих")
    panel.get_by_role("link", name="очень крупный").click()
    panel = page.get_by_role("navigation", name="Настройки версии для слабовидящих")
    panel.get_by_role("link", name="увеличенный").click()
    panel = page.get_by_role("navigation", name="Настройки версии для слабовидящих")
    panel.get_by_role("link", name="не показывать").click()

    expect(page.locator("html")).to_have_class(re.compile(r"a11y-size-3 a11y-scheme-black a11y-spacing-wide"))
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "24px"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(255, 255, 255)"
    expect(page.locator("svg.chart").first).to_be_hidden()  # images off: the chart's table stays
    expect(page.locator("details.chart-table table").first).to_be_visible()
    expect(panel.get_by_role("link", name="белым по чёрному")).to_have_attribute("aria-current", "true")
    shot(page, "public-a11y-black-large")

    # remembered on the next page, without an account
    page.get_by_role("link", name="Открытые данные").first.click()
    expect(page.locator("html")).to_have_class(re.compile("a11y-scheme-black"))

    page.get_by_role("link", name="Обычная версия сайта").click()
    expect(page.locator("html")).not_to_have_class(re.compile("a11y"))
    expect(page.get_by_role("link", name="Версия для слабовидящих")).to_be_visible()


def test_public_pages_have_no_serious_accessibility_violations_in_both_versions(new_page, portal):
    found = {}
    plain = new_page(DESKTOP, bypass_csp=True)
    paths = _public_pages(plain, portal)
    for cookie in (None, "on.2.black.normal.on", "on.3.blue.wide.off", "on.1.white.normal.on"):
        page = new_page(DESKTOP, bypass_csp=True)
        if cookie:
            page.context.add_cookies([{"name": "a11y", "value": cookie, "url": portal("/")}])
        for path in paths:
            assert page.goto(portal(path)).status == 200, path
            violations = axe_violations(page)
            if violations:
                found[f"{cookie or 'обычная'} {path}"] = violations
    assert not found, found


def test_public_pages_zoomed_to_200_percent_do_not_scroll_sideways(new_page, portal):
    paths = _public_pages(new_page(DESKTOP), portal)
    wide = {}
    for cookie in (None, "on.3.black.wide.on"):
        page = new_page(ZOOM_200)
        if cookie:
            page.context.add_cookies([{"name": "a11y", "value": cookie, "url": portal("/")}])
        for path in paths:
            page.goto(portal(path))
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll > client:
                wide[f"{cookie or 'обычная'} {path}"] = (scroll, client)
                shot(page, f"public-zoom-{len(wide)}")
    assert not wide, wide


def test_the_switch_is_reached_and_used_with_the_keyboard(page, portal):
    page.goto(portal("/quality/"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Перейти к содержимому")).to_be_focused()
    page.keyboard.press("Tab")
    switch = page.get_by_role("link", name="Версия для слабовидящих")
    expect(switch).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Настройки версии для слабовидящих")).to_be_visible()
    expect(page.locator("html")).to_have_class(re.compile("a11y-size-2"))

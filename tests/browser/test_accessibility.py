"""axe-core finds no serious or critical WCAG 2.1 A/AA violation on the main pages, and the keyboard works."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, axe_violations, login, shot

pytestmark = pytest.mark.browser

# (who is logged in, address): the main pages of every role.
MAIN_PAGES = [
    (None, "/accounts/login/"),
    (None, "/help/"),
    (None, "/quality/"),
    ("inspector", "/dashboard/"),
    ("inspector", "/schools/"),
    ("inspector", "/schools/0101/"),
    ("inspector", "/indicators/"),
    ("inspector", "/indicators/table/"),
    ("inspector", "/indicators/school/0101/"),
    ("inspector", "/monitoring/"),
    ("inspector", "/reports/"),
    ("inspector", "/roadmaps/"),
    ("admin", "/schools/import/"),
    ("principal1", "/schools/0101/"),
    ("principal1", "/monitoring/my/"),  # opens the principal's card
    ("principal1", "/roadmaps/my-school/"),
]


def test_main_pages_have_no_serious_accessibility_violations(new_page, portal):
    found = {}
    pages = {}
    for username, path in MAIN_PAGES:
        if username not in pages:
            pages[username] = new_page(DESKTOP, bypass_csp=True)
            if username:
                login(pages[username], portal, username)
        page = pages[username]
        response = page.goto(portal(path))
        assert response.status == 200, path
        shot(page, f"desktop-{username or 'anonymous'}-{path.strip('/').replace('/', '-') or 'home'}")
        violations = axe_violations(page)
        if violations:
            found[f"{username or 'аноним'} {path}"] = violations
    assert not found, found


def test_keyboard_reaches_the_content_through_the_skip_link(page, portal):
    page.goto(portal("/help/"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к содержимому")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")


def test_login_form_is_usable_with_the_keyboard_only(page, portal):
    page.goto(portal("/accounts/login/"))
    page.get_by_label("Имя пользователя").focus()
    page.keyboard.type("inspector")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Пароль")).to_be_focused()
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")

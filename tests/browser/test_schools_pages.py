"""Login and the school pages every role starts from."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, login, menu_link, shot

pytestmark = pytest.mark.browser


def test_wrong_password_is_reported_in_russian_and_the_right_one_opens_the_dashboard(page, portal):
    page.goto(portal("/accounts/login/"))
    page.get_by_label("Имя пользователя").fill("inspector")
    page.get_by_label("Пароль").fill("неверный")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("alert")).to_contain_text("правильные имя пользователя и пароль")
    shot(page, "00-login-error")

    login(page, portal, "inspector")

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Рабочий стол специалиста")
    shot(page, "00-dashboard")


def test_staff_filters_sorts_and_opens_a_school(page, portal):
    login(page, portal, "inspector")
    menu_link(page, "Школы").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Образовательные организации")

    page.get_by_label("Тип поселения").select_option(label="село")
    page.get_by_role("button", name="Показать").click()
    rows = page.locator("table.data-table tbody tr")
    expect(rows).to_have_count(24)
    page.get_by_role("link", name="Наименование").click()
    expect(rows.first.locator("td").nth(1)).to_have_text("Берёзовская СШ")
    expect(rows).to_have_count(24)  # sorting keeps the filter
    shot(page, "01-schools-filtered")

    page.get_by_label("Поиск").fill("Гимназия")
    page.get_by_role("button", name="Показать").click()
    page.get_by_label("Тип поселения").select_option(label="Все")
    page.get_by_role("button", name="Показать").click()
    page.get_by_role("link", name="Гимназия № 3").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Гимназия № 3")
    breadcrumbs = page.get_by_role("navigation", name="Навигационная цепочка")
    expect(breadcrumbs.get_by_role("link", name="Школы")).to_be_visible()
    expect(page.locator("dl.props").first).to_contain_text("0103")
    expect(page.locator("figure.chart-figure svg.chart-wide")).to_be_visible()
    shot(page, "01-school-page")


def test_empty_search_says_what_to_do_next(page, portal):
    login(page, portal, "inspector")
    page.goto(portal("/schools/?q=нет-такой-школы"))
    expect(page.locator(".empty-state")).to_contain_text("Измените фильтр")


def test_school_page_on_a_phone_shows_the_table_as_labelled_rows(new_page, portal):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    login(page, portal, "principal1")
    expect(page.get_by_role("heading", level=1)).to_have_text("СШ № 1")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"страница шире экрана телефона: {width}px"
    contexts = page.locator("section.card").filter(
        has=page.get_by_role("heading", name="Контингент и социальный контекст по годам")
    )
    first_cell = contexts.locator("table.data-table:not(details table) tbody tr").first.locator("td").first
    label = first_cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Учебный год"'
    page.get_by_text("Меню").click()
    expect(menu_link(page, "Моя школа")).to_be_visible()
    shot(page, "01-school-page-phone")

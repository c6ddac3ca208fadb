"""The inspector drafts the order approving the ШНОР/ШНСУ lists of the demo year, signs it, and finds the
approved lists named on the lists page and on the public tab."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login, menu_link, shot

pytestmark = pytest.mark.browser
YEAR = "2025"


def test_inspector_drafts_and_signs_the_lists_order_and_the_approved_list_is_shown(page, new_page, portal):
    portal.manage("compute", "--year", YEAR)  # precondition: the year's lists (the inspector's journey)
    login(page, portal, "inspector")
    page.on("dialog", lambda dialog: dialog.accept())

    menu_link(page, "Приказы").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Приказы и документы")
    page.get_by_role("link", name="Составить документ").first.click()
    page.get_by_label("Вид документа").select_option(label="Об утверждении списков ШНОР и ШНСУ")
    page.get_by_label("Учебный год").select_option(label="2025/2026")
    page.get_by_role("button", name="Составить проект").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Об утверждении списков ШНОР и ШНСУ на 2025/2026 учебный год"
    )
    low = page.get_by_role("table", name=re.compile(r"^Список школ с низкими результатами"))
    expect(low.get_by_role("cell", name="0101", exact=True)).to_be_visible()
    expect(page.get_by_text("проект", exact=True).first).to_be_visible()
    shot(page, "90-lists-order-draft")

    page.get_by_label("Номер приказа").fill("01-03/482")
    page.get_by_label("Дата подписания").fill("2025-09-01")
    page.get_by_role("button", name="Подписать").click()

    expect(page.locator(".message-success")).to_contain_text("Приказ подписан: № 01-03/482 от 01.09.2025")
    expect(page.get_by_text("подписан", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Изменить реквизиты проекта")).to_have_count(0)
    expect(page.get_by_role("heading", name="Утверждённые списки и текущий расчёт")).to_be_visible()
    shot(page, "91-lists-order-signed")

    menu_link(page, "Показатели").click()
    page.goto(portal(f"/indicators/?year={YEAR}"))
    note = page.get_by_role("note")
    expect(note).to_contain_text("Списки утверждены приказом № 01-03/482 от 01.09.2025")
    low_list = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile(r"^ШНОР")))
    expect(low_list.get_by_text(re.compile(r"Утверждено приказом: \d+"))).to_be_visible()
    expect(low_list.get_by_text("Расчёт совпадает с утверждённым списком.")).to_be_visible()
    shot(page, "92-lists-approved")

    visitor = new_page()
    visitor.goto(portal("/quality/"))
    approved = visitor.locator("section").filter(
        has=visitor.get_by_role("heading", name=re.compile("^Списки ШНОР"))
    )
    expect(approved).to_contain_text("Списки утверждены приказом № 01-03/482 от 01.09.2025")
    shot(visitor, "93-public-approved-lists")

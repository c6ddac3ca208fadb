"""The template editor and the social monitoring in the browser (DESIGN §7): an administrator builds a small
template (adds criteria, reorders them, previews the card); an inspector runs the social-conditions monitoring
and the principal fills their card."""

import pytest
from playwright.sync_api import expect

from .conftest import login, shot

pytestmark = pytest.mark.browser


def test_administrator_builds_a_template_reorders_and_previews(page, portal):
    login(page, portal, "admin")
    page.goto(portal("/monitoring/templates/"))
    page.get_by_role("textbox", name="Код шаблона").fill("site-check")
    page.get_by_role("textbox", name="Название", exact=True).fill("Проверка сайтов школ")
    page.get_by_role("button", name="Создать и открыть редактор").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Редактор шаблона «Проверка сайтов школ»")

    page.get_by_label("Название раздела").last.fill("Сайт школы")
    page.get_by_role("button", name="Добавить раздел").click()
    for code, text, kind in (
        ("1.1", "Раздел о качестве образования", "flag"),
        ("1.2", "Полнота отчётов", "choice"),
    ):
        page.get_by_role("link", name="Добавить критерий в раздел 1").click()
        page.get_by_role("textbox", name="Код критерия").fill(code)
        page.get_by_role("textbox", name="Показатель").fill(text)
        page.get_by_role("combobox", name="Вид", exact=True).select_option(kind)
        if kind == "choice":
            page.get_by_label("Варианты").fill("no | нет | 0\npart | частично | 1\nfull | полностью | 2")
        page.get_by_role("button", name="Сохранить критерий").click()
        expect(page.get_by_text(f"Критерий «{code}» сохранён.")).to_be_visible()

    rows = page.locator("[data-criterion-row]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("1.1")
    page.get_by_role("button", name="Поднять критерий 1.2").click()
    expect(rows.first).to_contain_text("Полнота отчётов")
    expect(page.locator("[data-template-version]")).to_have_text("5")  # created, section, 2 criteria, move
    shot(page, "60-template-editor")

    page.get_by_role("link", name="Просмотр карты").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Так карту увидит руководитель ОО")
    articles = page.locator("article[data-criterion]")
    expect(articles).to_have_count(2)
    expect(articles.first).to_contain_text("Полнота отчётов")
    expect(articles.first.get_by_label("Вариант")).to_contain_text("полностью (2 балл.)")
    expect(articles.nth(1)).to_contain_text("Раздел о качестве образования")
    shot(page, "61-template-preview")


def test_principal_fills_the_social_conditions_card(new_page, portal):
    staff = new_page()
    login(staff, portal, "inspector")
    staff.goto(portal("/monitoring/campaigns/new/"))
    staff.get_by_role("combobox", name="Шаблон карты").select_option(
        label="Социальный мониторинг: школы в неблагоприятных социальных условиях (ШНСУ) (версия 1)"
    )
    # The demo already has the 2025/2026 social monitoring (of the kedrovsky and ozyorsk schools).
    staff.get_by_label("Отчётный учебный год").select_option(label="2024/2025")
    for label, value in (
        ("Самооценка руководителя до", "2030-09-30"),
        ("Контроль объективности до", "2030-10-15"),
        ("Оценка эффективности до", "2030-11-01"),
    ):
        staff.get_by_label(label).fill(value)
    staff.get_by_role("button", name="Сохранить").click()
    expect(staff.get_by_text("Мониторинг создан")).to_be_visible()

    page = new_page()
    login(page, portal, "principal1")
    page.goto(portal("/monitoring/my/"))
    page.get_by_role("link", name="Социальный мониторинг", exact=False).first.click()
    card = page.locator("article[data-criterion='1.1']")
    expect(card).to_contain_text("Численность обучающихся")
    card.get_by_label("Значение").fill("640")
    page.locator("article[data-criterion='2.1']").get_by_label("Значение").fill("3")
    expect(page.get_by_role("status").filter(has_text="Черновик")).to_contain_text(
        "Черновик сохранён", timeout=15_000
    )
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_text("Карта отправлена на проверку")).to_be_visible()
    expect(page.locator("article[data-criterion='1.1']")).to_contain_text("значение 640")
    shot(page, "62-social-card-submitted")

"""The template editor and the social monitoring in the browser (DESIGN §7): an administrator builds a small
template of every kind of criterion (adds sections and criteria, reorders them, previews the card), an
inspector runs a campaign on it, the principal fills and sends the card and the inspector checks it; an
inspector runs the social-conditions monitoring and the principal fills their card."""

import pytest
from playwright.sync_api import expect

from .conftest import criterion, login, shot

pytestmark = pytest.mark.browser


SITE = "https://school0101.edu.example/sveden"


def test_administrator_builds_a_template_the_inspector_runs_it_and_the_principal_fills_the_card(
    new_page, portal
):
    """The whole life of a template made in the browser: built and previewed by the administrator, run as a
    campaign by the municipality's inspector (the participant chosen by hand), filled and sent by the
    principal (every kind of criterion), checked by the inspector; the principal sees the result."""
    admin = new_page()
    login(admin, portal, "admin")
    _build_template(admin, portal)

    staff = new_page()
    login(staff, portal, "inspector")  # berezovsky, the municipality of principal1's school 0101
    _run_campaign(staff, portal)

    page = new_page()
    login(page, portal, "principal1")
    _fill_and_send(page, portal)

    _verify(staff)

    page.reload()
    expect(page.locator("[data-card-status]")).to_have_text("проверена")
    expect(page.locator(".stat").filter(has_text="подтверждено при проверке")).to_contain_text("7 из 8")
    level = page.locator(".stat").filter(has_text="степень эффективности").locator(".stat-value")
    expect(level).to_have_text("высокая")
    rejected = criterion(page, "2.1")
    expect(rejected).to_contain_text("отклонено")
    expect(rejected).to_contain_text("Обновления раздела не подтверждены журналом сайта")
    expect(page.get_by_role("button", name="Отправить на проверку")).to_have_count(0)
    shot(page, "64-built-template-card-verified")


def _build_template(page, portal):
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

    page.get_by_label("Название раздела").last.fill("Отчётность и контингент")
    page.get_by_role("button", name="Добавить раздел").click()
    for code, text, kind, fields in (
        ("2.1", "Обновлений раздела за год", "number", {"Порог": "12"}),
        ("2.2", "Доля страниц с актуальными документами", "share", {"Порог": "80", "Баллов": "2"}),
        ("2.3", "Страница с публичным докладом", "link", {}),
        ("2.4", "Обучающихся не менее 100 (по контексту ОО)", "computed", {"Расчёт: порог": "100"}),
        ("2.5", "Предложения по развитию сайта", "text", {"Баллов": "0"}),
    ):
        page.get_by_role("link", name="Добавить критерий в раздел 2").click()
        page.get_by_role("textbox", name="Код критерия").fill(code)
        page.get_by_role("textbox", name="Показатель").fill(text)
        page.get_by_role("combobox", name="Вид", exact=True).select_option(kind)
        for label, value in fields.items():
            page.get_by_label(label, exact=True).fill(value)
        if kind == "computed":
            page.get_by_label("Расчёт: источник").select_option("context")
            page.get_by_label("Расчёт: поле контекста").select_option("students")
            page.get_by_label("Расчёт: проверка").select_option("gte")
            page.get_by_label("Нужна ссылка на подтверждение").uncheck()
        page.get_by_role("button", name="Сохранить критерий").click()
        expect(page.get_by_text(f"Критерий «{code}» сохранён.")).to_be_visible()
    # the sections' maxima follow their totals: 1 + 2 = 3 and 1 + 2 + 1 + 1 + 0 = 5
    expect(page.locator("[data-section='1'] h2")).to_contain_text("макс. 3 балл.")
    expect(page.locator("[data-section='2'] h2")).to_contain_text("макс. 5 балл.")
    expect(page.locator("[data-template-version]")).to_have_text("11")

    page.get_by_role("link", name="Просмотр карты").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Так карту увидит руководитель ОО")
    articles = page.locator("article[data-criterion]")
    expect(articles).to_have_count(7)
    expect(articles.first).to_contain_text("Полнота отчётов")
    expect(articles.first.get_by_label("Вариант")).to_contain_text("полностью (2 балл.)")
    expect(articles.nth(1)).to_contain_text("Раздел о качестве образования")
    shot(page, "61-template-preview")


def _run_campaign(page, portal):
    page.goto(portal("/monitoring/campaigns/new/"))
    page.get_by_role("combobox", name="Шаблон карты").select_option(label="Проверка сайтов школ (версия 11)")
    page.get_by_label("Отчётный учебный год").select_option(label="2025/2026")
    _fill_deadlines(page)
    page.get_by_label("Участники — по правилу шаблона").uncheck()  # the participant is chosen by hand
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Мониторинг создан, участников: 0.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Проверка сайтов школ, 2025/2026")

    page.get_by_label("Добавить школы").select_option(label="СШ № 1")
    page.get_by_role("button", name="Добавить", exact=True).click()
    expect(page.get_by_text("Добавлено участников: 1.")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text="СШ № 1")
    expect(row).to_contain_text("не начата")
    expect(row).to_contain_text("— из 8")


def _fill_deadlines(page):
    """The three stage deadlines of the new campaign form, all in 2030 so every stage stays open."""
    for label, value in (
        ("Самооценка руководителя до", "2030-09-30"),
        ("Контроль объективности до", "2030-10-15"),
        ("Оценка эффективности до", "2030-11-01"),
    ):
        page.get_by_label(label).fill(value)


def _fill_and_send(page, portal):
    page.goto(portal("/monitoring/my/"))  # two open cards (the ШНОР one and this one): the list
    page.get_by_role("link", name="Проверка сайтов школ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Экспертная карта: СШ № 1")
    expect(page.locator("[data-card-status]")).to_have_text("не начата")

    choice = criterion(page, "1.2")
    choice.get_by_label("Вариант").select_option(label="полностью (2 балл.)")
    choice.get_by_label("Ссылки на подтверждающие документы").fill(f"{SITE}/reports")
    flag = criterion(page, "1.1")
    flag.get_by_label("Заявляю балл по критерию").check()
    flag.get_by_label("Ссылки на подтверждающие документы").fill(f"{SITE}/kachestvo")
    number = criterion(page, "2.1")
    expect(number.get_by_label("Значение")).to_be_visible()
    number.get_by_label("Значение").fill("14")
    number.get_by_label("Ссылки на подтверждающие документы").fill(f"{SITE}/log")
    share = criterion(page, "2.2")
    share.get_by_label("Числитель").fill("9")
    share.get_by_label("Знаменатель").fill("10")
    expect(share.locator("[data-share-result]")).to_have_text("Доля 90,0\u00a0% — балл заявлен")
    share.get_by_label("Ссылки на подтверждающие документы").fill(f"{SITE}/docs")
    criterion(page, "2.3").get_by_label("Ссылка").fill(f"{SITE}/doklad")
    computed = criterion(page, "2.4")
    expect(computed).to_contain_text("Расчёт портала по контексту ОО:")
    expect(computed).to_contain_text("условие выполнено")
    computed.get_by_label("Заявляю балл по критерию").check()
    criterion(page, "2.5").get_by_label("Ответ").fill("Добавить версию для слабовидящих.")
    # 2 + 1 (section 1, max 3) + 1 + 2 + 1 + 1 + 0 (section 2, max 5) = 8
    expect(page.locator("[data-claimed-total]").first).to_have_text("8")

    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_role("status").filter(has_text="Черновик сохранён.")).to_be_visible()
    expect(page.locator("[data-card-status]")).to_have_text("черновик")
    expect(criterion(page, "2.2").get_by_label("Числитель")).to_have_value("9")
    expect(criterion(page, "2.5").get_by_label("Ответ")).to_have_value("Добавить версию для слабовидящих.")
    expect(criterion(page, "1.2").get_by_label("Вариант")).to_have_value("full")

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_text("Карта отправлена на проверку")).to_be_visible()
    expect(page.locator("[data-card-status]")).to_have_text("отправлена")
    expect(page.locator("[data-claimed-total]")).to_have_text("8")  # the self-assessment at the top
    expect(criterion(page, "2.1")).to_contain_text("значение 14")
    expect(criterion(page, "2.2")).to_contain_text("9 из 10")
    expect(criterion(page, "1.2")).to_contain_text("полностью")
    expect(criterion(page, "2.5")).to_contain_text("Добавить версию для слабовидящих.")
    shot(page, "63-built-template-card-submitted")


def _verify(page):
    page.reload()
    page.get_by_role("link", name="СШ № 1").click()
    expect(page.locator("[data-card-status]")).to_have_text("отправлена")
    expect(page.locator("[data-verify-left]")).to_have_text("Осталось проверить: 6 из 6 заявленных баллов.")
    page.get_by_role("button", name="Подтвердить совпадающие с расчётом (1)").click()  # 2.4
    expect(page.get_by_text("Подтверждено критериев, где заявка совпадает с расчётом: 1.")).to_be_visible()
    for code in ("1.2", "1.1", "2.2", "2.3"):
        criterion(page, code).get_by_label("подтвердить", exact=True).check()
    rejected = criterion(page, "2.1")
    rejected.get_by_label("отклонить", exact=True).check()
    rejected.get_by_label("Комментарий (обязателен при отклонении)").fill(
        "Обновления раздела не подтверждены журналом сайта."
    )
    page.get_by_role("button", name="Сохранить решения").click()
    expect(page.get_by_text("Решения по критериям сохранены.")).to_be_visible()
    expect(page.locator("[data-verify-left]")).to_have_text("Осталось проверить: 0 из 6 заявленных баллов.")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Завершить проверку").click()
    # 8 claimed − 1 (2.1 rejected) = 7 of 8; high from ⌈0.8 × 8⌉ = 7
    expect(page.get_by_text("Проверка завершена: 7 из 8, степень — высокая.")).to_be_visible()
    expect(page.locator("[data-card-status]")).to_have_text("проверена")


def test_principal_fills_the_social_conditions_card(new_page, portal):
    staff = new_page()
    login(staff, portal, "inspector")
    staff.goto(portal("/monitoring/campaigns/new/"))
    staff.get_by_role("combobox", name="Шаблон карты").select_option(
        label="Социальный мониторинг: школы в неблагоприятных социальных условиях (ШНСУ) (версия 1)"
    )
    # The demo already has the 2025/2026 social monitoring (of the kedrovsky and ozyorsk schools).
    staff.get_by_label("Отчётный учебный год").select_option(label="2024/2025")
    _fill_deadlines(staff)
    staff.get_by_role("button", name="Сохранить").click()
    expect(staff.get_by_text("Мониторинг создан")).to_be_visible()

    page = new_page()
    login(page, portal, "principal1")
    page.goto(portal("/monitoring/my/"))
    page.get_by_role("link", name="Социальный мониторинг", exact=False).first.click()
    card = criterion(page, "1.1")
    expect(card).to_contain_text("Численность обучающихся")
    card.get_by_label("Значение").fill("640")
    criterion(page, "2.1").get_by_label("Значение").fill("3")
    expect(page.get_by_role("status").filter(has_text="Черновик")).to_contain_text(
        "Черновик сохранён", timeout=15_000
    )
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_text("Карта отправлена на проверку")).to_be_visible()
    expect(criterion(page, "1.1")).to_contain_text("значение 640")
    shot(page, "62-social-card-submitted")

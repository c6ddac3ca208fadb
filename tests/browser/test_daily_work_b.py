"""Issue 17 «Daily work without traps», items 4, 6, 7, 9, 10, 11: what the people who use the portal see."""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from .conftest import DOC, PHONE, criterion, login, open_a_submitted_card, open_my_card, shot

pytestmark = pytest.mark.browser


def _principal_of(portal, school_name: str) -> str:
    with sqlite3.connect(portal.database) as db:
        (username,) = db.execute(
            "SELECT u.username FROM auth_user u JOIN schools_profile p ON p.user_id = u.id "
            "JOIN schools_school s ON s.id = p.school_id WHERE s.short_name = ?",
            [school_name],
        ).fetchone()
    return username


# --- item 4: one invalid field no longer stops the card from saving -------------------------------


def test_an_invalid_link_is_marked_and_everything_else_reaches_the_other_device(new_page, portal):
    first = new_page()
    login(first, portal, "principal1")
    open_my_card(first)
    criterion(first, "1.3").get_by_label("Заявляю балл по критерию").check()
    criterion(first, "1.3").get_by_label(re.compile("Ссылки на подтверждающие")).fill(f"{DOC}1.3.pdf")
    criterion(first, "1.1").get_by_label("Заявляю балл по критерию").check()
    criterion(first, "1.1").get_by_label(re.compile("Ссылки на подтверждающие")).fill("приказ.docx")
    criterion(first, "1.1").get_by_label("Комментарий").fill("Приказ пришлю позже")

    state = first.get_by_role("status").filter(has_text="Сохран")
    expect(state).to_contain_text("Сохранено всё, кроме отмеченных полей", timeout=15_000)
    expect(state).to_contain_text("Не сохранены критерии: 1.1")
    expect(criterion(first, "1.1").locator("[data-error-for=evidence]")).to_have_text(
        "«приказ.docx» — не ссылка http(s)://…; укажите адрес документа, каждую ссылку с новой строки."
    )
    shot(first, "b-04-invalid-link-marked")

    second = new_page()
    login(second, portal, "principal1")
    open_my_card(second)
    expect(second.get_by_role("status").filter(has_text="сохранено на портале")).to_be_visible()
    expect(second.get_by_text("Все изменения сохранены")).to_have_count(0)
    expect(criterion(second, "1.3").get_by_label("Заявляю балл по критерию")).to_be_checked()
    expect(criterion(second, "1.3").get_by_label(re.compile("Ссылки"))).to_have_value(f"{DOC}1.3.pdf")
    expect(criterion(second, "1.1").get_by_label("Заявляю балл по критерию")).to_be_checked()
    expect(criterion(second, "1.1").get_by_label("Комментарий")).to_have_value("Приказ пришлю позже")
    expect(criterion(second, "1.1").get_by_label(re.compile("Ссылки"))).to_have_value("")


# --- item 6: verifying a card, checking it before sending ----------------------------------------


def test_inspector_confirms_agreeing_claims_in_one_action_and_the_principal_sees_the_comment(
    new_page, portal
):
    page = new_page()
    login(page, portal, "inspector")
    school = open_a_submitted_card(page)

    counter = page.locator("[data-verify-left]")
    expect(counter).to_have_text(re.compile(r"^Осталось проверить: \d+ из \d+ заявленных баллов\.$"))
    left, claimed = (int(n) for n in re.findall(r"\d+", counter.inner_text()))
    assert left == claimed > 0
    one_action = page.get_by_role("button", name=re.compile(r"^Подтвердить совпадающие с расчётом \(\d+\)$"))
    expect(one_action).to_be_visible()
    agreeing = int(re.search(r"\((\d+)\)", one_action.inner_text()).group(1))
    assert agreeing > 0
    one_action.click()
    expect(page.locator(".message-success")).to_have_text(
        f"Подтверждено критериев, где заявка совпадает с расчётом: {agreeing}."
    )
    expect(counter).to_have_text(f"Осталось проверить: {left - agreeing} из {claimed} заявленных баллов.")
    expect(page.locator("fieldset.verdict input[value=confirmed]:checked")).to_have_count(agreeing)
    shot(page, "b-06-confirmed-in-one-action")

    # A comment on one criterion, then the card goes back to its principal.
    pending = page.locator("fieldset.verdict").filter(has=page.locator("input[value=pending]:checked")).first
    code = pending.locator("xpath=ancestor::article").get_attribute("data-criterion")
    pending = criterion(page, code).locator("fieldset.verdict")  # the filter stops matching once ticked
    pending.get_by_label("отклонить").check()
    pending.get_by_label("Комментарий (обязателен при отклонении)").fill("Ссылка ведёт на черновик приказа")
    page.get_by_role("button", name="Сохранить решения").click()
    expect(page.locator(".message-success")).to_contain_text("Решения по критериям сохранены")
    page.get_by_label("Что доработать").fill("Приложите подписанный приказ.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.locator("[data-card-status]")).to_have_text("возвращена на доработку")

    principal = new_page()
    login(principal, portal, _principal_of(portal, school))
    principal.goto(page.url)
    note = criterion(principal, code).locator("[data-verifier-note]")
    expect(note).to_be_visible()
    expect(note).to_have_text("Проверяющий (отклонено): Ссылка ведёт на черновик приказа")
    shot(principal, "b-06-principal-sees-comment")


def test_principal_checks_the_answers_before_sending(page, portal):
    login(page, portal, "principal1")
    open_my_card(page)
    criterion(page, "2.3").get_by_label("Заявляю балл по критерию").check()
    criterion(page, "2.4").get_by_label("Заявляю балл по критерию").check()
    criterion(page, "2.4").get_by_label(re.compile("Ссылки")).fill(f"{DOC}plan.pdf\n{DOC}order.pdf")
    page.get_by_role("button", name="Проверить ответы").click()

    check = page.get_by_role("region", name="Проверка ответов перед отправкой")
    expect(check).to_be_visible()
    expect(check.locator("[data-check-claimed]")).to_have_text("Заявлено баллов: 2 из 17, критериев: 2.")
    expect(check.locator("[data-check-criterion='2.4']")).to_have_text(
        "2.4 — 1 балл., ссылок на документы: 2"
    )
    expect(check.locator("[data-check-criterion='2.3']")).to_have_text(
        "2.3 — 1 балл., ссылок на документы: 0"
    )
    expect(check.get_by_role("listitem").filter(has_text="Для заявленного балла нужна ссылка")).to_have_text(
        "2.3: Для заявленного балла нужна ссылка на подтверждающий документ."
    )
    expect(page.locator("[data-card-status]")).to_have_text("черновик")
    shot(page, "b-06-check-answers")


# --- item 7: «Мои задачи» on each role's home page ------------------------------------------------


def test_principal_home_starts_with_the_tasks_and_the_inspector_sees_cards_to_verify(new_page, portal):
    principal = new_page(PHONE)
    login(principal, portal, "principal1")
    first_section = principal.locator("main section").first
    expect(first_section.get_by_role("heading", level=2)).to_have_text(re.compile(r"^Мои задачи \(\d+\)$"))
    card_task = first_section.get_by_role("listitem").filter(has_text="Заполнить экспертную карту")
    expect(card_task).to_be_visible()
    expect(card_task).to_contain_text(re.compile(r"срок \d\d\.\d\d\.\d{4}"))
    card_task.get_by_role("link").click()
    expect(principal.get_by_role("heading", level=1)).to_have_text("Экспертная карта: СШ № 1")
    shot(principal, "b-07-principal-tasks")

    inspector = new_page()
    login(inspector, portal, "inspector")
    tasks = inspector.get_by_role("region", name=re.compile("^Мои задачи"))
    expect(tasks).to_be_visible()
    verify = tasks.get_by_role("listitem").filter(has_text="Проверить экспертную карту")
    expect(verify).to_have_count(1)  # the demo's one submitted card
    expect(verify.first).to_contain_text(re.compile(r"срок \d\d\.\d\d\.\d{4}"))


# --- item 11: one admin form for a principal, role and school in the user list --------------------


def test_administrator_creates_a_principal_in_one_form_in_russian(page, portal):
    login(page, portal, "admin")
    page.goto(portal("/admin/"))
    expect(page.get_by_text("Axes", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Неудачные попытки входа")).to_be_visible()
    page.goto(portal("/admin/auth/user/add/"))
    page.get_by_label("Имя пользователя").fill("novikova")
    page.get_by_label("Фамилия").fill("Новикова")
    page.get_by_label("Адрес электронной почты").fill("novikova@school.example")
    page.get_by_label("роль:", exact=True).select_option(label="Руководитель ОО")
    page.get_by_label("школа (для руководителя ОО):", exact=True).select_option(label="СШ № 2")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    page.goto(portal("/admin/auth/user/?q=novikova"))
    row = page.locator("#result_list tbody tr").filter(has_text="novikova")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Руководитель ОО")
    expect(row).to_contain_text("СШ № 2")
    shot(page, "b-11-user-list")

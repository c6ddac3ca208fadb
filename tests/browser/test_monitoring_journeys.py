"""The principal fills the expert card in two sittings and submits it; the inspector verifies a card."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DOC, criterion, login, menu_link, open_a_submitted_card, open_my_card, shot

pytestmark = pytest.mark.browser


def test_principal_fills_the_card_in_two_sittings_and_submits_it(new_page, portal):
    first_sitting = new_page()
    login(first_sitting, portal, "principal1")
    expect(first_sitting.get_by_role("heading", level=1)).to_have_text("СШ № 1")
    open_my_card(first_sitting)
    shot(first_sitting, "30-card-empty")

    # Half of the card: two results criteria with evidence, a share, a fact still without its link.
    for code in ("1.1", "1.3"):
        criterion(first_sitting, code).get_by_label("Заявляю балл по критерию").check()
        criterion(first_sitting, code).get_by_label(re.compile("Ссылки на подтверждающие документы")).fill(
            f"{DOC}{code}.pdf"
        )
    criterion(first_sitting, "2.1").get_by_label("Числитель").fill("9")
    criterion(first_sitting, "2.1").get_by_label("Знаменатель").fill("10")
    expect(criterion(first_sitting, "2.1").locator("[data-share-result]")).to_contain_text("Доля 90,0 %")
    criterion(first_sitting, "2.3").get_by_label("Заявляю балл по критерию").check()
    criterion(first_sitting, "2.3").get_by_label("Комментарий").fill("Участвовали в диагностике в октябре")
    expect(first_sitting.get_by_role("status").filter(has_text="Черновик")).to_contain_text(
        "Черновик сохранён", timeout=15_000
    )
    shot(first_sitting, "31-card-half-filled")
    first_sitting.close()

    # Another day, another browser: everything is there.
    page = new_page()
    login(page, portal, "principal1")
    open_my_card(page)
    expect(criterion(page, "1.1").get_by_label("Заявляю балл по критерию")).to_be_checked()
    expect(criterion(page, "1.3").get_by_label(re.compile("Ссылки"))).to_have_value(f"{DOC}1.3.pdf")
    expect(criterion(page, "2.1").get_by_label("Числитель")).to_have_value("9")
    expect(criterion(page, "2.1").get_by_label("Знаменатель")).to_have_value("10")
    expect(criterion(page, "2.3").get_by_label("Комментарий")).to_have_value(
        "Участвовали в диагностике в октябре"
    )
    expect(criterion(page, "1.2").get_by_label("Заявляю балл по критерию")).not_to_be_checked()

    # Submitting with a claimed point that has no evidence is refused with a message at the criterion.
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Отправить на проверку").click()
    refusal = page.locator(".message-error")
    expect(refusal).to_contain_text("Карта не отправлена")
    expect(refusal).to_contain_text("Исправьте отмеченные критерии:")
    expect(refusal.get_by_role("link", name="2.3")).to_be_visible()
    expect(criterion(page, "2.3").locator("[data-error-for=evidence]")).to_have_text(
        "Для заявленного балла нужна ссылка на подтверждающий документ."
    )
    expect(criterion(page, "2.3").get_by_label("Комментарий")).to_have_value(
        "Участвовали в диагностике в октябре"
    )
    expect(page.locator("[data-card-status]")).to_have_text("черновик")
    shot(page, "32-card-missing-evidence")

    # The missing links are added and the card goes to verification.
    criterion(page, "2.1").get_by_label(re.compile("Ссылки")).fill(f"{DOC}routes.pdf")
    criterion(page, "2.3").get_by_label(re.compile("Ссылки")).fill(f"{DOC}diagnostics.pdf\n{DOC}order.pdf")
    criterion(page, "3.1").get_by_label("Заявляю балл по критерию").check()
    criterion(page, "3.1").get_by_label(re.compile("Ссылки")).fill(f"{DOC}mentoring.pdf")
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.locator("[data-card-status]")).to_have_text("отправлена")
    expect(page.get_by_role("button", name="Отправить на проверку")).to_have_count(0)
    expect(page.get_by_role("link", name=f"{DOC}order.pdf")).to_be_visible()
    shot(page, "33-card-submitted")

    # Another school's pages do not exist for this principal.
    for address in ("/schools/0102/", "/indicators/school/0102/"):
        response = page.goto(portal(address))
        assert response.status == 404, address
        expect(page.get_by_role("heading", level=1)).to_have_text("Страница не найдена")
    shot(page, "34-other-school-404")


def test_inspector_verifies_a_card_and_rejects_one_point_with_a_comment(page, portal):
    login(page, portal, "inspector")
    school = open_a_submitted_card(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Экспертная карта: {school}")
    score = page.locator(".stat").filter(has_text="подтверждено при проверке").locator(".stat-value")
    level = page.locator(".stat").filter(has_text="степень эффективности").locator(".stat-value")
    expect(score).to_contain_text("—")
    expect(level).to_have_text("—")
    shot(page, "40-verify-start")

    # Criterion by criterion: every claimed point is confirmed, except one rejected with a reason.
    verdicts = page.locator("fieldset.verdict")
    count = verdicts.count()
    assert count >= 2
    for index in range(count):
        verdicts.nth(index).get_by_label("подтвердить").check()
    rejected = verdicts.nth(count - 1)
    rejected_code = rejected.locator("xpath=ancestor::article").get_attribute("data-criterion")
    rejected.get_by_label("отклонить").check()
    page.get_by_role("button", name="Сохранить решения").click()
    rejected = criterion(page, rejected_code).locator("fieldset.verdict")
    expect(rejected.get_by_text(REJECT_NEEDS_COMMENT_FRAGMENT)).to_be_visible()
    expect(page.locator(".message-error")).to_contain_text(f"Исправьте отмеченные критерии: {rejected_code}")
    shot(page, "41-verify-reject-needs-comment")

    # The refused save kept every decision: only the reason is missing.
    for index in range(count - 1):
        expect(verdicts.nth(index).get_by_label("подтвердить")).to_be_checked()
    expect(rejected.get_by_label("отклонить")).to_be_checked()
    rejected.get_by_label("Комментарий (обязателен при отклонении)").fill("Приказ по ссылке не найден")
    page.get_by_role("button", name="Сохранить решения").click()
    expect(page.locator(".message-success")).to_contain_text("Решения по критериям сохранены")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Завершить проверку").click()

    expect(page.locator("[data-card-status]")).to_have_text("проверена")
    expect(score).to_have_text(re.compile(rf"^{count - 1} из 17"))
    expect(level).not_to_have_text("—")
    article = criterion(page, rejected_code)
    expect(article.get_by_text("отклонено")).to_be_visible()
    expect(article).to_contain_text("Приказ по ссылке не найден")
    shot(page, "42-verified")


REJECT_NEEDS_COMMENT_FRAGMENT = "Отклоняя балл, напишите комментарий"


def test_what_is_typed_before_the_autosave_script_arrives_is_saved_too(new_page, portal):
    """On a slow connection the card's form is on screen before static/js/card.js runs: a principal who
    starts typing then must not lose it (the script finds the fields changed and saves them)."""
    page = new_page()
    login(page, portal, "principal1")
    held = []
    page.route("**/js/card.js*", lambda route: held.append(route))
    menu_link(page, "Экспертная карта").click(no_wait_after=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Экспертная карта: СШ № 1")
    comment = criterion(page, "1.2").get_by_label("Комментарий")
    comment.fill("Набрано до загрузки скрипта")
    expect(page.get_by_role("status").filter(has_text="Показано")).to_be_visible()
    assert held, "card.js должен был быть задержан"
    for route in held:
        route.continue_()
    expect(page.get_by_role("status").filter(has_text="Черновик")).to_contain_text(
        "Черновик сохранён", timeout=15_000
    )

    again = new_page()
    login(again, portal, "principal1")
    open_my_card(again)
    expect(criterion(again, "1.2").get_by_label("Комментарий")).to_have_value("Набрано до загрузки скрипта")

"""Issue 17 «Daily work without traps», item 12 and its loose ends: the upload history keeps every upload
with a person's name; a school without a flag is not ranked on it; the card's self-assessment figure and
the total beside the save buttons agree; an answer is shown once; the confirmation after saving a
programme item is on screen; third-party admin pages are in Russian."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login, shot
from .test_import_journey import FIXED_ROW, GOOD_ROWS, WRONG_ROW, _results_file, _upload

pytestmark = pytest.mark.browser


def _history(page):
    return page.locator("section.card").filter(has=page.get_by_role("heading", name="История загрузок"))


def test_upload_history_shows_failed_uploads_and_dry_runs_with_the_persons_name(page, portal, tmp_path):
    login(page, portal, "admin")  # «Анна Администратова» in the demo
    page.goto(portal("/schools/import/"))
    _upload(page, _results_file(tmp_path / "с-ошибкой.xlsx", [*GOOD_ROWS, WRONG_ROW]), check_only=False)
    expect(page.get_by_text("Файл не импортирован, данные не изменены.")).to_be_visible()
    page.get_by_role("link", name="← К загрузке данных").click()
    _upload(page, _results_file(tmp_path / "проверка.xlsx", [*GOOD_ROWS, FIXED_ROW]), check_only=True)
    expect(page.locator(".message-success")).to_contain_text("Проверено (без записи)")
    page.get_by_role("link", name="← К загрузке данных").click()

    history = _history(page)
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(2)  # the demo loads its data without the upload page
    # newest first: the dry run (4 rows checked, nothing written), then the refused file (1 error)
    expect(rows.nth(0)).to_contain_text("проверка.xlsx")
    expect(rows.nth(0)).to_contain_text("Только проверка: ошибок нет")
    expect(rows.nth(1)).to_contain_text("с-ошибкой.xlsx")
    expect(rows.nth(1)).to_contain_text("Не импортирован: ошибок — 1")
    for n in range(2):
        expect(rows.nth(n).locator("td[data-label='Кто']")).to_have_text("Анна Администратова")
    expect(history.get_by_role("columnheader", name="SHA-256")).to_have_count(0)
    expect(history.get_by_text(re.compile(r"\b[0-9a-f]{10,}"))).to_have_count(0)
    # each upload opens its report (the list of errors of the refused one)
    rows.nth(1).get_by_role("link", name="с-ошибкой.xlsx").click()
    expect(page.locator("table.errors-table tbody tr")).to_have_count(1)
    shot(page, "d-12-upload-history")


def test_a_school_without_a_flag_is_not_ranked_on_it(page, portal):
    # Demo 2025/2026: no school of 10 with context has its accreditation suspended, so every one of them
    # would be «1 из 10» — the worst — on that indicator.
    login(page, portal, "inspector")
    page.goto(portal("/indicators/school/0101/?year=2025"))
    row = page.locator("tr").filter(
        has=page.get_by_text("Лишение или приостановление государственной аккредитации")
    )
    expect(row.locator("td[data-label='Значение']")).to_have_text("нет")
    expect(row.locator("td[data-label='Место']")).to_have_text("—")


def test_the_principals_self_assessment_and_the_bar_show_one_figure(page, portal):
    # principal61 (Озёрская ООШ № 9) has a draft with 13 criteria claimed; nothing has been submitted yet
    login(page, portal, "principal61")
    page.goto(portal("/monitoring/my/"))
    # the school also takes part in the social monitoring of the demo: the list of its cards comes first
    if "Экспертные карты школы" in page.get_by_role("heading", level=1).inner_text():
        row = page.get_by_role("row").filter(has_text="2025/2026").filter(has_text="низкими результатами")
        row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Экспертная карта")
    figure = page.locator(".stat").filter(has_text="самооценка руководителя").locator(".stat-value")
    bar = page.locator(".sticky-actions [data-claimed-total]")
    expect(figure).not_to_have_text("—")
    expect(figure).to_have_text(bar.inner_text())
    before = int(bar.inner_text())

    box = page.locator("article[data-criterion] [data-field=claimed]:not(:checked)").first
    points = int(box.locator("xpath=ancestor::article").get_attribute("data-points"))
    box.check()
    expect(bar).to_have_text(str(before + points))
    expect(figure).to_have_text(str(before + points))
    shot(page, "d-12-self-score")


def test_the_schools_answer_to_a_recommendation_is_shown_once(page, portal):
    # ООШ № 16 answered its recommendation in the demo; principal16 may change the answer
    login(page, portal, "principal16")
    page.goto(portal("/roadmaps/recommendations/3/"))
    answer = "Программа помощи утверждена приказом по школе"
    section = page.locator("section.card").filter(has=page.get_by_role("heading", name="Ответ школы"))
    expect(section.get_by_text(re.compile(answer)).locator("visible=true")).to_have_count(1)
    expect(section.get_by_label("Ответ школы")).to_be_hidden()
    section.get_by_text("Изменить ответ").first.click()
    expect(section.get_by_label("Ответ школы")).to_be_visible()
    expect(section.get_by_label("Ответ школы")).to_have_value(re.compile(answer))
    shot(page, "d-12-answer-once")


def test_the_confirmation_after_saving_a_programme_item_is_on_screen(page, portal):
    login(page, portal, "principal1")
    page.goto(portal("/roadmaps/my-school/"))
    programmes = page.locator("section.card").filter(
        has=page.get_by_role("heading", name="Программы помощи школе")
    )
    programmes.locator("tbody").get_by_role("link").first.click()
    # the last item still in progress (№ 5 of СШ № 1's programme), well below the top of the page
    item = page.locator("tr[id^=item-]").filter(has=page.locator(".tag", has_text="Выполняется")).last
    number = item.locator("td[data-label='№']").inner_text()
    item.get_by_text("Отметить выполнение").click()
    item.get_by_label("Статус").select_option(label="Выполнено")
    item.get_by_role("button", name="Сохранить").click()

    message = page.get_by_text(f"Мероприятие № {number}: отметка сохранена.")
    expect(message).to_be_visible()
    expect(message).to_be_in_viewport()
    shot(page, "d-12-item-saved")


def test_third_party_admin_pages_are_in_russian(page, portal):
    login(page, portal, "admin")
    for path, name, section in [
        ("/admin/otp_totp/totpdevice/", "устройство с кодом (TOTP)", "Вход с кодом (TOTP)"),
        ("/admin/axes/accessattempt/", "неудачная попытка входа", "Блокировка входа"),
        ("/admin/authtoken/tokenproxy/", "токен API", "Токены API"),
    ]:
        page.goto(portal(path))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Выберите {name} для изменения")
        expect(page.locator(".breadcrumbs")).to_contain_text(section)
        expect(page.locator("body")).not_to_contain_text(
            re.compile(r"TOTP device|Access attempt|\bToken|\bAxes|Django OTP", re.IGNORECASE)
        )
    shot(page, "d-12-admin-russian")

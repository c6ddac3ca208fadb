"""The administrator uploads a results file: the check finds the wrong row, the fixed file is imported."""

import re

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from benchmarks.generate import HEADERS

from .conftest import login, shot

pytestmark = pytest.mark.browser

GOOD_ROWS = [
    ["0101", "2025/2026", "ОГЭ", "Математика", 9, 52, 3, "", 3, 20, 19, 10, 3.7, "", "", ""],
    ["0101", "2025/2026", "ОГЭ", "Русский язык", 9, 52, 1, "", 1, 15, 22, 14, 3.9, "", "", ""],
    ["0102", "2025/2026", "ВПР", "Математика", 5, 80, "", "", 6, 30, 30, 14, "", 10, 60, 10],
]
# Marks 2–5 add up to 50, not to the 52 participants: the check must point at file row 4.
WRONG_ROW = ["0102", "2025/2026", "ОГЭ", "Математика", 9, 52, 2, "", 2, 20, 18, 10, 3.6, "", "", ""]
FIXED_ROW = ["0102", "2025/2026", "ОГЭ", "Математика", 9, 52, 2, "", 2, 20, 20, 10, 3.7, "", "", ""]


def _results_file(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Результаты ОГЭ и ВПР, Берёзовский муниципальный округ"])  # a title above the header row
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _upload(page, path, *, check_only):
    page.get_by_label("Что загружаем").select_option(label="Результаты оценочных процедур")
    page.get_by_label("Файл Excel (.xlsx)").set_input_files(str(path))
    checkbox = page.get_by_label("Только проверить, ничего не записывать")
    checkbox.set_checked(check_only)
    page.get_by_role("button", name="Загрузить").click()


def test_administrator_checks_fixes_and_imports_a_results_file(page, portal, tmp_path):
    login(page, portal, "admin")
    page.get_by_role("link", name="Загрузить данные из Excel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Загрузка данных из Excel")
    shot(page, "10-import-form")

    # A form sent without a file says so in Russian beside the field.
    page.get_by_role("button", name="Загрузить").click()
    file_field = page.locator(".field").filter(has=page.get_by_label("Файл Excel (.xlsx)"))
    expect(file_field.get_by_role("alert")).to_have_text("Обязательное поле.")

    # The template with an example row is one click away.
    with page.expect_download() as template:
        page.get_by_role("link", name="Результаты оценочных процедур — шаблон .xlsx").click()
    assert template.value.suggested_filename.endswith(".xlsx")
    with open(template.value.path(), "rb") as file:
        header = [c.value for c in next(load_workbook(file).active.iter_rows(max_row=1))]
    assert header[:6] == HEADERS[:6]

    # 1. «Только проверить»: the wrong row is reported with its file row number, nothing is written.
    wrong = _results_file(tmp_path / "результаты-2025.xlsx", [*GOOD_ROWS, WRONG_ROW])
    _upload(page, wrong, check_only=True)
    expect(page.get_by_role("heading", name=re.compile(r"Ошибки в файле \(1\)"))).to_be_visible()
    error_row = page.locator("table.errors-table tbody tr")
    expect(error_row).to_have_count(1)
    expect(error_row.locator("td").first).to_have_text("6")
    expect(error_row).to_contain_text("сумма отметок «2»–«5» (50) не равна числу участников (52)")
    expect(page.get_by_text("Файл не импортирован, данные не изменены.")).to_be_visible()
    shot(page, "11-import-check-errors")

    # 2. The fixed file passes the check...
    page.get_by_role("link", name="← К загрузке данных").click()
    fixed = _results_file(tmp_path / "результаты-2025-исправлено.xlsx", [*GOOD_ROWS, FIXED_ROW])
    _upload(page, fixed, check_only=True)
    expect(page.locator(".message-success")).to_contain_text("Проверено (без записи)")
    expect(page.locator(".message-success")).to_contain_text("строк — 4")

    # 3. ...and is imported; the progress bar reaches its end.
    page.get_by_role("link", name="← К загрузке данных").click()
    _upload(page, fixed, check_only=False)
    progress = page.get_by_role("progressbar", name="Ход выполнения")
    expect(progress).to_have_attribute("value", "100", timeout=60_000)
    expect(page.locator("[data-job-status]")).to_have_text(re.compile("Выполнена|Готово|Завершена"))
    expect(page.locator(".message-success")).to_contain_text(
        "Импортировано: файл «результаты-2025-исправлено.xlsx», строк — 4"
    )
    shot(page, "12-import-done")

    # The upload history remembers the file and who loaded it.
    page.get_by_role("link", name="← К загрузке данных").click()
    history = page.locator("section.card").filter(has=page.get_by_role("heading", name="История загрузок"))
    expect(history.locator("tbody tr").first).to_contain_text("результаты-2025-исправлено.xlsx")
    shot(page, "13-import-history")

"""The inspector reads «ОО с признаками необъективности результатов», opens «почему» and drafts a
recommendation in one action; a principal cannot open the list (DESIGN §8)."""

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from .conftest import login, menu_link, shot

pytestmark = pytest.mark.browser

HEADER = ["Код ОО", "Учебный год", "Процедура", "Предмет", "Класс", "Участников", "Отметка 2", "Отметка 3"]
HEADER += ["Отметка 4", "Отметка 5", "Понизили", "Подтвердили", "Повысили", "Общественные наблюдатели"]
HEADER += ["Видеонаблюдение"]


def results_file(path):
    """СШ № 1 (0101), 2024 and 2025: «понизили» 10/25 = 40 % and «повысили» 4/25 = 16 % in Русский язык 6 кл.
    and Математика 6 кл. → vpr_lowered and vpr_raised (2 rows each) → listed both years → «устойчиво»."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for year in ("2024/2025", "2025/2026"):
        for subject in ("Русский язык", "Математика"):
            sheet.append(["0101", year, "ВПР", subject, 6, 25, 5, 10, 7, 3, 10, 11, 4, "нет", "да"])
    book.save(path)
    return path


def test_inspector_reads_the_objectivity_list_and_follows_up(page, portal, tmp_path, new_page):
    portal.manage("import_results", str(results_file(tmp_path / "results.xlsx")))
    portal.manage("compute", "--year", "2024")
    portal.manage("compute", "--year", "2025")

    login(page, portal, "inspector")
    menu_link(page, "Показатели").click()
    page.get_by_role("link", name="Признаки необъективности результатов").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "ОО с признаками необъективности результатов за 2025/2026 учебный год"
    )
    expect(page.locator("#thresholds-note")).to_contain_text("Пороги муниципальные, не федеральные.")
    row = page.locator("#objectivity-table tbody tr").filter(has_text="0101 СШ № 1")
    expect(row).to_be_visible()
    expect(row.get_by_text("устойчиво")).to_be_visible()
    expect(row.get_by_text("ВПР: много «повысили» отметку")).to_be_visible()
    # the imported rows say «нет» for observers and «да» for video; the demo's other rows say nothing
    expect(row.locator("li").filter(has_text="«повысили»")).to_contain_text(
        "наблюдатели: да в 0 из 2; видеонаблюдение: да в 2 из 2; перепроверка: нет данных"
    )
    dynamics = page.get_by_role("region", name="Динамика списка")
    expect(dynamics.locator("svg.chart-wide")).to_be_visible()
    # 2025/2026: in the list 1, «устойчиво» 1, with markers 1 (the demo's СШ № 1 has «понизили» every year)
    counts = dynamics.locator("div.table-wrap").last.locator("tbody tr").filter(has_text="2025/2026")
    expect(counts.locator("td")).to_have_text(["2025/2026", "1", "1", "1"])
    shot(page, "60-objectivity-list")

    # Filter: only «устойчиво» with the marker «повысили» — СШ № 1 stays.
    page.get_by_label("Признак", exact=True).select_option(label="ВПР: много «повысили» отметку")
    page.get_by_label("только «устойчиво»").check()
    page.get_by_role("button", name="Показать").click()
    expect(page.locator("#objectivity-table tbody tr").filter(has_text="0101 СШ № 1")).to_be_visible()

    # «Почему»: every row behind the marker with its share and how the procedure was conducted.
    page.get_by_role("link", name="0101 СШ № 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Почему школа в списке: СШ № 1")
    raised = page.locator("#marker-vpr_raised")
    expect(raised.get_by_role("heading")).to_contain_text("ВПР: много «повысили» отметку")
    expect(raised.locator("tbody tr").filter(has_text="Русский язык, 6 кл.")).to_contain_text(
        "«повысили» 4 — 16,0"
    )
    expect(raised.locator("tbody tr").first).to_contain_text("наблюдатели: нет; видео: да")
    expect(page.locator("#objectivity-summary")).to_contain_text("устойчиво")
    shot(page, "61-objectivity-why")

    # One action: a draft recommendation to the school, opened for editing.
    page.go_back()
    row = page.locator("#objectivity-table tbody tr").filter(has_text="0101 СШ № 1")
    row.get_by_role("button", name="Рекомендация школе").click()
    expect(page.locator(".message-success")).to_contain_text("Черновик рекомендации школе СШ № 1")
    expect(page.get_by_label("Текст рекомендации")).to_contain_text("признаки необъективности")
    shot(page, "62-objectivity-recommendation")

    principal = new_page()
    login(principal, portal, "principal1")
    response = principal.goto(portal("/indicators/objectivity/"))
    assert response.status == 403

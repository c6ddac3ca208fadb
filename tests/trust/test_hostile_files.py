"""Hostile workbooks refused before any reader opens them (issue 15, items 3 and 4), and the sheet read.

A 1 KB file with one cell at XFD1048576 made the reader allocate hundreds of GiB and abort the process;
a card template zip bomb took 55 s and 4 GB. Every reader (results, schools, context, roadmap items, card
templates) and every upload form now goes through schools.uploads first.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from benchmarks.hostile_files import far_cell_xlsx, sheet_xml, table_rows, template_zip_bomb, workbook
from monitoring.models import CardTemplate
from monitoring.services import template_file_read
from roadmaps.models import RoadmapItem
from roadmaps.services.exchange import roadmap_items_import
from schools.importing import run_import
from schools.models import School
from schools.tabular import ImportFailed
from tests.roadmaps.factories import RoadmapFactory

FAR_CELL = (
    "Лист «Данные» слишком широкий: заполненная ячейка — столбец 16 384, допускается не более 100 столбцов."
)
DECLARED_WIDE = (
    "Лист «Данные» слишком широкий: объявленный размер — столбец 16 384, допускается не более 100 столбцов."
)
SCHOOLS_TABLE = [
    ["Код ОО", "Наименование", "Муниципалитет", "Тип поселения (город/село)"],
    ["0101", "МБОУ СШ № 1", "Энский округ", "город"],
    ["0102", "МБОУ СШ № 2", "Энский округ", "село"],
]


def _import_errors(kind: str, file) -> list[str]:
    summary = run_import(kind=kind, file=file, file_name="файл.xlsx")
    return [error["message"] for error in summary.errors]


@pytest.mark.parametrize("kind", ["results", "schools", "context"])
def test_a_one_kilobyte_file_with_a_cell_at_xfd1048576_is_refused_by_every_import(db, kind):
    far = far_cell_xlsx([["Код ОО", "Учебный год"], ["0101", "2024/2025"]])
    assert len(far.getvalue()) < 2000

    started = time.perf_counter()
    assert _import_errors(kind, far) == [FAR_CELL]
    assert time.perf_counter() - started < 2


def test_a_declared_dimension_beyond_the_limits_is_refused_even_when_the_cells_are_few(db):
    lying = far_cell_xlsx(SCHOOLS_TABLE, far="A3", dimension="A1:XFD1048576")
    assert _import_errors("schools", lying) == [DECLARED_WIDE]
    assert not School.objects.exists()


def test_one_column_past_the_limit_is_refused_and_the_limit_is_a_setting(db, settings):
    wide = far_cell_xlsx(SCHOOLS_TABLE, far="CW2")  # column 101
    assert _import_errors("schools", wide) == [
        "Лист «Данные» слишком широкий: заполненная ячейка — столбец 101, допускается не более 100 столбцов."
    ]
    settings.XLSX_MAX_COLUMNS = 101
    assert _import_errors("schools", far_cell_xlsx(SCHOOLS_TABLE, far="CW2")) == []
    assert School.objects.count() == 2


def test_a_far_row_hidden_in_the_middle_of_the_sheet_is_found(db, settings):
    settings.XLSX_MAX_ROWS = 500_000
    rows = table_rows(SCHOOLS_TABLE[:2])
    rows[900_000] = [("A", "0199")]  # out of order: row 900 000 written before row 3
    rows[3] = [(chr(65 + k), v) for k, v in enumerate(SCHOOLS_TABLE[2])]
    file = workbook([("Данные", "visible", sheet_xml(rows))])
    assert _import_errors("schools", file) == [
        "Лист «Данные» слишком длинный: заполненная ячейка — строка 900 000, "
        "допускается не более 500 000 строк."
    ]


def test_a_tall_and_wide_enough_extent_is_refused_by_its_cell_count(db):
    file = far_cell_xlsx(SCHOOLS_TABLE, far="CV1000000")  # 1 000 000 rows × 100 columns
    assert _import_errors("schools", file) == [
        "Лист «Данные» слишком большой: заполненная ячейка — 1 000 000 строк × 100 столбцов, допускается не "
        "более 25 000 000 ячеек. Удалите лишние ячейки далеко за таблицей и загрузите файл снова."
    ]


def test_cells_without_a_reference_are_counted_like_the_reader_counts_them(db):
    row = '<row r="1">' + "<c><v>1</v></c>" * 150 + "</row>"
    xml = sheet_xml({}).replace("<sheetData></sheetData>", f"<sheetData>{row}</sheetData>")
    assert _import_errors("schools", workbook([("Данные", "visible", xml)])) == [
        "Лист «Данные» слишком широкий: заполненная ячейка — столбец 101, допускается не более 100 столбцов."
    ]


def test_the_roadmap_import_refuses_the_far_cell_and_writes_nothing(db):
    roadmap = RoadmapFactory()
    with pytest.raises(ImportFailed) as failure:
        roadmap_items_import(
            roadmap=roadmap, file=far_cell_xlsx([["№", "Мероприятие"]]), file_name="план.xlsx"
        )
    assert [e.message for e in failure.value.errors] == [FAR_CELL]
    assert not RoadmapItem.objects.exists()


def test_the_card_template_reader_refuses_the_far_cell():
    with pytest.raises(ImportFailed) as failure:
        template_file_read(name="шаблон.xlsx", content=far_cell_xlsx([["Код шаблона", "x"]]).getvalue())
    assert [e.message for e in failure.value.errors] == [FAR_CELL]


def test_the_card_template_upload_refuses_a_zip_bomb_at_once(inspector, client_for):
    bomb = template_zip_bomb(megabytes=40)
    assert len(bomb.getvalue()) < 2 * 1024 * 1024
    client = client_for(inspector)
    client.get("/monitoring/templates/")  # the first request of a process loads the URLs and templates
    started = time.perf_counter()
    response = client.post(
        "/monitoring/templates/", {"file": SimpleUploadedFile("шаблон.xlsx", bomb.getvalue())}
    )
    assert time.perf_counter() - started < 2
    assert response.status_code == 200
    assert (
        "После распаковки файл занял бы 39,7\xa0МБ, допускается не более 20,0\xa0МБ."
        in response.content.decode()
    )
    assert not CardTemplate.objects.exists()


def test_the_card_template_upload_refuses_the_far_cell_with_its_reason(inspector, client_for):
    far = far_cell_xlsx([["Код шаблона", "x"]])
    response = client_for(inspector).post(
        "/monitoring/templates/", {"file": SimpleUploadedFile("шаблон.xlsx", far.getvalue())}
    )
    assert response.status_code == 200
    assert FAR_CELL in response.content.decode()


# --- which sheet an import reads (issue 15, item 8) ------------------------------------------------------
def test_an_import_reads_the_first_visible_sheet_not_a_hidden_first_one(db):
    hidden = [["Код ОО", "Наименование", "Муниципалитет", "Тип поселения (город/село)"]] + [
        [f"09{n:02d}", "Старая школа", "Старый округ", "город"] for n in range(5)
    ]
    file = workbook(
        [
            ("Старое", "hidden", sheet_xml(table_rows(hidden))),
            ("Данные", "visible", sheet_xml(table_rows(SCHOOLS_TABLE))),
        ]
    )
    summary = run_import(kind="schools", file=file, file_name="школы.xlsx")
    assert summary.errors == []
    assert sorted(School.objects.values_list("code", flat=True)) == ["0101", "0102"]


def test_a_workbook_whose_sheets_are_all_hidden_is_refused(db):
    file = workbook([("Старое", "hidden", sheet_xml(table_rows(SCHOOLS_TABLE)))])
    assert _import_errors("schools", file) == ["В книге нет видимого листа с данными."]


def test_an_ordinary_200_row_file_passes_the_gate_unchanged(db):
    table = [SCHOOLS_TABLE[0]] + [[f"{n:04d}", f"Школа {n}", "Энский округ", "село"] for n in range(200)]
    assert _import_errors("schools", workbook([("Данные", "visible", sheet_xml(table_rows(table)))])) == []
    assert School.objects.count() == 200


def test_a_path_is_checked_like_an_upload(tmp_path):
    from schools.tabular import open_data_sheet

    path = tmp_path / "far.xlsx"
    path.write_bytes(far_cell_xlsx([["Код ОО"]]).getvalue())
    with pytest.raises(ImportFailed) as failure:
        open_data_sheet(path)
    assert [e.message for e in failure.value.errors] == [FAR_CELL.replace("Данные", "Данные")]

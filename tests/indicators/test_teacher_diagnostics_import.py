"""The teachers' subject diagnostics import (DESIGN §7.4, §4.2 guarantees): every check, all-or-nothing,
no name ever stored, the dry run, the command's exit code and Russian summary, the upload page."""

import io

import pytest
from django.core.management import execute_from_command_line
from openpyxl import load_workbook

from indicators.models import TeacherDiagnostic
from indicators.reference import seed as seed_indicators
from indicators.services import diagnostics
from schools.importing import run_import
from schools.models import ImportBatch, Job

HEADER = ["Код ОО", "Учебный год", "Предмет", "Код педагога", "Балл", "Максимальный балл"]
GOOD_ROWS = [
    ["A001", "2025/2026", "Математика", "Т-01", 40, 50],  # 80 %: high
    ["A001", "2025/2026", "Математика", "Т-02", 39.5, 50],  # 79 %: medium
    ["A001", "2025/2026", "Математика", "Т-03", 25, 50],  # 50 %: medium
    ["A001", "2025/2026", "Математика", "Т-04", "24,5", "50"],  # 49 %: low (numbers stored as text)
    ["A001", "2025/2026", "Русский язык", "Т-01", 10, 40],  # 25 %: low
    ["B001", "2025", "  математика ", "Т-01", 0, 30],  # 0 %: low (any letter case, year as 2025)
]


@pytest.fixture
def reference(db, school_a, school_b):
    seed_indicators()


def run(make_xlsx, rows, *, dry_run=False, name="диагностика.xlsx"):
    return run_import(
        kind="teacher_diagnostics", file=make_xlsx(rows, name=name), file_name=name, dry_run=dry_run
    )


def stored() -> list[tuple]:
    return sorted(
        (d.school.code, d.year, d.subject.name, d.teacher_code, float(d.score), float(d.max_score))
        for d in TeacherDiagnostic.objects.select_related("school", "subject")
    )


def test_a_good_file_is_imported_with_its_batch_and_reimport_updates(reference, make_xlsx, administrator):
    title = [["Диагностика предметных компетенций учителей"], []]
    extra = [["Примечание", *reversed(HEADER)]] + [["", *reversed(row)] for row in GOOD_ROWS]

    summary = run_import(
        kind="teacher_diagnostics",
        file=make_xlsx(title + extra),
        file_name="диагностика.xlsx",
        user=administrator,
    )

    assert summary.ok, summary.errors
    assert (summary.rows, summary.created, summary.updated) == (6, 6, 0)
    assert summary.text() == "Импортировано: файл «диагностика.xlsx», строк — 6, новых — 6, обновлено — 0."
    assert stored() == [
        ("A001", 2025, "Математика", "Т-01", 40.0, 50.0),
        ("A001", 2025, "Математика", "Т-02", 39.5, 50.0),
        ("A001", 2025, "Математика", "Т-03", 25.0, 50.0),
        ("A001", 2025, "Математика", "Т-04", 24.5, 50.0),
        ("A001", 2025, "Русский язык", "Т-01", 10.0, 40.0),
        ("B001", 2025, "Математика", "Т-01", 0.0, 30.0),
    ]
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.file_name, batch.rows, batch.created, batch.imported_by) == (
        "teacher_diagnostics",
        "диагностика.xlsx",
        6,
        6,
        administrator,
    )
    assert len(batch.sha256) == 64
    assert set(TeacherDiagnostic.objects.values_list("import_batch", flat=True)) == {batch.pk}

    again = run(make_xlsx, [HEADER, ["A001", "2025/2026", "Математика", "Т-04", 30, 50]])

    assert (again.rows, again.created, again.updated) == (1, 0, 1)
    changed = TeacherDiagnostic.objects.get(teacher_code="Т-04")
    assert (float(changed.score), changed.import_batch_id) == (30.0, again.batch_id)
    assert TeacherDiagnostic.objects.count() == 6
    assert changed.history.count() == 2  # created, then updated by the second file


@pytest.mark.parametrize(
    "row, column, message, value",
    [
        (["Z999", "2025/2026", "Математика", "Т-09", 5, 10], "Код ОО", diagnostics.UNKNOWN_SCHOOL, "Z999"),
        (
            ["A001", "2025/2026", "Астрология", "Т-09", 5, 10],
            "Предмет",
            diagnostics.UNKNOWN_SUBJECT,
            "Астрология",
        ),
        (
            ["A001", "2025/2026", "Математика", "Т-09", 60, 50],
            "Балл",
            "балл больше максимального (50)",
            "60",
        ),
        (["A001", "2025/2026", "Математика", "Т-09", -1, 50], "Балл", diagnostics.NEGATIVE_SCORE, "-1"),
        (["A001", "2025/2026", "Математика", "Т-09", "много", 50], "Балл", "ожидается число", "много"),
        (
            ["A001", "2025/2026", "Математика", "Т-09", 5, "сорок"],
            "Максимальный балл",
            "ожидается число",
            "сорок",
        ),
        (
            ["A001", "2025/2026", "Математика", "Т-09", 0, 0],
            "Максимальный балл",
            diagnostics.MAX_NOT_POSITIVE,
            "0",
        ),
        (["A001", "2025/2026", "Математика", "", 5, 10], "Код педагога", diagnostics.REQUIRED_VALUE, ""),
        (
            ["A001", "25/26", "Математика", "Т-09", 5, 10],
            "Учебный год",
            "учебный год пишется как 2024/2025 или 2024",
            "25/26",
        ),
        (
            ["A001", "2025/2026", "Математика", "Т 01 ?", 5, 10],
            "Код педагога",
            diagnostics.BAD_TEACHER_CODE,
            "Т 01 ?",
        ),
    ],
)
def test_each_bad_row_is_named_by_row_column_and_value_and_nothing_changes(
    reference, make_xlsx, row, column, message, value
):
    rows = [HEADER, GOOD_ROWS[0], row]

    summary = run(make_xlsx, rows)

    assert summary.errors == [{"row": 3, "column": column, "message": message, "value": value}]
    assert (
        summary.text() == "Файл «диагностика.xlsx» не импортирован: найдено ошибок — 1. Данные не изменены."
    )
    assert TeacherDiagnostic.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_a_duplicate_key_in_one_file_is_refused_naming_the_first_row(reference, make_xlsx):
    rows = [HEADER, GOOD_ROWS[0], GOOD_ROWS[1], ["A001", "2025", "математика", "Т-01", 12, 50]]

    summary = run(make_xlsx, rows)

    assert summary.errors == [
        {
            "row": 4,
            "column": "Код педагога",
            "message": "повторяет строку 2 этого файла (ОО, год, предмет, код педагога)",
            "value": "Т-01",
        }
    ]
    assert TeacherDiagnostic.objects.count() == 0


def test_a_missing_required_column_refuses_the_file(reference, make_xlsx):
    summary = run(make_xlsx, [HEADER[:4] + ["Балл"], ["A001", "2025", "Математика", "Т-01", 5]])

    assert summary.errors == [
        {
            "row": None,
            "column": "",
            "message": "в заголовке нет обязательных столбцов: «Максимальный балл»",
            "value": "",
        }
    ]


def test_a_dry_run_checks_and_counts_but_writes_nothing(reference, make_xlsx):
    run(make_xlsx, [HEADER, GOOD_ROWS[0]])  # one row already stored
    before = stored()

    summary = run(make_xlsx, [HEADER, *GOOD_ROWS], dry_run=True)

    assert summary.ok
    assert (summary.rows, summary.created, summary.updated, summary.batch_id) == (6, 5, 1, None)
    assert summary.text().startswith("Проверено (без записи): файл «диагностика.xlsx», строк — 6")
    assert stored() == before and ImportBatch.objects.count() == 1


@pytest.mark.parametrize(
    "header", ["ФИО", "Фамилия", "Ф.И.О. педагога", "фамилия, имя, отчество", "Имя", "Педагог", "Full name"]
)
def test_a_column_that_names_a_person_refuses_the_whole_file(reference, make_xlsx, header):
    rows = [[*HEADER, header], [*GOOD_ROWS[0], "Иванова Мария Петровна"]]

    summary = run(make_xlsx, rows)

    assert summary.errors == [
        {"row": None, "column": header, "message": diagnostics.NAME_COLUMN, "value": ""}
    ]
    assert "Иванова" not in str(summary.as_dict())
    assert TeacherDiagnostic.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_other_extra_columns_are_ignored_as_everywhere(reference, make_xlsx):
    rows = [[*HEADER, "Наименование ОО", "Стаж"], [*GOOD_ROWS[0], "МБОУ СШ № 1", 12]]

    assert run(make_xlsx, rows).ok


def test_a_teacher_code_that_looks_like_a_name_is_refused_and_never_repeated(reference, make_xlsx):
    rows = [HEADER, ["A001", "2025/2026", "Математика", "Иванова М.П.", 5, 10]]

    summary = run(make_xlsx, rows)

    assert summary.errors == [
        {
            "row": 2,
            "column": "Код педагога",
            "message": diagnostics.BAD_TEACHER_CODE,
            "value": "скрыто: похоже на имя человека",
        }
    ]
    assert "Иванова" not in str(summary.as_dict())


@pytest.mark.django_db(transaction=True)
def test_the_upload_page_offers_the_file_and_keeps_no_copy_of_a_refused_one(
    client_for, administrator, school_a, make_xlsx, settings
):
    seed_indicators()
    client = client_for(administrator)
    page = client.get("/schools/import/").content.decode()
    assert "Диагностика предметных компетенций педагогов" in page
    assert "/schools/import/template/teacher_diagnostics.xlsx" in page
    template = load_workbook(
        io.BytesIO(client.get("/schools/import/template/teacher_diagnostics.xlsx").content)
    )
    assert list(template.active.iter_rows(values_only=True)) == [
        tuple(HEADER),
        ("0101", "2025/2026", "Математика", "Т-017", 31, 40),
    ]
    upload = make_xlsx([[*HEADER, "ФИО"], [*GOOD_ROWS[0], "Петров Пётр Петрович"]], name="с фамилиями.xlsx")

    response = client.post("/schools/import/", {"kind": "teacher_diagnostics", "file": upload})

    job = Job.objects.get()
    assert response.status_code == 302 and job.status == "failed"
    shown = client.get(response.url).content.decode()
    assert "столбец похож на имя человека" in shown and "Петров" not in str(job.result)
    assert list((settings.MEDIA_ROOT / "uploads").iterdir()) == []
    assert TeacherDiagnostic.objects.count() == 0


def test_the_command_prints_a_russian_summary_and_exits_non_zero_on_errors(
    reference, make_xlsx, tmp_path, capsys, monkeypatch
):
    from django.db import connections

    # run_from_argv closes the connections when it ends, the test's own one included (PostgreSQL)
    monkeypatch.setattr(connections, "close_all", lambda: None)
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(make_xlsx([HEADER, *GOOD_ROWS]).getvalue())
    bad.write_bytes(make_xlsx([HEADER, ["A001", "2025", "Математика", "Т-09", 60, 50]]).getvalue())

    execute_from_command_line(["manage.py", "import_teacher_diagnostics", str(good), "--dry-run"])
    assert capsys.readouterr().out.strip() == (
        "Проверено (без записи): файл «good.xlsx», строк — 6, новых — 6, обновлено — 0."
    )
    assert TeacherDiagnostic.objects.count() == 0

    execute_from_command_line(["manage.py", "import_teacher_diagnostics", str(good)])
    assert (
        capsys.readouterr().out.strip()
        == "Импортировано: файл «good.xlsx», строк — 6, новых — 6, обновлено — 0."
    )

    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "import_teacher_diagnostics", str(bad)])
    err = capsys.readouterr().err

    assert exit_info.value.code == 1
    assert "Строка 2, столбец «Балл»: балл больше максимального (50) (значение «60»)" in err
    assert "Файл «bad.xlsx» не импортирован: найдено ошибок — 1. Данные не изменены." in err
    assert TeacherDiagnostic.objects.count() == 6

"""Schools and context imports (DESIGN §4.2): every check, all-or-nothing, re-import updates."""

import pytest
from django.core.management import CommandError, call_command

from schools.importing import run_import
from schools.models import ImportBatch, Municipality, School, SchoolContext
from tests.factories import SchoolFactory

SCHOOL_HEADER = [
    "Код ОО",
    "Наименование",
    "Краткое наименование",
    "Муниципалитет",
    "Тип поселения (город/село)",
    "Адрес",
    "Сайт",
    "Малокомплектная",
    "Удалённая",
    "Дефицит инфраструктуры",
    "Некомплект кадров",
]
CONTEXT_HEADER = [
    "Код ОО",
    "Учебный год",
    "Обучающихся",
    "Педагогов",
    "На учёте ОДН/КДН",
    "Мигранты или низкое владение русским",
    "Неаттестованные",
    "Систематические пропуски",
    "ЗПР/ОВЗ (ПМПК)",
    "Лишение или приостановление аккредитации",
    "Учителей прошли диагностику дефицитов",
    "Учителей прошли КПК по запросу",
    "Учителей прошли КПК по работе с детьми с риском неуспешности",
]


def school_row(code="0101", name="МБОУ СШ № 1", municipality="Энский округ", settlement="город", **overrides):
    row = dict(
        zip(
            SCHOOL_HEADER,
            [
                code,
                name,
                "СШ № 1",
                municipality,
                settlement,
                "ул. Мира, 1",
                "https://s1.example",
                "нет",
                "Нет",
                "1",
                "true",
            ],
            strict=True,
        )
    )
    row.update(overrides)
    return [row[h] for h in SCHOOL_HEADER]


def context_row(
    code="0101",
    year="2024/2025",
    students=500,
    teachers=40,
    police=5,
    migrants=10,
    not_attested=2,
    absentees=7,
    special=20,
    accreditation="нет",
    diagnosed=30,
    pd_request=10,
    pd_risk=5,
):
    return [
        code,
        year,
        students,
        teachers,
        police,
        migrants,
        not_attested,
        absentees,
        special,
        accreditation,
        diagnosed,
        pd_request,
        pd_risk,
    ]


def import_file(kind, rows, make_xlsx, dry_run=False):
    return run_import(kind=kind, file=make_xlsx(rows), file_name="test.xlsx", dry_run=dry_run)


@pytest.mark.django_db
def test_schools_file_with_title_rows_any_column_order_and_extra_columns_is_imported(make_xlsx):
    header = ["Примечание", *reversed(SCHOOL_HEADER)]
    rows = [
        ["Реестр общеобразовательных организаций"],
        [],
        ["  код оо  " if h == "Код ОО" else h.upper() if h == "Адрес" else h for h in header],
        ["что угодно", *reversed(school_row())],
        [None] * len(header),
        ["", *reversed(school_row(code="0102", name="МБОУ ООШ № 2", settlement="село"))],
    ]

    summary = import_file("schools", rows, make_xlsx)

    assert summary.ok, summary.errors
    assert (summary.rows, summary.created, summary.updated) == (2, 2, 0)
    school = School.objects.get(code="0101")
    assert school.municipality.name == "Энский округ"
    assert school.settlement == School.Settlement.TOWN
    assert (school.is_small, school.is_remote, school.infrastructure_deficit, school.staff_shortage) == (
        False,
        False,
        True,
        True,
    )
    assert School.objects.get(code="0102").settlement == School.Settlement.VILLAGE
    batch = ImportBatch.objects.get()
    assert school.import_batch == batch
    assert (batch.kind, batch.rows, len(batch.sha256)) == ("schools", 2, 64)


@pytest.mark.django_db
def test_importing_the_same_schools_file_twice_updates_instead_of_duplicating(make_xlsx):
    import_file("schools", [SCHOOL_HEADER, school_row()], make_xlsx)

    summary = import_file("schools", [SCHOOL_HEADER, school_row(name="МБОУ СШ № 1 им. Пушкина")], make_xlsx)

    assert (summary.created, summary.updated) == (0, 1)
    assert School.objects.get().name == "МБОУ СШ № 1 им. Пушкина"
    assert Municipality.objects.count() == 1
    assert ImportBatch.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (school_row(code=None), "Код ОО", "обязательное значение не заполнено"),
        (school_row(settlement="посёлок"), "Тип поселения (город/село)", "ожидается «город» или «село»"),
        (school_row(**{"Малокомплектная": "может быть"}), "Малокомплектная", "ожидается «да» или «нет»"),
        (school_row(municipality="—"), "Муниципалитет", "обязательное значение не заполнено"),
    ],
)
@pytest.mark.django_db
def test_bad_schools_row_is_reported_with_row_and_column_and_changes_nothing(make_xlsx, row, column, message):
    SchoolFactory(code="0999", name="Старое имя")

    summary = import_file(
        "schools", [SCHOOL_HEADER, school_row(code="0999", name="Новое имя"), row], make_xlsx
    )

    assert summary.errors == [
        {"row": 3, "column": column, "message": message, "value": summary.errors[0]["value"]}
    ]
    assert School.objects.get().name == "Старое имя"
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_school_code_in_one_file_is_an_error(make_xlsx):
    summary = import_file("schools", [SCHOOL_HEADER, school_row(), school_row()], make_xlsx)

    assert summary.errors[0]["row"] == 3
    assert summary.errors[0]["message"] == "повторяет строку 2 этого файла"
    assert School.objects.count() == 0


@pytest.mark.django_db
def test_missing_required_header_is_reported(make_xlsx):
    header = [h for h in SCHOOL_HEADER if h != "Муниципалитет"]

    summary = import_file("schools", [header, school_row()[:3]], make_xlsx)

    assert summary.errors[0]["message"] == "в заголовке нет обязательных столбцов: «Муниципалитет»"


@pytest.mark.django_db
def test_file_without_header_row_is_refused(make_xlsx):
    summary = import_file("schools", [["Школа", "Адрес"], ["x", "y"]], make_xlsx)

    assert summary.errors[0]["message"] == "не найдена строка заголовков со столбцом «Код ОО»"


@pytest.mark.django_db
def test_context_file_is_imported_with_text_numbers_and_no_data_cells(make_xlsx, school_a):
    rows = [
        CONTEXT_HEADER,
        context_row(code="A001", year="2024", students="1 200", police="—", accreditation="ДА", special=None),
    ]

    summary = import_file("context", rows, make_xlsx)

    assert summary.ok, summary.errors
    context = SchoolContext.objects.get()
    assert (context.year, context.students, context.police_registered, context.special_needs) == (
        2024,
        1200,
        None,
        None,
    )
    assert context.accreditation_suspended is True
    assert context.import_batch.kind == "context"


@pytest.mark.django_db
def test_context_reimport_updates_the_same_school_year(make_xlsx, school_a):
    import_file("context", [CONTEXT_HEADER, context_row(code="A001")], make_xlsx)

    summary = import_file("context", [CONTEXT_HEADER, context_row(code="A001", students=510)], make_xlsx)

    assert (summary.created, summary.updated) == (0, 1)
    assert SchoolContext.objects.get().students == 510


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            context_row(code="NOPE"),
            "Код ОО",
            "нет школы с таким кодом в реестре ОО: сначала импортируйте файл школ",
        ),
        (
            context_row(code="A001", year="2024/2026"),
            "Учебный год",
            "второй год должен быть на единицу больше первого",
        ),
        (
            context_row(code="A001", year="прошлый"),
            "Учебный год",
            "учебный год пишется как 2024/2025 или 2024",
        ),
        (context_row(code="A001", students=-5), "Обучающихся", "количество не может быть отрицательным"),
        (context_row(code="A001", teachers="сорок"), "Педагогов", "ожидается число"),
        (context_row(code="A001", students=12.5), "Обучающихся", "ожидается целое число"),
        (
            context_row(code="A001", students=100, migrants=101),
            "Мигранты или низкое владение русским",
            "больше, чем «Обучающихся» (100)",
        ),
        (
            context_row(code="A001", teachers=10, diagnosed=5, pd_request=5, pd_risk=11),
            "Учителей прошли КПК по работе с детьми с риском неуспешности",
            "больше, чем «Педагогов» (10)",
        ),
        (
            context_row(code="A001", accreditation="возможно"),
            "Лишение или приостановление аккредитации",
            "ожидается «да» или «нет»",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_context_row_is_reported_and_changes_nothing(make_xlsx, school_a, row, column, message):
    rows = [CONTEXT_HEADER, context_row(code="A001", year="2023/2024"), row]

    summary = import_file("context", rows, make_xlsx)

    assert [(e["row"], e["column"], e["message"]) for e in summary.errors] == [(3, column, message)]
    assert SchoolContext.objects.count() == 0
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_school_and_year_in_context_file_is_an_error(make_xlsx, school_a):
    rows = [CONTEXT_HEADER, context_row(code="A001"), context_row(code="A001", year="2024")]

    summary = import_file("context", rows, make_xlsx)

    assert [(e["row"], e["message"]) for e in summary.errors] == [(3, "повторяет строку 2 этого файла")]


@pytest.mark.django_db
def test_dry_run_validates_and_writes_nothing(make_xlsx):
    summary = import_file("schools", [SCHOOL_HEADER, school_row()], make_xlsx, dry_run=True)

    assert summary.ok and summary.dry_run and summary.created == 1
    assert School.objects.count() == 0
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_not_an_xlsx_is_refused_by_content(make_xlsx):
    fake = make_xlsx([["x"]])
    fake.seek(0)
    import io

    text = io.BytesIO("Код ОО;Наименование\n0101;Школа".encode())

    summary = run_import(kind="schools", file=text, file_name="schools.xlsx")

    assert (
        summary.errors[0]["message"]
        == "Файл не является книгой Excel в формате .xlsx (проверено по содержимому)."
    )


@pytest.mark.django_db
def test_import_commands_print_russian_summary_and_fail_without_changes(tmp_path, make_xlsx, capsys):
    good = tmp_path / "schools.xlsx"
    good.write_bytes(make_xlsx([SCHOOL_HEADER, school_row()]).getvalue())
    bad = tmp_path / "context.xlsx"
    bad.write_bytes(make_xlsx([CONTEXT_HEADER, context_row(code="0101", students=-1)]).getvalue())

    call_command("import_schools", str(good))
    with pytest.raises(CommandError, match="не импортирован"):
        call_command("import_context", str(bad))

    output = capsys.readouterr()
    assert "Импортировано: файл «schools.xlsx», строк — 1, новых — 1, обновлено — 0." in output.out
    assert (
        "Строка 2, столбец «Обучающихся»: количество не может быть отрицательным (значение «-1»)"
        in output.err
    )
    assert SchoolContext.objects.count() == 0


@pytest.mark.django_db
def test_import_command_dry_run_changes_nothing(tmp_path, make_xlsx, capsys):
    path = tmp_path / "schools.xlsx"
    path.write_bytes(make_xlsx([SCHOOL_HEADER, school_row()]).getvalue())

    call_command("import_schools", str(path), "--dry-run")

    assert "Проверено (без записи)" in capsys.readouterr().out
    assert School.objects.count() == 0


def test_every_registered_importer_writes_batches_of_a_known_kind():
    """The batch of an import takes its kind from the importer's registry key (ImportUpload.kind)."""
    from schools.importing import _IMPORTERS
    from schools.models import ImportBatch

    assert set(_IMPORTERS) <= set(ImportBatch.Kind.values)


def test_an_importer_under_an_unknown_kind_is_refused_at_registration():
    from schools.importing import register_importer

    with pytest.raises(ValueError, match="nonsense"):
        register_importer("nonsense", "Чепуха", lambda *, upload: None)

import datetime

import pytest

from roadmaps.demo import _seed_roadmap
from roadmaps.models import ItemStatus, Roadmap, RoadmapItem
from roadmaps.seed_roadmaps import KORSAKOV, MAKHNEVO, korsakov_rows, makhnevo_rows
from roadmaps.services import roadmap_export_bytes, roadmap_items_import
from roadmaps.services.exchange import DUPLICATE_NUMBER, REQUIRED_EMPTY, STAGE_UNKNOWN
from schools.models import ImportBatch
from schools.tabular import ImportFailed, RowError, read_table
from tests.roadmaps.factories import RoadmapFactory, RoadmapItemFactory

FIELDS = [
    "number",
    "stage_id",
    "direction_id",
    "section",
    "title",
    "term",
    "responsible",
    "result",
    "due_date",
    "status",
    "completed_on",
    "evidence",
    "notes",
    "position",
]

TODAY = datetime.date(2026, 1, 15)


def _snapshot(roadmap):
    return [tuple(getattr(i, f) for f in FIELDS) for i in roadmap.items.order_by("position")]


def _file(content: bytes, name="карта.xlsx"):
    import io

    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


@pytest.mark.parametrize(
    ("spec", "rows", "count"), [(MAKHNEVO, makhnevo_rows, 33), (KORSAKOV, korsakov_rows, 16)]
)
def test_seed_roadmap_survives_export_and_import_unchanged(spec, rows, count):
    original = _seed_roadmap(spec, rows(), TODAY)
    item = original.items.get(number=rows()[2]["number"])
    item.evidence = ["https://edu.example/doc/1", "http://edu.example/doc/2"]
    item.notes = "=не формула"
    item.save()
    target = RoadmapFactory(title="Копия")

    summary = roadmap_items_import(
        roadmap=target, file=_file(roadmap_export_bytes(original)), file_name="карта.xlsx"
    )

    assert (summary.rows, summary.created, summary.updated) == (count, count, 0)
    assert _snapshot(target) == _snapshot(original)
    assert ImportBatch.objects.get(pk=summary.batch_id).kind == ImportBatch.Kind.ROADMAP


def test_korsakov_items_keep_their_stages_terms_and_result_documents():
    roadmap = _seed_roadmap(KORSAKOV, korsakov_rows(), TODAY)

    by_stage = {
        n: list(roadmap.items.filter(stage__number=n).values_list("number", flat=True)) for n in range(1, 7)
    }
    assert by_stage == {
        1: ["1.1", "1.2"],
        2: ["2.1", "2.2", "2.3"],
        3: ["3.1"],
        4: ["4.1", "4.2", "4.3"],
        5: ["5.1", "5.2", "5.3", "5.4"],
        6: ["6.1", "6.2", "6.3"],
    }
    item = roadmap.items.get(number="5.2")
    assert (item.term, item.responsible, item.result) == (
        "2 раза в год",
        "ОО",
        "Положение о ВПСОКО – приказ образовательного учреждения об утверждении",
    )
    assert roadmap.document_number == "50-0"
    assert roadmap.document_date == datetime.date(2021, 5, 27)


def test_makhnevo_terms_are_kept_as_written_with_concrete_dates_for_years():
    roadmap = _seed_roadmap(MAKHNEVO, makhnevo_rows(), TODAY)

    assert roadmap.items.get(number="6").term == "по потребности"
    assert roadmap.items.get(number="11").term == "1 раз в 3 года для каждой образовательной организации"
    item = roadmap.items.get(number="15")
    assert (item.term, item.due_date, item.status) == (
        "2020-2021",
        datetime.date(2021, 12, 31),
        ItemStatus.DONE,
    )
    assert roadmap.items.get(number="3").due_date is None


def test_reimport_updates_by_number_and_keeps_items_missing_from_file(make_xlsx):
    roadmap = RoadmapFactory()
    kept = RoadmapItemFactory(roadmap=roadmap, number="9", title="Не из файла")
    RoadmapItemFactory(roadmap=roadmap, number="1.1", title="Старое название")
    file = make_xlsx(
        [
            ["Дорожная карта (шапка документа)"],
            ["№", "Мероприятие", "Сроки", "Ответственные", "Результат", "Этап", "Статус", "Дата выполнения"],
            [
                "1.1.",
                "Новое название",
                "ежегодно",
                "Отдел образования",
                "Приказ",
                "1. Цели",
                "Выполнено",
                "01.12.2025",
            ],
            [2.1, "Показатели", "2021", "ОО", None, "Показатели. Методы сбора информации", None, None],
        ]
    )

    summary = roadmap_items_import(roadmap=roadmap, file=file, file_name="карта.xlsx")

    assert (summary.created, summary.updated) == (1, 1)
    updated = roadmap.items.get(number="1.1")
    assert (updated.title, updated.stage.number, updated.status, updated.completed_on) == (
        "Новое название",
        1,
        ItemStatus.DONE,
        datetime.date(2025, 12, 1),
    )
    assert roadmap.items.get(number="2.1").stage.number == 2
    assert RoadmapItem.objects.get(pk=kept.pk).title == "Не из файла"


def test_import_with_errors_reports_every_row_and_writes_nothing(make_xlsx):
    roadmap = RoadmapFactory()
    file = make_xlsx(
        [
            ["№", "Мероприятие", "Сроки", "Ответственные", "Результат", "Этап", "Подтверждения"],
            ["1", "Первое", "ежегодно", "ОО", "", "7", ""],
            ["1", "Повтор номера", "", "", "", "3", ""],
            ["", "Без номера", "", "", "", "3", "javascript:alert(1)"],
        ]
    )

    with pytest.raises(ImportFailed) as failure:
        roadmap_items_import(roadmap=roadmap, file=file, file_name="карта.xlsx")

    assert failure.value.errors == [
        RowError(2, "Этап", STAGE_UNKNOWN, "7"),
        RowError(3, "№", DUPLICATE_NUMBER.format(row=2), "1"),
        RowError(
            4,
            "Подтверждения",
            "Ссылка «javascript:alert(1)» не принята: допускаются только адреса http:// или https://.",
        ),
        RowError(4, "№", REQUIRED_EMPTY),
    ]
    assert roadmap.items.count() == 0
    assert not ImportBatch.objects.exists()


def test_import_without_header_row_names_the_roadmap_marker(make_xlsx):
    with pytest.raises(ImportFailed) as failure:
        roadmap_items_import(
            roadmap=RoadmapFactory(), file=make_xlsx([["Код ОО", "Название"]]), file_name="x.xlsx"
        )

    assert str(failure.value) == "Файл: не найдена строка заголовков со столбцом «Мероприятие»"


def test_school_files_still_need_the_default_header_marker(make_xlsx):
    from schools.services import SCHOOL_COLUMNS

    with pytest.raises(ImportFailed) as failure:
        read_table(make_xlsx([["№", "Мероприятие"]]), SCHOOL_COLUMNS)

    assert str(failure.value) == "Файл: не найдена строка заголовков со столбцом «Код ОО»"


def test_dry_run_counts_without_writing(make_xlsx):
    roadmap = RoadmapFactory()
    file = make_xlsx([["№", "Мероприятие", "Этап"], ["1", "Одно", "3"]])

    summary = roadmap_items_import(roadmap=roadmap, file=file, file_name="x.xlsx", dry_run=True)

    assert (summary.rows, summary.created, summary.dry_run) == (1, 1, True)
    assert roadmap.items.count() == 0


def test_staff_upload_page_imports_and_export_has_the_six_columns(client_for, inspector, make_xlsx):
    from openpyxl import load_workbook

    roadmap = RoadmapFactory()
    client = client_for(inspector)
    file = make_xlsx(
        [
            ["№", "Мероприятие", "Сроки", "Ответственные", "Результат", "Этап"],
            ["1", "Мониторинг ШНОР", "ежегодно", "ОО", "Справка", "3"],
        ],
        name="карта.xlsx",
    )

    response = client.post(f"/roadmaps/{roadmap.pk}/import/", {"file": file})

    assert response.status_code == 302
    assert roadmap.items.get(number="1").title == "Мониторинг ШНОР"
    export = client.get(f"/roadmaps/{roadmap.pk}/export.xlsx")
    import io

    sheet = load_workbook(io.BytesIO(export.content))["Мероприятия"]
    headers = [c.value for c in sheet[1]][:6]
    assert headers == ["№", "Мероприятие", "Сроки", "Ответственные", "Результат", "Этап"]
    assert [c.value for c in sheet[2]][:6] == [
        "1",
        "Мониторинг ШНОР",
        "ежегодно",
        "ОО",
        "Справка",
        "3. Мониторинг",
    ]
    assert Roadmap.objects.count() == 1

"""The optional columns of DESIGN §8: medal candidates in the context file, procedure conduct in the
results file — §4.2 tolerance (absent column, empty cell, «—» are no data) and the same Russian errors."""

import pytest

from benchmarks.generate import HEADERS as RESULTS_HEADER
from indicators.models import AssessmentResult
from schools.importing import run_import
from schools.models import ImportBatch, SchoolContext

CONTEXT_HEADER = ["Код ОО", "Учебный год", "Обучающихся", "Педагогов"]
MEDALS = ["Претендентов на медаль", "Претендентов на медаль, не выполнивших условия ЕГЭ"]
CONDUCT = ["Общественные наблюдатели", "Видеонаблюдение", "Перепроверка"]
VPR_ROW = ["A001", "2024/2025", "ВПР", "Русский язык", 5, 20, "", "", 2, 8, 6, 4, 3.6, 3, 15, 2]


def run(kind, make_xlsx, rows):
    return run_import(kind=kind, file=make_xlsx(rows), file_name=f"{kind}.xlsx")


def test_medal_columns_are_read_in_any_order_with_no_data(catalogue, school_a, school_b, make_xlsx):
    header = ["  претендентов на МЕДАЛЬ, не выполнивших условия ЕГЭ ", *CONTEXT_HEADER, MEDALS[0]]
    summary = run(
        "context",
        make_xlsx,
        [header, ["2", "A001", "2024/2025", 300, 30, "10"], ["—", "B001", "2024", 200, 20, ""]],
    )

    assert summary.errors == []
    a = SchoolContext.objects.get(school=school_a)
    assert (a.medal_candidates, a.medal_candidates_unconfirmed) == (10, 2)
    b = SchoolContext.objects.get(school=school_b)
    assert (b.medal_candidates, b.medal_candidates_unconfirmed) == (None, None)


def test_context_file_without_medal_columns_still_imports(catalogue, school_a, make_xlsx):
    summary = run("context", make_xlsx, [CONTEXT_HEADER, ["A001", "2024", 300, 30]])

    assert summary.errors == []
    assert SchoolContext.objects.get().medal_candidates is None


@pytest.mark.parametrize(
    ("cells", "column", "message", "value"),
    [
        (["-1", ""], MEDALS[0], "количество не может быть отрицательным", "-1"),
        (["пять", ""], MEDALS[0], "ожидается число", "пять"),
        (["4", "5"], MEDALS[1], "больше, чем «Претендентов на медаль» (4)", "5"),
    ],
)
def test_bad_medal_cells_are_reported_and_change_nothing(
    catalogue, school_a, make_xlsx, cells, column, message, value
):
    rows = [[*CONTEXT_HEADER, *MEDALS], ["A001", "2023", 300, 30, 1, 0], ["A001", "2024", 300, 30, *cells]]

    summary = run("context", make_xlsx, rows)

    assert [(e["row"], e["column"], e["message"], e["value"]) for e in summary.errors] == [
        (3, column, message, value)
    ]
    assert SchoolContext.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_conduct_columns_are_read_as_yes_no(catalogue, school_a, make_xlsx):
    rows = [
        [*RESULTS_HEADER, *CONDUCT],
        [*VPR_ROW, "да", "НЕТ", "—"],
        [*VPR_ROW[:3], "Математика", *VPR_ROW[4:], "1", "", "true"],
    ]

    summary = run("results", make_xlsx, rows)

    assert summary.errors == []
    russian = AssessmentResult.objects.get(subject__code="russian")
    assert (russian.observers, russian.video, russian.recheck) == (True, False, None)
    math = AssessmentResult.objects.get(subject__code="math")
    assert (math.observers, math.video, math.recheck) == (True, None, True)
    # re-import without the columns: the file says nothing about the conduct any more (no data)
    assert run("results", make_xlsx, [RESULTS_HEADER, VPR_ROW]).errors == []
    russian.refresh_from_db()
    assert (russian.observers, russian.video, russian.recheck) == (None, None, None)


def test_bad_conduct_cell_is_reported_and_changes_nothing(catalogue, school_a, make_xlsx):
    rows = [[*RESULTS_HEADER, *CONDUCT], [*VPR_ROW, "да", "иногда", ""]]

    summary = run("results", make_xlsx, rows)

    assert [(e["row"], e["column"], e["message"], e["value"]) for e in summary.errors] == [
        (2, "Видеонаблюдение", "ожидается «да» или «нет»", "иногда")
    ]
    assert AssessmentResult.objects.count() == 0
    assert ImportBatch.objects.count() == 0

"""Results import (DESIGN §4.2): every check names the row, a bad file changes nothing, re-import updates."""

from decimal import Decimal

import pytest

from benchmarks.generate import HEADERS  # the header row of DESIGN §4.2, as the benchmark files carry it
from indicators.models import AssessmentResult, Subject
from indicators.services import results as module
from schools.importing import run_import
from schools.models import ImportBatch

GOOD_ROWS = [
    ["A001", "2024/2025", "ВПР", "Русский язык", 5, 20, "", "", 2, 8, 6, 4, 3.6, 3, 15, 2],
    ["A001", "2024", "ОГЭ", "математика", 9, "30", 3, "—", "", "", "", "", "", "", "", ""],
    ["B001", 2024, "ЕГЭ", "Информатика и ИКТ", 11, 12, 1, 4, "", "", "", "", 61.5, "", "", ""],
]


def run(make_xlsx, rows, *, header=HEADERS, dry_run=False, title_rows=()):
    file = make_xlsx([*title_rows, header, *rows])
    return run_import(kind="results", file=file, file_name="results.xlsx", dry_run=dry_run)


def snapshot():
    return (
        list(AssessmentResult.objects.values_list("school__code", "year", "participants", "mark2")),
        ImportBatch.objects.count(),
        Subject.objects.count(),
    )


def test_good_file_creates_rows_with_batch_and_new_subject(catalogue, school_a, school_b, make_xlsx):
    summary = run(make_xlsx, GOOD_ROWS, title_rows=[["Результаты 2024/2025"], []])

    assert summary.errors == []
    assert (summary.rows, summary.created, summary.updated) == (3, 3, 0)
    vpr = AssessmentResult.objects.get(school=school_a, procedure__code="VPR")
    assert (vpr.year, vpr.subject.code, vpr.grade, vpr.participants) == (2024, "russian", 5, 20)
    assert (vpr.mark2, vpr.mark3, vpr.mark4, vpr.mark5, vpr.average) == (2, 8, 6, 4, Decimal("3.60"))
    assert (vpr.lowered, vpr.confirmed, vpr.raised, vpr.below_min, vpr.high) == (3, 15, 2, None, None)
    oge = AssessmentResult.objects.get(school=school_a, procedure__code="OGE")
    assert (oge.subject.code, oge.participants, oge.below_min, oge.high) == ("math", 30, 3, None)
    ege = AssessmentResult.objects.get(school=school_b)
    assert (ege.subject.name, ege.average) == ("Информатика и ИКТ", Decimal("61.50"))
    assert ege.subject.code == "informatika-i-ikt"
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.rows, batch.created, batch.updated, batch.file_name) == (
        "results",
        3,
        3,
        0,
        "results.xlsx",
    )
    assert set(AssessmentResult.objects.values_list("import_batch", flat=True)) == {batch.pk}


def test_same_file_twice_updates_instead_of_duplicating(catalogue, school_a, school_b, make_xlsx):
    run(make_xlsx, GOOD_ROWS)
    changed = [list(GOOD_ROWS[0]), *GOOD_ROWS[1:]]
    changed[0][5], changed[0][8], changed[0][9] = 22, 4, 8

    summary = run(make_xlsx, changed)

    assert (summary.rows, summary.created, summary.updated) == (3, 0, 3)
    assert AssessmentResult.objects.count() == 3
    vpr = AssessmentResult.objects.get(school=school_a, procedure__code="VPR")
    assert (vpr.participants, vpr.mark2) == (22, 4)
    assert vpr.import_batch == ImportBatch.objects.order_by("-pk")[0]
    assert set(AssessmentResult.objects.values_list("import_batch", flat=True)) == {vpr.import_batch_id}


def test_a_partial_reimport_moves_only_its_own_rows_to_the_new_batch(
    catalogue, school_a, school_b, make_xlsx
):
    run(make_xlsx, GOOD_ROWS)
    first = ImportBatch.objects.get()
    changed = list(GOOD_ROWS[0])
    changed[5], changed[8], changed[9] = 22, 4, 8

    run(make_xlsx, [changed])

    second = ImportBatch.objects.exclude(pk=first.pk).get()
    batches = dict(AssessmentResult.objects.values_list("procedure__code", "import_batch"))
    assert batches == {"VPR": second.pk, "OGE": first.pk, "EGE": first.pk}
    vpr = AssessmentResult.objects.get(procedure__code="VPR")
    assert [h.history_type for h in vpr.history.order_by("history_id")] == ["+", "~"]
    assert vpr.history.order_by("history_id").last().import_batch_id == second.pk


def test_dry_run_counts_but_writes_nothing(catalogue, school_a, school_b, make_xlsx):
    run(make_xlsx, GOOD_ROWS[:1])
    before = snapshot()

    summary = run(make_xlsx, GOOD_ROWS, dry_run=True)

    assert (summary.ok, summary.created, summary.updated) == (True, 2, 1)
    assert snapshot() == before


def row(**changes):
    base = dict(zip(HEADERS, GOOD_ROWS[0], strict=True))
    base.update(changes)
    return [base[h] for h in HEADERS]


BAD_CASES = [
    ("unknown school", [row(**{"Код ОО": "Z999"})], 2, "Код ОО", module.UNKNOWN_SCHOOL),
    ("unknown procedure", [row(Процедура="ЕНТ")], 2, "Процедура", module.UNKNOWN_PROCEDURE),
    ("negative count", [row(**{"Отметка 2": -1})], 2, "Отметка 2", "количество не может быть отрицательным"),
    (
        "negative participants",
        [row(Участников=-5)],
        2,
        "Участников",
        "количество не может быть отрицательным",
    ),
    (
        "part larger",
        [row(**{"Высокий результат": 21})],
        2,
        "Высокий результат",
        "больше, чем «Участников» (20)",
    ),
    (
        "below min larger",
        [row(**{"Не преодолели минимальный порог": 25})],
        2,
        "Не преодолели минимальный порог",
        "больше, чем «Участников» (20)",
    ),
    (
        "marks sum",
        [row(**{"Отметка 5": 5})],
        2,
        "Отметка 2 … Отметка 5",
        "сумма отметок «2»–«5» (21) не равна числу участников (20)",
    ),
    (
        "correspondence sum",
        [row(Понизили=10, Подтвердили=10, Повысили=1)],
        2,
        "Понизили, Подтвердили, Повысили",
        "сумма «Понизили», «Подтвердили», «Повысили» (21) больше, чем «Участников» (20)",
    ),
    (
        "duplicate key",
        [row(), row(Предмет="русский  язык", **{"Учебный год": 2024})],
        3,
        "Код ОО",
        "повторяет строку 3 этого файла (ОО, год, процедура, предмет, класс)",
    ),
    ("missing participants", [row(Участников="")], 2, "Участников", module.REQUIRED_VALUE),
    (
        "bad year",
        [row(**{"Учебный год": "2024/2026"})],
        2,
        "Учебный год",
        "второй год должен быть на единицу больше первого",
    ),
    ("bad grade", [row(Класс=12)], 2, "Класс", module.BAD_GRADE),
    ("text number", [row(Участников="двадцать")], 2, "Участников", "ожидается число"),
]


@pytest.mark.parametrize(
    ("case", "rows", "line", "column", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_bad_file_reports_row_and_changes_nothing(
    catalogue, school_a, school_b, make_xlsx, case, rows, line, column, message
):
    run(make_xlsx, GOOD_ROWS)
    before = snapshot()

    summary = run(make_xlsx, [GOOD_ROWS[2], *rows, ["B001", 2024, "ВПР", "Новый предмет", 4, 10]])

    assert {"row": line + 1, "column": column, "message": message} in [
        {k: e[k] for k in ("row", "column", "message")} for e in summary.errors
    ], summary.errors
    assert snapshot() == before


def test_missing_header_column_is_reported(catalogue, school_a, make_xlsx):
    summary = run(make_xlsx, [GOOD_ROWS[0][:5]], header=HEADERS[:5])

    assert summary.errors[0]["message"] == "в заголовке нет обязательных столбцов: «Участников»"
    assert AssessmentResult.objects.count() == 0


def test_oversized_file_is_refused(catalogue, school_a, make_xlsx, settings):
    settings.UPLOAD_MAX_BYTES = 100

    summary = run(make_xlsx, GOOD_ROWS[:1])

    assert summary.errors[0]["message"].startswith("Файл слишком большой")
    assert AssessmentResult.objects.count() == 0


def test_import_command_exits_non_zero_on_error(catalogue, school_a, make_xlsx, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "bad.xlsx"
    path.write_bytes(make_xlsx([HEADERS, row(**{"Код ОО": "Z999"})]).getvalue())

    with pytest.raises(CommandError):
        call_command("import_results", str(path))
    assert AssessmentResult.objects.count() == 0


def test_upload_page_imports_results_through_a_job(
    catalogue, school_a, school_b, make_xlsx, client_for, administrator, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schools.models import Job

    content = make_xlsx([HEADERS, *GOOD_ROWS]).getvalue()
    upload = SimpleUploadedFile(
        "results.xlsx",
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post("/schools/import/", {"kind": "results", "file": upload})

    job = Job.objects.get()
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.progress, job.result["created"]) == ("done", 100, 3)
    assert AssessmentResult.objects.count() == 3
    assert ImportBatch.objects.get().imported_by == administrator


def test_reimport_keeps_old_and_new_values_in_the_history(catalogue, school_a, school_b, make_xlsx):
    run(make_xlsx, GOOD_ROWS)
    changed = [list(GOOD_ROWS[0]), *GOOD_ROWS[1:]]
    changed[0][5], changed[0][8], changed[0][9] = 22, 4, 8

    run(make_xlsx, changed)

    vpr = AssessmentResult.objects.get(school=school_a, procedure__code="VPR")
    first, second = vpr.history.order_by("history_id")
    assert (first.history_type, second.history_type) == ("+", "~")
    delta = second.diff_against(first)
    assert {(c.field, c.old, c.new) for c in delta.changes} >= {("participants", 20, 22), ("mark2", 2, 4)}
    assert second.history_change_reason == "Импорт файла «results.xlsx»"
    assert AssessmentResult.history.count() == 6


def grades(first: int, last: int) -> list[list]:
    return [row(Класс=grade) for grade in range(first, last + 1)]


def test_a_file_written_in_many_batches_is_stored_whole(
    catalogue, school_a, school_b, make_xlsx, monkeypatch
):
    monkeypatch.setattr(module, "WRITE_BATCH", 2)  # several batches in flight (a writer thread on PostgreSQL)

    summary = run(make_xlsx, grades(1, 9))

    assert (summary.errors, summary.created) == ([], 9)
    assert sorted(AssessmentResult.objects.values_list("grade", flat=True)) == list(range(1, 10))


def test_an_error_after_batches_were_written_changes_nothing(
    catalogue, school_a, school_b, make_xlsx, monkeypatch
):
    monkeypatch.setattr(module, "WRITE_BATCH", 2)
    before = snapshot()

    summary = run(make_xlsx, [*grades(1, 8), row(Класс=12)])

    assert [(e["row"], e["column"]) for e in summary.errors] == [(10, "Класс")]
    assert snapshot() == before


def test_a_failed_batch_write_rolls_the_whole_import_back(
    catalogue, school_a, school_b, make_xlsx, monkeypatch
):
    monkeypatch.setattr(module, "WRITE_BATCH", 2)
    written = []
    real_upsert = module.upsert_rows

    def upsert_failing_on_the_third_batch(**kwargs):
        written.append(len(kwargs["rows"]))
        if len(written) == 3:
            raise RuntimeError("диск переполнен")
        real_upsert(**kwargs)

    monkeypatch.setattr(module, "upsert_rows", upsert_failing_on_the_third_batch)
    before = snapshot()

    with pytest.raises(RuntimeError, match="диск переполнен"):
        run(make_xlsx, grades(1, 9))

    assert written[:3] == [2, 2, 2]
    assert snapshot() == before

"""Hostile uploads: zip bombs, macros and other content in .xlsx clothing are refused before opening."""

import io
import time
import zipfile

import pytest

from schools.models import Job
from schools.uploads import UploadRejected, check_xlsx_upload
from tests.conftest import xlsx_file

BOMB = "Файл сжат подозрительно сильно (похоже на zip-бомбу) и отклонён."
NOT_XLSX = "Файл не является книгой Excel в формате .xlsx (проверено по содержимому)."
MACROS = "Книги с макросами не принимаются: сохраните файл как обычную книгу .xlsx."


def _workbook_with(extra: dict[str, bytes], *, content_types: bytes | None = None) -> io.BytesIO:
    """A real xlsx with extra archive members (and optionally other [Content_Types].xml)."""
    source = zipfile.ZipFile(xlsx_file([["Код ОО"], ["0101"]]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and content_types is not None:
                data = content_types
            archive.writestr(item.filename, data)
        for name, data in extra.items():
            archive.writestr(name, data)
    out.seek(0)
    out.name = "данные.xlsx"
    return out


def _zeros(megabytes: int) -> bytes:
    return b"0" * (megabytes * 1024 * 1024)


def _rejected(file) -> str:
    with pytest.raises(UploadRejected) as error:
        check_xlsx_upload(file)
    return str(error.value)


def test_a_plain_workbook_passes_and_is_rewound():
    file = xlsx_file([["Код ОО"], ["0101"]])
    check_xlsx_upload(file)
    assert file.tell() == 0


def test_a_zip_bomb_disguised_as_xlsx_is_refused_quickly_without_unpacking():
    bomb = _workbook_with({"xl/worksheets/sheet2.xml": _zeros(40)})  # 40 MB of zeros → ~40 KB
    assert len(bomb.getvalue()) < 200_000
    started = time.perf_counter()
    assert _rejected(bomb) == BOMB
    assert time.perf_counter() - started < 0.5


def test_too_much_after_unpacking_is_refused_with_the_sizes(settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 3 * 1024 * 1024
    parts = {f"xl/media/image{n}.bin": bytes(range(256)) * 4096 for n in range(4)}  # 4 × 1 MB, ratio ~100
    assert _rejected(_workbook_with(parts)) == (
        "После распаковки файл занял бы 4,0\xa0МБ, допускается не более 3,0\xa0МБ."
    )


def test_too_many_parts_are_refused():
    parts = {f"xl/p{n}.xml": b"<a/>" for n in range(2001)}
    assert _rejected(_workbook_with(parts)).startswith("В архиве книги слишком много частей (")


def test_an_oversized_file_is_refused_before_reading_it(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assert _rejected(xlsx_file([["Код ОО"]] + [[f"{n:04d}"] for n in range(500)])).startswith(
        "Файл слишком большой:"
    )


@pytest.mark.parametrize(
    "content",
    [
        b"\xd0\x9a\xd0\xbe\xd0\xb4 \xd0\x9e\xd0\x9e;2024\n0101;5\n",
        b"%PDF-1.7\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        b"<html><script>alert(1)</script></html>",
    ],
    ids=["csv", "pdf", "old-xls", "html"],
)
def test_other_content_named_xlsx_is_refused_by_content(content):
    file = io.BytesIO(content)
    file.name = "результаты.xlsx"
    assert _rejected(file) == NOT_XLSX


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _rejected(out) == "Файл не является книгой Excel в формате .xlsx (нет книги внутри архива)."


def test_a_real_workbook_named_csv_is_accepted_by_content():
    file = xlsx_file([["Код ОО"], ["0101"]], name="данные.csv")
    check_xlsx_upload(file)


def test_macro_workbooks_are_refused_by_content_not_by_name():
    assert _rejected(_workbook_with({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})) == MACROS
    types = (
        zipfile.ZipFile(xlsx_file([["x"]]))
        .read("[Content_Types].xml")
        .replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    )
    assert _rejected(_workbook_with({}, content_types=types)) == MACROS


def test_the_upload_page_refuses_a_bomb_at_once_and_stores_nothing(
    administrator, client_for, settings, tmp_path
):
    bomb = _workbook_with({"xl/worksheets/sheet2.xml": _zeros(40)})
    response = client_for(administrator).post("/schools/import/", {"kind": "schools", "file": bomb})
    assert response.status_code == 200
    assert BOMB in response.content.decode()
    assert not Job.objects.exists()
    assert not (settings.MEDIA_ROOT / "uploads").exists()

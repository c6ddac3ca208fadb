"""Checks an uploaded spreadsheet before anything opens it: size, zip structure, bombs, macros."""

import zipfile

from django.conf import settings

from .errors import ValidationFailed

MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 250
RATIO_CHECK_FROM_BYTES = 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadRejected(ValidationFailed, ValueError):
    """The file is refused; the message is Russian and names the reason."""


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " МБ"


def check_xlsx_upload(file, *, max_bytes: int | None = None, max_uncompressed: int | None = None) -> None:
    """Raise UploadRejected unless `file` is a plain .xlsx workbook within the limits. Rewinds the file."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    max_uncompressed = max_uncompressed or settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size == 0:
        raise UploadRejected("Файл пуст.")
    if size > max_bytes:
        raise UploadRejected(
            f"Файл слишком большой: {_megabytes(size)}, допускается не более {_megabytes(max_bytes)}."
        )
    if file.read(4) != b"PK\x03\x04":
        file.seek(0)
        raise UploadRejected("Файл не является книгой Excel в формате .xlsx (проверено по содержимому).")
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            _check_entries(entries, max_uncompressed)
            names = {e.filename for e in entries}
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except zipfile.BadZipFile:
        raise UploadRejected("Файл повреждён: архив книги Excel не читается.")
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRejected("Файл не является книгой Excel в формате .xlsx (нет книги внутри архива).")
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
        raise UploadRejected("Книги с макросами не принимаются: сохраните файл как обычную книгу .xlsx.")


def _check_entries(entries, max_uncompressed: int) -> None:
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UploadRejected(f"В архиве книги слишком много частей ({len(entries)}): файл отклонён.")
    total = sum(e.file_size for e in entries)
    if total > max_uncompressed:
        raise UploadRejected(
            f"После распаковки файл занял бы {_megabytes(total)}, "
            f"допускается не более {_megabytes(max_uncompressed)}."
        )
    for entry in entries:
        if entry.file_size > RATIO_CHECK_FROM_BYTES and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise UploadRejected("Файл сжат подозрительно сильно (похоже на zip-бомбу) и отклонён.")

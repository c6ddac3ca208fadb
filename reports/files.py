"""Checks of uploaded registry documents (type by content, size, archive sanity) and safe serving."""

import re
import zipfile
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse

from schools.uploads import MAX_COMPRESSION_RATIO, MAX_ZIP_ENTRIES, RATIO_CHECK_FROM_BYTES, UploadRejected

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
FILE_EMPTY = "Файл пуст."
FILE_TOO_LARGE = "Файл слишком большой: {size}, допускается не более {limit}."
FILE_WRONG_TYPE = (
    "Файл не принят: по содержимому это не PDF, DOCX, XLSX или ODT. "
    "Сохраните документ в одном из этих форматов."
)
FILE_MACROS = "Документы с макросами не принимаются: сохраните файл без макросов."
FILE_BROKEN = "Файл повреждён: архив документа не читается."
FILE_BOMB = "Файл сжат подозрительно сильно (похоже на zip-бомбу) и отклонён."


def max_document_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " МБ"


def detect_document_type(file) -> str:
    """'pdf', 'docx', 'xlsx' or 'odt' judged by the bytes (never by the name); raises UploadRejected."""
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size == 0:
        raise UploadRejected(FILE_EMPTY)
    limit = max_document_bytes()
    if size > limit:
        raise UploadRejected(FILE_TOO_LARGE.format(size=_megabytes(size), limit=_megabytes(limit)))
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        raise UploadRejected(FILE_WRONG_TYPE)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            _check_archive(entries)
            names = {entry.filename for entry in entries}
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except zipfile.BadZipFile:
        raise UploadRejected(FILE_BROKEN)
    finally:
        file.seek(0)
    if any(name.lower().endswith("vbaproject.bin") for name in names) or b"macroEnabled" in content_types:
        raise UploadRejected(FILE_MACROS)
    if mimetype == MIME["odt"].encode():
        if any(name.startswith("Basic/") for name in names):
            raise UploadRejected(FILE_MACROS)
        return "odt"
    if content_types and "word/document.xml" in names:
        return "docx"
    if content_types and "xl/workbook.xml" in names:
        return "xlsx"
    raise UploadRejected(FILE_WRONG_TYPE)


def _check_archive(entries) -> None:
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UploadRejected(FILE_BOMB)
    if sum(entry.file_size for entry in entries) > settings.UPLOAD_MAX_UNCOMPRESSED_BYTES:
        raise UploadRejected(FILE_BOMB)
    for entry in entries:
        if entry.file_size > RATIO_CHECK_FROM_BYTES and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise UploadRejected(FILE_BOMB)


def file_response(
    field_file, *, file_type: str, download_name: str, inline: bool = False, ascii_name: str = ""
) -> FileResponse:
    """Serve a stored file with the content type of its checked type, never as HTML, never sniffed."""
    response = FileResponse(
        field_file.open("rb"), content_type=MIME.get(file_type, "application/octet-stream")
    )
    disposition = "inline" if inline and file_type == "pdf" else "attachment"
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name or download_name).strip("-.")
    if not re.search(r"[A-Za-z]", ascii_name.rsplit(".", 1)[0]):
        ascii_name = f"document.{file_type}"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(download_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response

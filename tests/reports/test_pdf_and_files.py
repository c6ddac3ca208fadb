"""The restricted URL fetcher, and the checks and serving of registry documents."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.files import FILE_WRONG_TYPE, detect_document_type
from reports.models import Document
from reports.pdf import RestrictedUrlFetcher, UrlRefused, render_pdf
from schools.uploads import UploadRejected
from tests.reports.factories import document_post


def test_fetcher_serves_data_urls_and_static_files():
    fetcher = RestrictedUrlFetcher()

    assert fetcher.fetch("data:text/plain;base64,0J/RgNC40LLQtdGC").read().decode() == "Привет"
    css = fetcher.fetch("https://portal.invalid/static/css/report-pdf.css")
    assert css.content_type == "text/css" and b"@page" in css.read()


def test_fetcher_accepts_file_urls_inside_static_only(settings):
    static_css = (settings.BASE_DIR / "static" / "css" / "report-pdf.css").resolve()

    assert b"@page" in RestrictedUrlFetcher().fetch(static_css.as_uri()).read()
    with pytest.raises(UrlRefused):
        RestrictedUrlFetcher().fetch((settings.BASE_DIR / "manage.py").resolve().as_uri())


@pytest.mark.slow
def test_rendering_ignores_a_remote_image():
    pdf = render_pdf(
        '<html><body><p>Текст</p><img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd"></body></html>'
    )

    assert pdf.startswith(b"%PDF-")


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}), "docx"),
        (_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>"}), "xlsx"),
        (_zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}), "odt"),
    ],
    ids=["pdf", "docx", "xlsx", "odt"],  # the zips hold their build time: xdist workers must agree on ids
)
def test_document_type_is_judged_by_content(content, expected):
    assert detect_document_type(SimpleUploadedFile("any.name", content)) == expected


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>", "word/vbaProject.bin": "x"}),
        _zip({"random.txt": "x"}),
    ],
    ids=["html", "docx-with-macros", "unknown-zip"],
)
def test_html_macros_and_unknown_archives_are_refused(content):
    with pytest.raises(UploadRejected):
        detect_document_type(SimpleUploadedFile("report.pdf", content))


def test_too_large_document_is_refused(settings):
    settings.DOCUMENT_MAX_BYTES = 10

    with pytest.raises(UploadRejected, match="слишком большой"):
        detect_document_type(SimpleUploadedFile("a.pdf", b"%PDF-1.7 more than ten bytes"))


def test_staff_uploads_a_document_and_it_is_served_as_attachment(catalogue, client_for, inspector):
    client = client_for(inspector)
    response = document_post(
        client,
        title="Положение о мониторинге",
        kind="procedural",
        stage=3,
        number="12",
        date="2024-09-01",
        upload=SimpleUploadedFile(
            "положение.docx", _zip({"[Content_Types].xml": "<T/>", "word/document.xml": "<w/>"})
        ),
    )
    document = Document.objects.get()

    assert response.status_code == 302
    assert (document.file_type, document.file_name, document.is_published) == (
        "docx",
        "положение.docx",
        False,
    )
    assert document.file.name.endswith(".docx") and "положение" not in document.file.name
    served = client.get(reverse("reports:document-file", args=[document.pk]))
    assert served["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert served["Content-Disposition"].startswith("attachment;")
    assert client_for(None).get(reverse("quality:document-file", args=[document.pk])).status_code == 404


def test_html_upload_is_refused_with_a_message_and_nothing_saved(catalogue, client_for, inspector):
    response = document_post(
        client_for(inspector),
        title="Страница",
        kind="procedural",
        stage=3,
        upload=SimpleUploadedFile("page.pdf", b"<html><body>x</body></html>", content_type="application/pdf"),
    )

    assert response.status_code == 200
    assert FILE_WRONG_TYPE in response.content.decode()
    assert not Document.objects.exists()


def test_fetcher_finds_hashed_static_names_of_production(settings, tmp_path):
    """With the manifest storage of production, `{% static %}` names a hashed copy in STATIC_ROOT."""
    settings.STATIC_ROOT = tmp_path / "collected"
    hashed = settings.STATIC_ROOT / "css" / "report-pdf.0123456789ab.css"
    hashed.parent.mkdir(parents=True)
    hashed.write_bytes(b"@page { size: A4 }")

    css = RestrictedUrlFetcher().fetch("https://portal.invalid/static/css/report-pdf.0123456789ab.css")

    assert css.read() == b"@page { size: A4 }"


@pytest.mark.django_db
def test_the_registry_edit_page_tells_no_stranger_whether_a_document_exists(client_for, principal_a):
    """The edit page checks who asks before it looks the document up: an anonymous visitor is sent to the
    login page and a principal refused, for any number, so neither can probe which documents exist."""
    missing = reverse("reports:document-edit", kwargs={"pk": 987654})
    anonymous = client_for(None).get(missing)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(principal_a).get(missing).status_code == 403

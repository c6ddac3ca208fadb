"""What is published stays as published: the public page and PDF show the snapshot until republication;
a lost file is a Russian 404; query strings neither bypass nor multiply the public page cache."""

import io

import pypdf
import pytest
from django.core.cache import cache
from django.urls import reverse

from reports import services
from reports.files import FILE_MISSING
from reports.models import Report

PUBLISHED = "Доля ШНОР снизилась на 2 школы."
DRAFT = "Черновик: доля ШНОР не изменилась."


@pytest.fixture
def published(computed, inspector, django_capture_on_commit_callbacks):
    report = services.report_build(report_id=services.report_create(kind="annual", year=2025).pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_update_conclusions(report=report, text=PUBLISHED, user=inspector)
    return services.report_publish(report_id=report.pk, user=inspector)


def _pdf_text(field) -> str:
    with field.open("rb") as handle:
        return " ".join(
            "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(handle.read())).pages).split()
        )


def test_edited_conclusions_reach_the_public_only_when_the_report_is_published_again(
    published, inspector, client_for, django_capture_on_commit_callbacks
):
    anonymous, url = client_for(None), reverse("quality:report-detail", args=[published.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_update_conclusions(report=published, text=DRAFT, user=inspector)

    page = anonymous.get(url).content.decode()
    report = Report.objects.get(pk=published.pk)
    assert PUBLISHED in page and DRAFT not in page
    assert PUBLISHED in _pdf_text(report.public_pdf) and DRAFT not in _pdf_text(report.public_pdf)
    assert DRAFT in _pdf_text(report.pdf)  # the staff's own PDF follows the draft

    services.report_publish(report_id=published.pk, user=inspector)

    page = anonymous.get(url).content.decode()
    report = Report.objects.get(pk=published.pk)
    assert DRAFT in page and PUBLISHED not in page
    assert DRAFT in _pdf_text(report.public_pdf)


def test_a_published_report_whose_file_is_lost_answers_a_russian_404(published, client_for, caplog):
    published.public_pdf.storage.delete(published.public_pdf.name)

    response = client_for(None).get(reverse("quality:report-file", args=[published.pk, "pdf"]))

    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    assert f"Файл {published.public_pdf.name} отсутствует в хранилище" in caplog.text
    assert FILE_MISSING == "Файл не найден в хранилище. Сообщите об этом в управление образования."


def test_query_strings_neither_bypass_the_public_cache_nor_add_copies(
    published, client_for, django_assert_num_queries
):
    anonymous, url = client_for(None), reverse("quality:index")
    first = anonymous.get(url + "?utm_source=mail")
    pages = [key for key in cache._cache if ":quality:page2:" in key]

    with django_assert_num_queries(0):
        others = [anonymous.get(url + query) for query in ("", "?x=1", "?x=2&utm_source=a", "?" + "y" * 50)]

    assert [r.status_code for r in (first, *others)] == [200] * 5
    assert all(r.content == first.content for r in others)
    assert [key for key in cache._cache if ":quality:page2:" in key] == pages
    assert len(pages) == 1

"""The admin imports through the portal's importer registry: §4.2 checks, all or nothing, an import batch."""

import pytest

from schools.models import ImportBatch, School
from tests.schools.test_imports import SCHOOL_HEADER, school_row


@pytest.mark.django_db(transaction=True)
def test_admin_import_with_a_bad_row_changes_nothing_and_shows_the_row_error(
    client_for, administrator, make_xlsx
):
    client = client_for(administrator)
    assert "Загрузить из Excel" in client.get("/admin/schools/school/").content.decode()

    opened = client.get("/admin/schools/school/import/")
    assert (opened.status_code, opened.url) == (302, "/schools/import/?kind=schools")
    upload = make_xlsx(
        [SCHOOL_HEADER, school_row(), school_row(code="0102", settlement="хутор")], name="bad.xlsx"
    )
    job_page = client.get(client.post(opened.url, {"kind": "schools", "file": upload}).url).content.decode()

    row = "<td>3</td><td>Тип поселения (город/село)</td><td>хутор</td><td>ожидается «город» или «село»</td>"
    assert row in job_page
    assert (School.objects.count(), ImportBatch.objects.count()) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_admin_import_of_a_good_file_records_an_import_batch(client_for, administrator, make_xlsx):
    client = client_for(administrator)
    upload = make_xlsx([SCHOOL_HEADER, school_row(), school_row(code="0102")], name="реестр.xlsx")

    opened = client.get("/admin/schools/school/import/")
    client.post(opened.url, {"kind": "schools", "file": upload})

    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.file_name, batch.rows, batch.imported_by) == (
        "schools",
        "реестр.xlsx",
        2,
        administrator,
    )
    assert sorted(School.objects.values_list("code", "import_batch", flat=False)) == [
        ("0101", batch.pk),
        ("0102", batch.pk),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changelist", "kind"),
    [("/admin/schools/schoolcontext/", "context"), ("/admin/indicators/assessmentresult/", "results")],
)
def test_admin_import_of_contexts_and_results_leads_to_their_upload(
    client_for, administrator, changelist, kind
):
    response = client_for(administrator).get(f"{changelist}import/")

    assert (response.status_code, response.url) == (302, f"/schools/import/?kind={kind}")

"""Region mode, DESIGN §6: every role sees exactly its scope on every list page, API resource and export.

The demo region (DESIGN §10) is built once: «berezovsky» (40 schools, codes 01xx/02xx), «kedrovsky»
(12 schools, 03xx) and «ozyorsk» (10 schools, 04xx), with users admin, regional, inspector (berezovsky),
inspector2 (kedrovsky) and principal1 (school 0101). The test walks roles × resources and reports every
difference at once. Runs on SQLite and on PostgreSQL (CI's second pass)."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import SchoolStatus
from monitoring.models import ExpertCard
from reports.models import Report
from schools.jobs import job_create
from schools.models import Municipality, School

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ALL = {"berezovsky", "kedrovsky", "ozyorsk"}
SCOPE = {
    "admin": ALL,
    "regional": ALL,
    "inspector": {"berezovsky"},
    "inspector2": {"kedrovsky"},
}
# resource: the field that names the school(s) of an object
API_SCHOOL_FIELDS = {
    "schools": "code",
    "contexts": "school_code",
    "statuses": "school_code",
    "values": "school_code",
    "results": "school_code",
    "cards": "school_code",
    "roadmaps": "school_code",
    "recommendations": "school_code",
    "decisions": "school_codes",
}


@pytest.fixture
def region(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    return {m.code: set(m.schools.values_list("code", flat=True)) for m in Municipality.objects.all()}


def _api_codes(client, resource: str, field: str, year: int) -> set[str]:
    codes: set[str] = set()
    url = f"/api/{resource}/?page_size=500" + (f"&year={year}" if resource in ("values", "results") else "")
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, (resource, answer.status_code)
        body = answer.json()
        for row in body["results"]:
            value = row.get(field)
            codes.update(value if isinstance(value, list) else [value] if value else [])
        url = body["next"]
    return codes


def _login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def test_every_staff_role_sees_exactly_its_municipalities_on_every_api_resource_page_and_export(
    client, region
):
    year = max(SchoolStatus.objects.values_list("year", flat=True))
    school_cards = ExpertCard.objects.filter(school__isnull=False)  # municipalities' cards have no school
    assert school_cards.values("school__municipality").distinct().count() == 3  # data in all three
    differences = []
    for username, scope in SCOPE.items():
        allowed = set().union(*(region[code] for code in scope))
        _login(client, username)
        for resource, field in API_SCHOOL_FIELDS.items():
            seen = _api_codes(client, resource, field, year)
            if resource in ("schools", "contexts", "statuses"):
                if seen != allowed:
                    differences.append((username, resource, sorted(seen ^ allowed)[:5]))
            elif not seen or not seen <= allowed:
                differences.append((username, resource, sorted(seen - allowed)[:5] or "пусто"))
        municipalities = {row["code"] for row in client.get("/api/municipalities/").json()["results"]}
        if municipalities != scope:
            differences.append((username, "municipalities", municipalities))
        workbook = openpyxl.load_workbook(
            io.BytesIO(client.get(f"/indicators/export/statuses.xlsx?year={year}").content)
        )
        sheet = workbook.worksheets[0]
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        exported = {
            row[header.index("Код ОО")] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]
        }
        if exported != allowed:
            differences.append((username, "statuses.xlsx", sorted(exported ^ allowed)[:5]))
        page = client.get("/schools/?page_size=100").content.decode()
        outside = [
            code for code in sorted(set().union(*region.values()) - allowed) if f"/schools/{code}/" in page
        ]
        if outside:
            differences.append((username, "/schools/", outside[:5]))
    assert differences == []


def test_a_principal_sees_only_their_school_everywhere(client, region):
    _login(client, "principal1")
    for resource in ("schools", "contexts", "statuses", "cards"):
        assert _api_codes(client, resource, API_SCHOOL_FIELDS[resource], 2025) <= {"0101"}, resource
    assert {row["code"] for row in client.get("/api/municipalities/").json()["results"]} == {"berezovsky"}


def test_an_inspector_of_one_municipality_gets_404_for_a_school_card_report_job_and_file_of_another(
    client, region
):
    other_school = School.objects.get(code="0302")  # kedrovsky
    other_card = ExpertCard.objects.filter(school__municipality__code="kedrovsky").first()
    own_card = ExpertCard.objects.filter(school__municipality__code="berezovsky").first()
    inspector2 = get_user_model().objects.get(username="inspector2")
    other_job = job_create(kind="test", title="чужая задача", params={}, user=inspector2)
    other_report = Report.objects.create(
        kind=Report.Kind.SCHOOL,
        year=2025,
        title="Профиль ОО 0302",
        params={"school": "0302", "municipality": "kedrovsky"},
        municipality=other_school.municipality,
    )
    _login(client, "inspector")
    refused = [
        f"/schools/{other_school.code}/",
        f"/indicators/school/{other_school.code}/",
        f"/monitoring/cards/{other_card.pk}/",
        f"/reports/{other_report.pk}/",
        f"/reports/{other_report.pk}/file/pdf/",
        f"/jobs/{other_job.pk}/",
        f"/api/schools/{other_school.code}/",
        f"/api/cards/{other_card.pk}/",
        f"/api/reports/{other_report.pk}/",
        "/api/municipalities/kedrovsky/",
    ]
    assert {url: client.get(url).status_code for url in refused} == dict.fromkeys(refused, 404)
    assert client.get(f"/monitoring/cards/{own_card.pk}/").status_code == 200
    assert client.get("/schools/0101/").status_code == 200
    # inspector2 sees their own job and the kedrovsky report
    _login(client, "inspector2")
    assert client.get(f"/jobs/{other_job.pk}/").status_code == 200
    assert client.get(f"/reports/{other_report.pk}/").status_code == 200


def test_an_inspector_cannot_address_a_school_of_another_municipality_through_the_api(client, region):
    _login(client, "inspector")
    answer = client.post(
        "/api/recommendations/",
        {"school_code": "0302", "text": "Проверить объективность ВПР", "target_group": "teachers"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "school_code" in answer.json()
    answer = client.post(
        "/api/municipalities/", {"code": "new", "name": "Новый округ"}, content_type="application/json"
    )
    assert answer.status_code == 403


def test_the_audit_journal_of_an_inspector_shows_only_changes_in_their_municipalities(client, region):
    school = School.objects.get(code="0302")
    school.address = "пгт Кедровый, ул. Новая, 1"
    school.save()
    _login(client, "inspector")
    assert "ул. Новая" not in client.get("/audit/").content.decode()
    _login(client, "inspector2")
    assert "ул. Новая" in client.get("/audit/").content.decode()

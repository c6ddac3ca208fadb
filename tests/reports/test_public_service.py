"""The public tab as a public service (issue 22, DESIGN §10): key figures with every count below k as «<10»,
report editions, the grid and the search, open data (standard 3.0), the feed, sitemap.xml, the version for
the visually impaired, tagged PDFs and the page cache.

The data: 12 schools in 2024 and 2025 (tests.reports.factories.computed_year). In 2025, 11 are ШНОР (10 of
them were already in 2024, so 1 entered) and 3 are ШНСУ (none in 2024); 2024 has 10 ШНОР and 0 ШНСУ.
Published: 2025 «ШНОР 11», «ШНСУ <10», «вошли в ШНОР <10», «вышли из ШНОР 0» (zero discloses nobody),
2024 entered/left «—» (no 2023 to compare with).
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from monitoring.models import CardTemplate, ExpertCard
from reports import opendata, services
from reports.models import Document, Report
from roadmaps.models import CycleStage, Direction
from tests.reports.factories import computed_year

SMALL_NUMBER = re.compile(r"(?<![\d,.<])[1-9](?![\d,.])")  # a lone digit 1–9: a count below 10


def _rows(year: int, low: int, unf: int) -> list[dict]:
    return [
        {
            "code": f"P{n:02d}",
            "students": 300,
            "results_index": 10.0 + n,
            "rank": n + 1,
            "low": n < low,
            "unf": n < unf,
            "oge": (10, 100),
        }
        for n in range(12)
    ]


@pytest.fixture
def region(catalogue):
    computed_year(2024, _rows(2024, low=10, unf=0))
    computed_year(2025, _rows(2025, low=11, unf=3))


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# --- key figures ------------------------------------------------------------------------------------
def test_key_figures_show_counts_from_k_and_read_small_ones_as_less_than_k(region, client):
    from reports.public_figures import public_figures

    figures = public_figures()
    row_2025 = figures["rows"][-1]
    assert row_2025["schools"] == 12
    assert row_2025["low_results"] == 11
    assert row_2025["unfavourable"] == "<10"  # 3 schools
    assert row_2025["low_results_entered"] == "<10"  # 1 school
    assert row_2025["low_results_left"] == 0
    assert row_2025["unfavourable_entered"] == "<10"  # 3 schools
    row_2024 = figures["rows"][0]
    assert row_2024["low_results"] == 10
    assert row_2024["low_results_entered"] is None  # nothing to compare 2024 with

    page = client.get(reverse("quality:index"))
    text = _text(page)
    assert "11 школ в списке ШНОР, 2025/2026" in text
    assert "<10 школ в списке ШНСУ, 2025/2026" in text
    # the chart's table beside the drawing: year, ШНОР, ШНСУ
    assert "2025/2026 11 <10" in text
    assert "Что такое ШНОР и ШНСУ" in text


def test_public_counts_of_the_lists_are_those_of_the_staff_lists_page(region):
    """One rule of list membership: the public figures count what the inspectors' lists page shows —
    decisions included, a school included by decision without a status of its own that year, and a
    school gone from the statuses (no results that year) counted as having left the list."""
    from indicators.models import SchoolStatus
    from indicators.selectors import list_dynamics
    from indicators.services.overrides import status_override_create
    from reports.public_figures import list_counts
    from schools.models import School

    by_code = {school.code: school for school in School.objects.all()}
    SchoolStatus.objects.filter(year=2025, school=by_code["P00"]).delete()  # on ШНОР in 2024, no 2025 data
    late = School.objects.create(
        code="P99", name="Школа P99", short_name="Школа P99", municipality=by_code["P01"].municipality
    )
    for school, decision in ((late, "include"), (by_code["P11"], "include"), (by_code["P01"], "exclude")):
        status_override_create(
            school=school, year=2025, list_kind="low_results", decision=decision, reason="решение комиссии"
        )

    staff = list_dynamics(year=2025, schools=False)["low_results"]
    public = list_counts(years=[2025])[(by_code["P01"].municipality_id, 2025)]

    # 2024: P00–P09 on ШНОР; 2025 computed: P01–P10 (P00 has no status), P01 excluded, P11 and P99 included
    assert len(staff["current_ids"]) == 11
    assert public["low_results"] == 11
    assert public["low_results_entered"] == len(staff["entered_ids"]) == 3  # P10, P11, P99
    assert public["low_results_left"] == len(staff["left_ids"]) == 2  # P00, P01


def _count_cells(html: str) -> list[str]:
    """The published counts of a page: the big figures and every cell of the charts' tables."""
    values = re.findall(r'class="stat-value">([^<]*)<', html)
    for table in re.findall(r'<details class="chart-table" open>.*?</details>', html, flags=re.S):
        values += re.findall(r"<td[^>]*>([^<]*)</td>", table)
    return [unescape(v) for v in values]


def test_no_count_below_k_on_the_public_index(region, client):
    values = _count_cells(client.get(reverse("quality:index")).content.decode())

    assert values  # 4 figures and the two charts' tables (2 years × 2 and 2 years × 4 cells)
    assert len(values) == 4 + 4 + 8
    assert all(not SMALL_NUMBER.fullmatch(v.strip()) for v in values), values
    assert "<10" in values and "11" in values


def test_monitoring_levels_count_verified_cards_and_mask_small_ones(region, client):
    from datetime import date

    from monitoring.reference import seed as seed_templates
    from reports.public_figures import public_figures
    from schools.models import School

    seed_templates()
    template = CardTemplate.objects.get(slug="lesosibirsk-shnor")
    campaign = template.campaigns.create(
        year=2025,
        title="Мониторинг ШНОР",
        self_assessment_due=date(2026, 9, 30),
        verification_due=date(2026, 10, 15),
        evaluation_due=date(2026, 11, 1),
    )
    schools = list(School.objects.order_by("code"))
    # 11 verified cards: 10 «low», 1 «high»; one draft with a level is not counted
    for n, school in enumerate(schools[:12]):
        ExpertCard.objects.create(
            campaign=campaign,
            school=school,
            template_version=1,
            template_snapshot={},
            max_score=17,
            status=ExpertCard.Status.DRAFT if n == 11 else ExpertCard.Status.VERIFIED,
            level="high" if n in (0, 11) else "low",
        )

    levels = public_figures()["levels"]

    assert levels["label"] == "2025/2026"
    assert levels["total"] == 11
    assert levels["rows"] == [("высокая", "<10"), ("средняя", 0), ("низкая", 10)]
    text = _text(client.get(reverse("quality:index")))
    assert "высокая <10 средняя 0 низкая 10" in text


def test_public_pages_take_as_many_queries_for_twice_the_schools(region, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(path: str) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    paths = ["/quality/", "/quality/opendata/shnor-shnsu-lists/meta.csv", "/sitemap.xml", "/quality/feed/"]
    before = [queries(path) for path in paths]
    more = [{**row, "code": f"R{n:02d}"} for n, row in enumerate(_rows(2025, low=5, unf=5))]
    computed_year(2025, more)  # 12 more schools: 24 in 2025

    assert [queries(path) for path in paths] == before


# --- report editions --------------------------------------------------------------------------------
@pytest.fixture
def published_twice(computed):
    first = services.report_build(report_id=services.report_create(kind="annual", year=2025).pk)
    services.report_publish(report_id=first.pk)
    second = services.report_build(report_id=services.report_create(kind="annual", year=2025).pk)
    services.report_publish(report_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


@pytest.mark.slow
def test_republishing_keeps_one_current_edition_and_the_old_one_reachable(published_twice, client):
    first, second = published_twice

    assert (first.edition, second.edition) == (1, 2)
    assert first.superseded_by == second and first.is_published and not first.is_current_edition
    assert Report.objects.filter(series=second.series, is_published=True, superseded_by=None).get() == second
    page = client.get(reverse("quality:index")).content.decode()
    index = page[page.index('id="reports-title"') : page.index('id="search-title"')]
    assert index.count(f'href="{second.get_public_url()}"') == 1
    assert f'href="{first.get_public_url()}">версия 1 от' in index
    assert f'href="{first.get_public_url()}">{first.title}' not in index  # not a row of its own
    old = client.get(first.get_public_url())
    assert old.status_code == 200
    old_text = _text(old)
    assert "Это более ранняя версия отчёта" in old_text
    assert "Действующая версия: версия 2 от" in old_text
    assert client.get(reverse("quality:report-file", args=[first.pk, "pdf"])).status_code == 200


@pytest.mark.slow
def test_withdrawing_the_current_edition_makes_the_earlier_one_current_again(published_twice, inspector):
    first, second = published_twice

    services.report_withdraw(report=second, user=inspector)

    first.refresh_from_db()
    assert first.is_current_edition and first.edition == 1


@pytest.mark.slow
def test_two_current_editions_of_one_report_are_refused_by_the_database(published_twice):
    from django.db import IntegrityError, transaction

    first, _second = published_twice
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=first.pk).update(superseded_by=None)


@pytest.mark.slow
def test_public_report_page_has_the_content_of_the_pdf(published_twice, client):
    _first, second = published_twice
    text = _text(client.get(second.get_public_url()))
    for section in second.public_data["sections"]:
        assert section["title"] in text
    assert "Выводы" in text


# --- the grid and the search ------------------------------------------------------------------------
@pytest.fixture
def documents(catalogue):
    made = []
    for code, number, title in [
        ("1.2", 1, "Приказ об утверждении программы помощи ШНОР"),
        ("2.1", 3, "Положение"),
    ]:
        made.append(
            Document.objects.create(
                title=title,
                kind="managerial",
                direction=Direction.objects.get(code=code),
                stage=CycleStage.objects.get(number=number),
                number=f"01-03/{number}",
                url="https://example.org/doc.pdf",
                text="Текст об объективности процедур оценки" if code == "2.1" else "",
                is_published=True,
                published_at="2026-01-15T10:00:00Z",
            )
        )
    return made


def test_grid_leaves_out_empty_directions_unless_asked(documents, client):
    page = client.get(reverse("quality:index")).content.decode()
    grid = page[page.index('class="data-table quality-grid"') :]
    assert grid.count('<th scope="row">') == 2  # 1.2 and 2.1 of the 9 directions
    assert "Направлений без опубликованных материалов: 7." in page

    everything = client.get(reverse("quality:index") + "?empty=1").content.decode()
    grid = everything[everything.index('class="data-table quality-grid"') :]
    assert grid.count('<th scope="row">') == 9


def test_document_search_finds_words_in_any_letter_case_and_in_the_text(documents, client):
    found = _text(client.get(reverse("quality:index"), {"q": "  ОБЪЕКТИВНОСТИ  "}))
    assert "Найдено документов: 1." in found and "Положение" in found
    assert "Найдено документов: 0." in _text(client.get(reverse("quality:index"), {"q": "бюджет"}))


# --- open data --------------------------------------------------------------------------------------
def _csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_open_data_files_parse_with_the_headers_of_standard_3(region, documents, client, settings):
    settings.OPEN_DATA_INN = "2466000000"
    settings.SITE_URL = "https://portal.example.ru"
    register = _csv_rows(client.get("/quality/opendata/list.csv"))
    assert register[0] == ["property", "title", "value", "format"]
    assert register[1][0] == "standardversion"
    identifiers = [row[0] for row in register[2:]]
    assert identifiers == [
        "2466000000-shnor-shnsu-lists",
        "2466000000-quality-documents",
        "2466000000-analytical-reports",
    ]
    assert (
        register[2][2] == "https://portal.example.ru/quality/opendata/2466000000-shnor-shnsu-lists/meta.csv"
    )

    meta = _csv_rows(client.get("/quality/opendata/2466000000-shnor-shnsu-lists/meta.csv"))
    assert meta[0] == ["property", "value"]
    assert [row[0] for row in meta[1:15]] == opendata.META_PROPERTIES
    data_name, structure_name = meta[15][0], meta[16][0]
    assert re.fullmatch(r"data-\d{8}-structure-20261129", data_name)
    assert structure_name == "structure-20261129"
    assert meta[15][1].endswith(f"/{data_name}.csv")

    structure = _csv_rows(client.get(f"/quality/opendata/2466000000-shnor-shnsu-lists/{structure_name}.csv"))
    assert structure[0] == ["field name", "english description", "russian description", "format"]
    data = _csv_rows(client.get(f"/quality/opendata/2466000000-shnor-shnsu-lists/{data_name}.csv"))
    assert data[0] == [row[0] for row in structure[1:]]
    by_year = {row[0]: row for row in data[1:]}
    # year, municipality, schools, ШНОР, ШНСУ, entered/left ШНОР, entered/left ШНСУ
    assert by_year["2025/2026"][3:] == ["12", "11", "<10", "<10", "0", "<10", "0"]
    assert by_year["2024/2025"][3:] == ["12", "10", "0", "", "", "", ""]

    as_json = json.loads(
        client.get(f"/quality/opendata/2466000000-shnor-shnsu-lists/{data_name}.json").content
    )
    assert as_json[-1]["low_results"] == 11 and as_json[-1]["unfavourable"] == "<10"
    assert (
        json.loads(client.get("/quality/opendata/2466000000-shnor-shnsu-lists/meta.json").content)[
            "identifier"
        ]
        == "2466000000-shnor-shnsu-lists"
    )
    assert (
        client.get(
            "/quality/opendata/2466000000-shnor-shnsu-lists/data-20000101-structure-20261129.csv"
        ).status_code
        == 404
    )


@pytest.mark.slow
def test_open_data_every_data_file_matches_its_structure(region, documents, published_twice, client):
    for data_set in opendata.DATA_SETS:
        base = f"/quality/opendata/{data_set.identifier}/"
        meta = dict(_csv_rows(client.get(base + "meta.csv"))[1:])
        data_name = next(name for name in meta if name.startswith("data-"))
        structure_name = next(name for name in meta if name.startswith("structure-"))
        fields = [row[0] for row in _csv_rows(client.get(base + f"{structure_name}.csv"))[1:]]
        rows = _csv_rows(client.get(base + f"{data_name}.csv"))
        assert rows[0] == fields
        assert all(len(row) == len(fields) for row in rows)
    reports = _csv_rows(client.get(f"/quality/opendata/analytical-reports/{data_name}.csv"))
    assert [row[4:6] for row in reports[1:]] == [["1", "нет"], ["2", "да"]]  # edition, is current


def test_open_data_passport_has_15_rows_and_the_terms_of_use(region, client):
    page = client.get(reverse("quality:opendata-set", args=["shnor-shnsu-lists"])).content.decode()
    passport = page[page.index('class="data-table passport"') : page.index("</table>")]
    assert passport.count("<tr>") == 16  # the header and 15 rows
    assert "Условия использования" in page
    assert client.get(reverse("quality:opendata-set", args=["nothing"])).status_code == 404


# --- feed and sitemap -------------------------------------------------------------------------------
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.slow
def test_feed_lists_publications_and_sitemap_their_addresses(published_twice, documents, client):
    first, second = published_twice
    feed = client.get(reverse("quality:feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert len(entries) == 4  # two report editions, two documents
    assert f"{second.title} (версия 2)" in titles and first.title in titles
    assert not SMALL_NUMBER.search(
        " ".join(e.find(f"{ATOM}summary").text for e in entries).replace("2025/2026", "")
    )

    sitemap = client.get("/sitemap.xml")
    locations = [
        loc.text
        for loc in ET.fromstring(sitemap.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert any(loc.endswith(first.get_public_url()) for loc in locations)
    assert any(loc.endswith(reverse("quality:document-detail", args=[documents[0].pk])) for loc in locations)
    assert any(loc.endswith("/quality/opendata/") for loc in locations)


# --- tagged PDF -------------------------------------------------------------------------------------
@pytest.mark.slow
def test_published_pdf_is_tagged_in_russian_and_masks_small_counts(published_twice):
    _first, second = published_twice
    reader = PdfReader(second.public_pdf.path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "ru"
    text = " ".join(page.extract_text() for page in reader.pages)
    # S3 has 7 students: its row of the annex reads «<10», never 7
    assert "<10" in text
    assert not re.search(r"Школа S3\s+7\b", text)


# --- the version for the visually impaired -----------------------------------------------------------
def test_accessibility_choice_is_kept_in_a_cookie_and_applied_on_the_server(region, client):
    response = client.get(reverse("quality:accessibility"), {"scheme": "black", "next": "/quality/opendata/"})
    assert response.status_code == 302 and response["Location"] == "/quality/opendata/"
    assert client.cookies["a11y"].value == "on.2.black.normal.on"

    client.get(reverse("quality:accessibility"), {"size": "3", "images": "off", "next": "/quality/"})
    page = client.get(reverse("quality:index")).content.decode()
    assert (
        '<html lang="ru" class="a11y a11y-size-3 a11y-scheme-black a11y-spacing-normal a11y-images-off">'
        in page
    )
    assert "Обычная версия сайта" in page

    client.get(reverse("quality:accessibility"), {"mode": "off", "next": "/quality/"})
    assert '<html lang="ru">' in client.get(reverse("quality:index")).content.decode()


def test_accessibility_switch_goes_back_only_to_this_site(client):
    response = client.get(reverse("quality:accessibility"), {"mode": "on", "next": "https://evil.example/"})
    assert response["Location"] == reverse("quality:index")
    response = client.get(reverse("quality:accessibility"), {"mode": "on", "next": "//evil.example/"})
    assert response["Location"] == reverse("quality:index")


# --- the page cache ---------------------------------------------------------------------------------
def test_a_query_string_does_not_bypass_the_cache(region, client, django_assert_num_queries):
    cache.clear()
    first = client.get(reverse("quality:index"))
    with django_assert_num_queries(0):
        again = client.get(reverse("quality:index"), {"utm_source": "x", "nocache": "123"})
    assert again.content == first.content
    with django_assert_num_queries(0):
        client.get(reverse("quality:index"), {"q": ""})  # an empty search is the plain page
    with django_assert_num_queries(0):
        csv_again = client.get("/quality/opendata/list.csv?x=1")
    assert csv_again["Content-Type"] == "text/csv; charset=utf-8"


def test_a_browser_that_accepts_gzip_gets_the_same_page_compressed(region, client):
    import gzip

    cache.clear()
    plain = client.get(reverse("quality:index"))
    packed = client.get(reverse("quality:index"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    # a file under a kilobyte is not worth compressing: it goes as it is
    small = client.get("/quality/opendata/list.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert len(small.content) < 1024 and "Content-Encoding" not in small
    assert small["Content-Type"] == "text/csv; charset=utf-8"


def test_each_accessibility_choice_has_its_own_cached_copy(region, client):
    cache.clear()
    plain = client.get(reverse("quality:index")).content.decode()
    client.cookies["a11y"] = "on.3.blue.wide.off"
    chosen = client.get(reverse("quality:index")).content.decode()
    assert "a11y-scheme-blue" not in plain and "a11y-scheme-blue" in chosen


# --- municipality pages -----------------------------------------------------------------------------
def test_municipality_page_shows_only_its_own_figures(region, client):
    from schools.models import Municipality
    from tests.factories import MunicipalityFactory

    other = MunicipalityFactory(name="Соседний район")
    # 12 more schools, all ШНОР in 2025, in the other municipality: the region has 23, «ours» still 11
    computed_year(
        2025, [{**row, "code": f"Q{n:02d}", "low": True} for n, row in enumerate(_rows(2025, 0, 0))]
    )
    from schools.models import School

    School.objects.filter(code__startswith="Q").update(municipality=other)
    ours = Municipality.objects.exclude(pk=other.pk).get()

    text = _text(client.get(reverse("quality:municipality", args=[ours.code])))
    assert "11 школ в списке ШНОР, 2025/2026" in text
    region_text = _text(client.get(reverse("quality:index")))
    assert "23 школ в списке ШНОР, 2025/2026" in region_text
    # the municipalities table, by name: «Соседний район» 12 schools, 12 ШНОР, ШНСУ 0
    assert "Соседний район 12 12 0" in region_text
    assert client.get(reverse("quality:municipality", args=["NOPE"])).status_code == 404


@pytest.mark.slow
def test_published_copy_ranks_no_school(published_twice, client):
    _first, second = published_twice
    assert any(s["id"] == "ranking" for s in second.data["sections"])  # staff keep the ranking
    assert "Место" in second.data["tables"]["list_low_results"]["headers"]

    public = second.public_data
    assert not any(s["id"] == "ranking" for s in public["sections"])
    assert "ranking_summary" not in public["tables"]
    assert all("Место" not in header for table in public["tables"].values() for header in table["headers"])
    text = " ".join(page.extract_text() for page in PdfReader(second.public_pdf.path).pages)
    assert "Рейтинг" not in text and " из 3" not in text  # «1 из 3»: a place in the cluster of 3
    assert "Место" not in _text(client.get(second.get_public_url()))


def test_charts_draw_a_masked_count_as_its_text_and_keep_it_in_the_table():
    from schools.charts import Series, bar_chart, line_chart

    bars = str(bar_chart(title="Уровни", labels=["высокая", "низкая"], values=["<10", 12], table_open=True))
    assert bars.count("<rect") == 2  # only the 12 has a bar (one per drawing: wide and narrow)
    assert 'class="chart-tick">&lt;10</text>' in bars
    assert '<details class="chart-table" open>' in bars
    assert '<td data-label="Значение">&lt;10</td>' in bars

    lines = str(
        line_chart(
            title="Списки", categories=["2024/2025", "2025/2026"], series=[Series("ШНОР", ["<10", 11])]
        )
    )
    # only 2025/2026 is drawn: one marker in each drawing (wide, narrow), no line from a masked point
    assert lines.count("<circle") == 2 and "<polyline" not in lines
    assert '<td data-label="ШНОР">&lt;10</td>' in lines

"""What people see of the objectivity markers: the staff list with its filters, «почему» on the school
page, the API resource, and the one-action follow-up (data set: objectivity_data.py)."""

import json

import pytest
from django.urls import reverse

from indicators.models import ObjectivityStatus
from indicators.services import statuses_compute
from roadmaps.models import Recommendation, Roadmap, RoadmapItem
from roadmaps.reference import seed as seed_roadmaps
from schools.roles import PRINCIPAL
from tests.factories import UserFactory

from .objectivity_data import build


@pytest.fixture
def world(catalogue, roles):
    seed_roadmaps()
    schools = build()
    statuses_compute(year=2023)
    statuses_compute(year=2024)
    return schools


@pytest.fixture
def principal_n09(world, roles):
    return UserFactory(username="principal_n09", groups=[roles[PRINCIPAL]], school=world["N09"])


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def table_codes(html):
    body = html.split('id="objectivity-table"', 1)[1].split("</table>", 1)[0]
    return [code for code in ("N01", "N02", "N03", "N05", "N07", "N09", "S13") if f">{code} " in body]


def test_staff_list_of_the_year_with_stability_and_the_municipal_note(world, inspector, client_for):
    html = page(client_for(inspector), reverse("indicators:objectivity") + "?year=2024")

    assert "Пороги муниципальные, не федеральные." in html
    assert table_codes(html) == ["N01", "N09"]
    assert "В списке: 2" in html
    n01 = html.split(">N01 ", 1)[1].split("</tr>", 1)[0]
    assert "устойчиво" in n01
    # conduct beside each marker: N01 «понизили» rows — observers no in one, no data in the other; video yes
    assert (
        "наблюдатели: да в 0 из 2 (нет данных: 1); видеонаблюдение: да в 1 из 2 (нет данных: 1); "
        "перепроверка: нет данных" in n01
    )
    n09 = html.split(">N09 ", 1)[1].split("</tr>", 1)[0]
    assert "впервые" in n09 and "устойчиво" not in n09
    # dynamics table: 2023 two listed (N01, N02), 2024 two listed of which one stable
    dynamics = html.split('id="obj-dynamics"', 1)[1].split("</figure>", 1)[1].split("</table>", 1)[0]
    assert '>2023/2024</a></td><td data-label="В списке">2</td><td data-label="Устойчиво">0</td>' in dynamics
    assert '>2024/2025</a></td><td data-label="В списке">2</td><td data-label="Устойчиво">1</td>' in dynamics
    assert "<svg" in html


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("&scope=any", ["N01", "N03", "N05", "N07", "N09"]),
        ("&scope=any&marker=vpr_high_band", ["N03"]),
        ("&marker=medalists_unconfirmed", ["N09"]),
        ("&stable=1", ["N01"]),
    ],
)
def test_list_filters(world, inspector, client_for, query, codes):
    html = page(client_for(inspector), reverse("indicators:objectivity") + "?year=2024" + query)
    assert table_codes(html) == codes


def test_municipality_filter(world, inspector, client_for):
    south = world["S13"].municipality_id
    html = page(
        client_for(inspector),
        reverse("indicators:objectivity") + f"?year=2024&scope=any&municipality={south}",
    )
    assert "Нет школ, отвечающих условиям отбора." in html


def test_principal_sees_own_markers_and_not_the_list(world, principal_n09, client_for):
    client = client_for(principal_n09)
    assert client.get(reverse("indicators:objectivity")).status_code == 403
    html = page(client, reverse("indicators:school", args=["N09"]) + "?year=2024")
    assert "в списке ОО с признаками необъективности" in html
    assert "Претендентов на медаль: 10, не выполнили условия ЕГЭ: 3 (30,0\u00a0%)" in html
    assert "Пороги муниципальные, не федеральные" in html
    assert client.get(reverse("indicators:school", args=["N01"])).status_code == 404


def test_why_page_shows_the_municipality_share_compared(world, inspector, client_for):
    html = page(client_for(inspector), reverse("indicators:school", args=["N03"]) + "?year=2024")
    band = html.split('id="marker-vpr_high_band"', 1)[1].split("</table>", 1)[0]
    assert "Северный муниципальный округ: «5» 12 из 60 — 20,0\u00a0%" in band
    assert "«5» 10 — 50,0\u00a0%" in band
    assert "1 признак" in html


def test_api_scoped_and_filtered(world, inspector, principal_n09, client_for):
    url = reverse("objectivity-list")
    data = client_for(inspector).get(url, {"year": 2024, "in_list": "true"}).json()
    assert sorted(r["school_code"] for r in data["results"]) == ["N01", "N09"]
    n01 = next(r for r in data["results"] if r["school_code"] == "N01")
    assert (n01["markers"], n01["is_stable"], n01["marker_count"]) == (["vpr_lowered", "vpr_raised"], True, 2)
    marked = client_for(inspector).get(url, {"year": 2024, "marker": "kdr_vpr_gap"}).json()
    assert [r["school_code"] for r in marked["results"]] == ["N07"]
    own = client_for(principal_n09).get(url).json()
    assert [(r["school_code"], r["year"]) for r in own["results"]] == [("N09", 2024)]
    assert client_for(None).get(url).status_code == 403


def test_recommendation_in_one_action_once(world, inspector, client_for):
    client = client_for(inspector)
    url = reverse("roadmaps:objectivity-recommendation", args=["N01", 2024])

    response = client.post(url)

    recommendation = Recommendation.objects.get(school=world["N01"])
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmaps:recommendation-update", args=[recommendation.pk])
    assert (recommendation.source_ref, recommendation.status, recommendation.year) == (
        "list:objectivity:2024",
        "draft",
        2024,
    )
    assert recommendation.direction.code == "2.1"
    # observers False / no data and video no data in some rows, re-check never given → all three measures
    assert "присутствие общественных наблюдателей" in recommendation.text
    assert "перепроверку работ" in recommendation.text
    client.post(url)
    assert Recommendation.objects.filter(school=world["N01"]).count() == 1


def test_programme_item_in_one_action_creates_the_programme(world, inspector, client_for):
    client = client_for(inspector)
    url = reverse("roadmaps:objectivity-item", args=["N09", 2024])

    client.post(url)
    client.post(url)

    programme = Roadmap.objects.get(school=world["N09"])
    (item,) = RoadmapItem.objects.filter(roadmap=programme)
    assert (item.number, item.stage.number, item.direction.code) == ("1", 5, "2.1")
    assert item.title.startswith("Обеспечить объективность оценочных процедур:")
    assert item.source_ref == "list:objectivity:2024"
    assert "(список ОО с признаками необъективности результатов, 2024/2025)" in item.notes


def test_no_markers_no_follow_up(world, inspector, client_for):
    response = client_for(inspector).post(reverse("roadmaps:objectivity-recommendation", args=["N02", 2024]))
    assert response.status_code == 302
    assert Recommendation.objects.count() == 0


def test_effect_next_year_in_the_effectiveness_analysis(world, inspector, client_for):
    from roadmaps.effectiveness import effectiveness_report

    effects = {e.school.code: e for e in effectiveness_report(year=2024).objectivity}
    # 2023 markers: N01 and N02 (vpr_lowered, vpr_raised); in 2024 N01 keeps both, N02 has none
    assert set(effects) == {"N01", "N02"}
    assert (effects["N01"].verdict_label, effects["N01"].gone) == ("признаки остались", [])
    assert effects["N02"].verdict_label == "признаки ушли"
    assert effects["N02"].gone == ["ВПР: много «понизили» отметку", "ВПР: много «повысили» отметку"]
    html = page(client_for(inspector), reverse("roadmaps:effectiveness") + "?year=2024")
    section = html.split('id="objectivity-effect"', 1)[1].split("</section>", 1)[0]
    assert "N02 " in section and "признаки ушли" in section


def test_inspector_bound_to_a_municipality_sees_only_its_schools(world, roles, client_for, capsys):
    from django.core.management import call_command

    from schools.models import Profile
    from schools.roles import INSPECTOR

    south_inspector = UserFactory(username="south_inspector", groups=[roles[INSPECTOR]])
    profile, _ = Profile.objects.get_or_create(user=south_inspector)
    profile.municipalities.set([world["S13"].municipality])
    client = client_for(south_inspector)

    # the list: N01 and N09 are in «Северный», out of scope
    html = page(client, reverse("indicators:objectivity") + "?year=2024&scope=any")
    assert "Нет школ, отвечающих условиям отбора." in html
    assert "Северный муниципальный округ" not in html  # nor in the municipality filter
    api = client.get(reverse("objectivity-list"), {"year": 2024}).json()
    assert sorted(r["school_code"] for r in api["results"]) == ["S11", "S12", "S13"]
    n01 = reverse("objectivity-list") + f"{ObjectivityStatus.objects.get(school__code='N01', year=2024).pk}/"
    assert client.get(n01).status_code == 404
    assert client.post(reverse("roadmaps:objectivity-recommendation", args=["N01", 2024])).status_code == 404
    call_command("export_objectivity", "--year", "2024", "--user", "south_inspector")
    assert sorted(item["school_code"] for item in json.loads(capsys.readouterr().out)) == [
        "S11",
        "S12",
        "S13",
    ]

"""Region mode (DESIGN §6) for orders: an inspector drafts for their own municipality and sees only its
orders; the approved list of one municipality is named on that municipality's lists page only."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from documents import services
from documents.models import ApprovedSchool, Order
from schools.errors import NotFound
from schools.models import Municipality, Profile, Region
from schools.reference import seed as seed_roles
from schools.roles import INSPECTOR
from tests.factories import UserFactory
from tests.reports.factories import computed_year, seed_catalogue

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def region(db):
    """S1 (ШНОР) and S2 in the first municipality, S3 (ШНОР) in «Сельский район»; an inspector for each."""
    seed_roles()
    seed_catalogue()
    computed_year(
        YEAR,
        [
            {"code": "S1", "students": 300, "results_index": 10.0, "rank": 1, "low": True, "oge": (9, 80)},
            {"code": "S2", "students": 250, "results_index": 70.0, "rank": 2, "low": False, "oge": (3, 60)},
            {"code": "S3", "students": 120, "results_index": 5.0, "rank": 1, "low": True, "oge": (8, 40)},
        ],
    )
    area = Region.objects.create(name="Тестовая область")
    first = Municipality.objects.get(name="Тестовый муниципальный округ")
    first.region = area
    first.save()
    second = Municipality.objects.create(name="Сельский район", code="selsky", region=area)
    from schools.models import School

    School.objects.filter(code="S3").update(municipality=second)
    group = Group.objects.get(name=INSPECTOR)
    inspectors = []
    for name, place in (("insp1", first), ("insp2", second)):
        user = UserFactory(username=name, groups=[group])
        Profile.objects.create(user=user).municipalities.set([place])
        inspectors.append(user)
    return first, second, *inspectors


def test_an_inspector_drafts_the_lists_of_their_own_municipality_only(region):
    first, second, insp1, insp2 = region

    order = services.order_draft_create(user=insp1, document_kind="lists", year=YEAR)
    services.order_sign(order=order, user=insp1, number="01-03/1", date=datetime.date(2025, 9, 1))

    assert order.municipality == first
    assert list(ApprovedSchool.objects.values_list("school__code", flat=True)) == ["S1"]
    with pytest.raises(NotFound):
        services.order_draft_create(user=insp1, document_kind="lists", year=YEAR, municipality=second)


def test_an_inspector_sees_only_the_orders_of_their_municipality(region, client_for):
    first, second, insp1, insp2 = region
    order = services.order_draft_create(user=insp1, document_kind="lists", year=YEAR)
    other = client_for(insp2)

    assert other.get(reverse("documents:order-detail", args=[order.pk])).status_code == 404
    assert other.get("/api/orders/").json()["count"] == 0
    assert (
        other.post(
            reverse("documents:order-sign", args=[order.pk]), {"number": "1", "date": "2025-09-01"}
        ).status_code
        == 404
    )
    assert Order.objects.get(pk=order.pk).status == "draft"
    assert client_for(insp1).get("/api/orders/").json()["count"] == 1


def test_the_approving_order_is_named_on_its_municipalitys_lists_page_only(region, client_for):
    first, second, insp1, insp2 = region
    order = services.order_draft_create(user=insp1, document_kind="lists", year=YEAR)
    services.order_sign(order=order, user=insp1, number="01-03/1", date=datetime.date(2025, 9, 1))

    own = client_for(insp1).get(reverse("indicators:index"), {"year": YEAR}).content.decode()
    others = client_for(insp2).get(reverse("indicators:index"), {"year": YEAR}).content.decode()
    public = client_for(None).get("/quality/").content.decode()

    assert "Списки утверждены приказом № 01-03/1 от 01.09.2025" in own
    assert "Утверждено приказом: 1." in own and "Расчёт совпадает с утверждённым списком." in own
    assert "Списки утверждены приказом" not in others
    assert (
        "Тестовый муниципальный округ.</strong> Списки утверждены приказом № 01-03/1 от 01.09.2025" in public
    )

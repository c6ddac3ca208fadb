"""The demo (issue 19): a 2025 campaign of each built-in template, and the finished 2024 campaigns of the ШНОР
and of the two municipal monitorings, so that every kind of monitoring has cards in every state, played
through the services by the right people; the same data after a second run."""

import io
from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from monitoring import selectors
from monitoring.models import Campaign, CardChange, ExpertCard

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

BUILTIN = {"lesosibirsk-shnor", "social-conditions", "municipal-programme", "omc-site"}


def _build(out):
    from monitoring import demo as monitoring_demo
    from schools import demo as schools_demo

    schools_demo.build(stdout=out)
    monitoring_demo.build(stdout=out)


def _state():
    """What a second run must not change: every card's status and the number of history entries."""
    return (
        Counter(ExpertCard.objects.values_list("campaign__template__slug", "campaign__year", "status")),
        CardChange.objects.count(),
    )


def _by(card, action):
    return card.changes.get(action=action).user.username


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_reference", stdout=io.StringIO())
    out = io.StringIO()
    _build(out)
    return out.getvalue()


def test_one_campaign_of_each_builtin_template_in_2025_with_cards_in_every_state(demo):
    campaigns = {c.template.slug: c for c in Campaign.objects.filter(year=2025).select_related("template")}
    assert set(campaigns) == BUILTIN
    today = timezone.localdate()
    assert all(c.self_assessment_due > today for c in campaigns.values())  # still open to fill
    # a Russian summary line per campaign
    for campaign in campaigns.values():
        assert f"Мониторинг «{campaign.title}» 2025/2026: " in demo
    # the finished campaigns of the previous year: the ШНОР and the two about municipalities
    previous = {c.template.slug: c for c in Campaign.objects.filter(year=2024).select_related("template")}
    assert set(previous) == {"lesosibirsk-shnor", "municipal-programme", "omc-site"}
    assert all(c.self_assessment_due == date(2025, 9, 30) for c in previous.values())  # the default, past
    for slug in ("municipal-programme", "omc-site"):
        assert f"Мониторинг «{previous[slug].title}» 2024/2025: 3 карт (" in demo


def test_every_kind_of_monitoring_in_the_demo_has_cards_in_every_state(demo):
    """Issue 19: for each template among the demo campaigns (all years), its cards take every state."""
    every = set(ExpertCard.Status.values)
    assert every == {"not_started", "draft", "submitted", "returned", "verified", "evaluated"}
    states: dict[str, set] = {}
    for slug, status in ExpertCard.objects.values_list("campaign__template__slug", "status"):
        states.setdefault(slug, set()).add(status)
    assert set(states) == BUILTIN
    assert states == {slug: every for slug in BUILTIN}


def test_the_municipal_monitorings_take_every_state_over_this_year_and_the_last(demo):
    """Three municipalities, so three cards a campaign: 2025/2026 in progress, 2024/2025 finished."""
    cards = _municipality_cards()
    states = {key: card.status for key, card in cards.items()}
    assert states == {
        ("municipal-programme", 2025, "berezovsky"): "submitted",
        ("municipal-programme", 2025, "kedrovsky"): "evaluated",
        ("municipal-programme", 2025, "ozyorsk"): "draft",
        ("municipal-programme", 2024, "berezovsky"): "returned",
        ("municipal-programme", 2024, "kedrovsky"): "verified",
        ("municipal-programme", 2024, "ozyorsk"): "not_started",
        ("omc-site", 2025, "berezovsky"): "returned",
        ("omc-site", 2025, "kedrovsky"): "verified",
        ("omc-site", 2025, "ozyorsk"): "submitted",
        ("omc-site", 2024, "berezovsky"): "draft",
        ("omc-site", 2024, "kedrovsky"): "evaluated",
        ("omc-site", 2024, "ozyorsk"): "not_started",
    }
    # the previous year's cards were filled before its deadline (30.09.2025) and are closed now
    returned = cards["municipal-programme", 2024, "berezovsky"]
    assert returned.return_message.startswith("К критерию 2.2 приложите отчёт")
    assert returned.reopened_until == returned.campaign.self_assessment_due == date(2025, 9, 30)
    assert returned.submitted_at is not None and returned.self_score == 13
    draft = cards["omc-site", 2024, "berezovsky"]
    assert draft.answers.exclude(evidence="").exists() and draft.self_score is None
    inspector = get_user_model().objects.get(username="inspector")
    for card in (returned, draft):
        refusal = selectors.card_edit_refusal(card=card, user=inspector)
        assert refusal == selectors.DEADLINE_PASSED.format(deadline=date(2025, 9, 30))
    # a card in work has its answers filled; a verified one its score and level
    site = cards["omc-site", 2024, "kedrovsky"]
    assert site.score is not None and site.level and site.verified_at and site.evaluated_at


def _municipality_cards():
    return {
        (c.campaign.template.slug, c.campaign.year, c.municipality.code): c
        for c in ExpertCard.objects.filter(municipality__isnull=False).select_related(
            "campaign__template", "municipality"
        )
    }


def test_municipality_cards_are_filled_by_their_inspector_and_checked_by_the_regional_specialist(demo):
    cards = {(slug, code): card for (slug, year, code), card in _municipality_cards().items() if year == 2025}
    assert len(cards) == 2 * 3
    assert _by(cards["municipal-programme", "berezovsky"], "submitted") == "inspector"
    assert _by(cards["municipal-programme", "kedrovsky"], "submitted") == "inspector2"
    assert _by(cards["municipal-programme", "kedrovsky"], "verified") == "regional"
    assert _by(cards["municipal-programme", "kedrovsky"], "evaluated") == "regional"
    assert _by(cards["omc-site", "berezovsky"], "returned") == "regional"
    assert _by(cards["omc-site", "kedrovsky"], "verified") == "regional"
    assert _by(cards["omc-site", "ozyorsk"], "submitted") == "inspector3"
    # every card was saved by its inspector only
    for code, inspector in (("berezovsky", "inspector"), ("ozyorsk", "inspector3")):
        saved_by = set(
            CardChange.objects.filter(card__municipality__code=code, action="saved").values_list(
                "user__username", flat=True
            )
        )
        assert saved_by == {inspector}
    # municipal programme, kedrovsky: choices 2+2+1+2+2+1 = 10, 2.1 flag 1, 2.2 9/10 ≥ 80 % 2 → 13 of 15;
    # the regional specialist rejects the last claim (2.2): 11 of 15, high from ⌈0.8 × 15⌉ = 12 → medium
    programme = cards["municipal-programme", "kedrovsky"]
    assert (programme.self_score, programme.score, programme.level) == (13, 11, "medium")


def test_social_cards_are_for_kedrovsky_and_ozyorsk_schools_and_checked_by_their_verifiers(demo):
    cards = ExpertCard.objects.filter(campaign__template__slug="social-conditions").select_related("school")
    codes = {c.school.code for c in cards}
    assert codes and all(code[:2] in ("03", "04") for code in codes)
    assert "0101" not in codes
    verified = [c for c in cards if c.status in ("verified", "evaluated")]
    assert {(c.school.code[:2], _by(c, "verified")) for c in verified} == {
        ("03", "inspector2"),
        ("04", "inspector3"),
    }
    assert {_by(c, "submitted") for c in cards if c.status == "submitted"} <= {
        f"principal{n}" for n in range(41, 63)
    }
    # principal1's ШНОР card waits for the browser journey
    assert ExpertCard.objects.get(campaign__year=2025, school__code="0101").status == "not_started"


def test_running_the_demo_again_changes_nothing(demo):
    before = _state()
    _build(io.StringIO())
    assert _state() == before


def test_the_staff_pages_open_with_every_campaign_of_the_demo(demo, client):
    campaigns = list(Campaign.objects.all())  # this year's and the last year's
    cards = list(ExpertCard.objects.filter(campaign__year=2025, status__in=["submitted", "verified"]))
    cards += list(ExpertCard.objects.filter(municipality__isnull=False, campaign__year=2024))
    failures = []
    for username in ("admin", "regional", "inspector", "inspector2", "inspector3"):
        client.force_login(get_user_model().objects.get(username=username))
        urls = ["/", "/dashboard/", "/monitoring/", *[c.get_absolute_url() for c in campaigns + cards]]
        for url in urls:
            status = client.get(url).status_code
            if status not in (200, 302, 404):
                failures.append((username, url, status))
    assert failures == []


def test_the_dashboard_gives_each_staff_member_their_municipality_card_tasks(demo, client):
    from schools.models import Municipality

    berezovsky = Municipality.objects.get(code="berezovsky").name
    check = f"Проверить экспертную карту: {berezovsky}"  # the programme card, submitted by inspector

    def dashboard(username):
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get("/dashboard/")
        assert page.status_code == 200
        return page.content.decode()

    regional, inspector = dashboard("regional"), dashboard("inspector")
    assert check in regional
    assert check not in inspector  # who filled it does not verify it
    assert "Доработать экспертную карту" in inspector  # the sites card regional returned
    # ozyorsk's specialist: their programme card is a draft to finish, their sites card waits for regional
    ozyorsk = Municipality.objects.get(code="ozyorsk").name
    inspector3 = dashboard("inspector3")
    assert "Заполнить экспертную карту" in inspector3
    assert f"Проверить экспертную карту: {ozyorsk}" in regional
    assert f"Проверить экспертную карту: {ozyorsk}" not in inspector3

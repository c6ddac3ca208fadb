"""Campaigns: default deadlines and participants, template snapshots, import/export, reminders."""

import json
from datetime import date

from django.core import mail
from django.utils import timezone

from indicators.models import ComputationRun, SchoolStatus
from indicators.services.overrides import status_override_create
from monitoring.models import CardReminder, ExpertCard
from monitoring.reference import BUILTIN_TEMPLATE
from monitoring.services import (
    campaign_create,
    card_save,
    reminders_send,
    template_as_dict,
    template_file_read,
    template_import,
    template_xlsx_bytes,
)
from tests.factories import SchoolFactory
from tests.monitoring.factories import builtin_template, make_campaign


def test_default_deadlines_and_shnor_participants_with_overrides(school_a, school_b):
    school_c = SchoolFactory(code="C001")
    run = ComputationRun.objects.create(year=2025, started_at=timezone.now())
    SchoolStatus.objects.create(run=run, school=school_a, year=2025, low_results=True)
    SchoolStatus.objects.create(run=run, school=school_b, year=2025, low_results=True)
    SchoolStatus.objects.create(run=run, school=school_c, year=2024, low_results=True)  # another year
    status_override_create(
        school=school_b, year=2025, list_kind="low_results", decision="exclude", reason="решение"
    )
    campaign = campaign_create(year=2025, template=builtin_template())
    assert (campaign.self_assessment_due, campaign.verification_due, campaign.evaluation_due) == (
        date(2026, 9, 30),
        date(2026, 10, 15),
        date(2026, 11, 1),
    )
    assert list(campaign.cards.values_list("school__code", flat=True)) == ["A001"]


def test_no_statuses_gives_no_default_participants(db):
    assert campaign_create(year=2025, template=builtin_template()).cards.count() == 0


def test_editing_the_template_never_changes_a_card_in_work(school_a, school_b, principal_a):
    campaign = make_campaign(schools=[school_a, school_b])
    card_a = campaign.cards.get(school=school_a)
    card_save(
        card_id=card_a.pk,
        user=principal_a,
        version=1,
        today=date(2026, 9, 1),
        answers=[{"criterion": "3.1", "claimed": True}],
    )
    edited = json.loads(json.dumps(BUILTIN_TEMPLATE))
    edited["sections"][2]["criteria"][0]["text"] = "Новая формулировка"
    template = template_import(data=edited)
    assert template.version == 2
    card_a.refresh_from_db()
    assert card_a.template_version == 1
    assert card_a.template_snapshot["sections"][2]["criteria"][0]["text"].startswith("Участие в реализации")
    # a card nobody touched follows the new version at its first save
    card_b = campaign.cards.get(school=school_b)
    from schools.models import Profile
    from tests.factories import UserFactory

    principal_b = UserFactory(username="pb", groups=list(principal_a.groups.all()))
    Profile.objects.create(user=principal_b, school=school_b)
    card_save(card_id=card_b.pk, user=principal_b, version=1, today=date(2026, 9, 1), answers=[])
    card_b.refresh_from_db()
    assert card_b.template_version == 2
    assert card_b.template_snapshot["sections"][2]["criteria"][0]["text"] == "Новая формулировка"


def test_template_round_trips_through_json_and_xlsx(db):
    template = builtin_template()
    data = template_as_dict(template)
    from_xlsx = template_file_read(name="t.xlsx", content=template_xlsx_bytes(template))
    from_json = template_file_read(name="t.json", content=json.dumps(data).encode())
    for read in (from_xlsx, from_json):
        read["slug"] = "copy"
        copy = template_import(data=read)
        copied = template_as_dict(copy)
        assert copied["sections"] == data["sections"]
        assert copied["levels"] == data["levels"]
        copy.delete()


def test_template_errors_name_the_section_and_criterion(db):
    bad = json.loads(json.dumps(BUILTIN_TEMPLATE))
    bad["sections"][1]["criteria"][0]["threshold"] = None
    bad["sections"][0]["criteria"][1]["code"] = "1.1"
    bad["sections"][0]["criteria"][2]["rule"]["measure"] = "average"
    bad["sections"][2]["maximum"] = 5
    from monitoring.services import template_validate

    errors = template_validate(bad)
    assert "Раздел 2, критерий «2.1»: для этого вида нужен порог." in errors
    assert "Раздел 1, критерий «1.1»: код повторяется." in errors
    assert "Раздел 1, критерий «1.3»: «measure» — одно из below_min, high, mark2, mark5." in errors
    assert "Раздел 3: максимум раздела — от 1 до суммы баллов его критериев (1)." in errors


def test_reminders_before_the_deadline_once(school_a, school_b, principal_a, principal_b):
    campaign = make_campaign(schools=[school_a, school_b])  # self-assessment due 30.09.2026, reminder 7 days
    ExpertCard.objects.filter(school=school_b).update(status=ExpertCard.Status.SUBMITTED)
    assert reminders_send(today=date(2026, 9, 22)) == 0
    assert reminders_send(today=date(2026, 9, 23)) == 1
    assert mail.outbox[0].to == ["principal_a@edu.example"]
    assert "до 30.09.2026" in mail.outbox[0].body
    assert reminders_send(today=date(2026, 9, 23)) == 0  # never twice
    assert reminders_send(today=date(2026, 9, 29)) == 1  # and one day before
    assert CardReminder.objects.filter(card__campaign=campaign).count() == 2

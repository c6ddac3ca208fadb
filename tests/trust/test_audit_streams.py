"""Audit beyond django-simple-history: the apps' own append-only logs (expert card changes, inspectors'
status decisions) appear in «Журнал изменений», template criteria keep history, and the admin cannot
delete those records (nor cascade them away by deleting a school or a campaign)."""

import io
import json

import pytest
from django.urls import reverse

from indicators.models import StatusOverride
from monitoring.models import CardChange, CardTemplate, Criterion, ExpertCard
from monitoring.services.templates import template_as_dict
from schools.api.views import SCHOOL_NOT_DELETED
from schools.audit import audit_entries, audit_streams, show_value
from schools.models import School
from tests.factories import SchoolContextFactory
from tests.monitoring.factories import make_open_campaign

LINK = "https://docs.example/plan.pdf"
REASON = "Результаты 2024 года аннулированы приказом № 15 от 03.02.2025"


@pytest.fixture
def campaign(school_a, school_b):
    return make_open_campaign(schools=[school_a, school_b])


def save_draft(client, card, version=1, **answer):
    response = client.post(
        reverse("monitoring:card-save", args=[card.pk]),
        json.dumps({"version": version, "answers": [answer]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response


def override(client, code="A001", **fields):
    data = {"year": 2024, "list_kind": "low_results", "decision": "exclude", "reason": REASON, **fields}
    response = client.post(f"/indicators/school/{code}/override/", data)
    assert response.status_code == 302


def test_a_card_draft_saved_on_the_page_is_in_the_journal_with_who_and_old_new(
    campaign, principal_a, inspector, client_for
):
    card = campaign.cards.get(school__code="A001")
    save_draft(client_for(principal_a), card, criterion="2.3", claimed=True, evidence=LINK)

    staff = client_for(inspector)
    html = staff.get("/audit/").content.decode()
    assert '<option value="monitoring.CardChange">Экспертные карты</option>' in html
    only_cards = staff.get(
        "/audit/", {"model": "monitoring.CardChange", "user": "principal_a"}
    ).content.decode()
    for page in (html, only_cards):
        assert "Экспертная карта: " in page and f'href="{card.get_absolute_url()}"' in page
        assert (
            'критерий 2.3, заявлено руководителем: <span class="audit-old">нет</span> → '
            '<span class="audit-new">да</span>'
        ) in page
        assert f'<span class="audit-new">{LINK}</span>' in page
        assert "principal_a" in page
    entries = audit_entries(model_label="monitoring.CardChange", username="principal_a")
    assert {
        (e.user, e.change_label, e.changes[0].field, e.changes[0].old, e.changes[0].new) for e in entries
    } == {
        ("principal_a", "изменение", "критерий 2.3, заявлено руководителем", "нет", "да"),
        ("principal_a", "изменение", "критерий 2.3, ссылки на подтверждающие документы", "—", LINK),
    }
    assert audit_entries(model_label="monitoring.CardChange", username="inspector_user") == []


def test_a_status_decision_is_in_the_journal_with_its_reason(inspector, principal_a, school_a, client_for):
    override(client_for(inspector))
    assert StatusOverride.objects.count() == 1

    staff = client_for(inspector)
    for query in ({}, {"model": "indicators.StatusOverride", "user": "inspector_user"}):
        html = staff.get("/audit/", query).content.decode()
        assert "Решение инспектора о статусе: " in html and f"{school_a}, 2024/2025" in html
        assert 'ШНОР: <span class="audit-new">исключить из списка</span>' in html
        assert f"Обоснование: {REASON}" in html and "inspector_user" in html
    assert (
        staff.get("/audit/", {"model": "indicators.StatusOverride", "user": "principal_a"})
        .content.decode()
        .count(REASON)
        == 0
    )


def test_the_journal_merges_every_source_newest_first_and_pages_across_them(
    campaign, inspector, principal_a, school_a, client_for
):
    context = SchoolContextFactory(school=school_a, year=2024, students=200)
    context.students, context._history_user = 210, inspector
    context.save()
    card = campaign.cards.get(school__code="A001")
    save_draft(client_for(principal_a), card, criterion="2.3", comment="Есть приказ")
    override(client_for(inspector))

    newest = audit_entries(limit=3)
    assert [e.model_label for e in newest] == [
        "indicators.StatusOverride",
        "monitoring.CardChange",
        "schools.SchoolContext",
    ]
    assert [e.model_label for e in audit_entries(limit=1, offset=1)] == ["monitoring.CardChange"]
    whens = [e.when for e in audit_entries(limit=200)]
    assert whens == sorted(whens, reverse=True)


def test_journal_queries_do_not_grow_with_card_changes_and_decisions(
    campaign, inspector, principal_a, school_a, client_for, django_assert_max_num_queries
):
    client = client_for(principal_a)
    card = campaign.cards.get(school__code="A001")
    for version in range(1, 31):
        save_draft(client, card, version=version, criterion="2.3", comment=f"правка {version}")
    staff = client_for(inspector)
    for n in range(30):
        override(staff, reason=f"{REASON}, пункт {n}")
    # One query per source, the session and the user; stream entries need no query of their own.
    with django_assert_max_num_queries(len(audit_streams()) + 5):
        page = staff.get("/audit/", {"model": "monitoring.CardChange"})
    assert page.content.decode().count('<td data-label="Когда">') == 30 + 2  # saves, and both cards created
    with django_assert_max_num_queries(len(audit_streams()) + 5):
        page = staff.get("/audit/", {"model": "indicators.StatusOverride"})
    assert page.content.decode().count(f"Обоснование: {REASON}") == 30


# --- the admin cannot delete append-only records -------------------------------------------------


def admin_delete(client, obj):
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
    return client.get(url).status_code, client.post(url, {"post": "yes"}).status_code


def admin_bulk_delete(client, obj):
    meta = obj._meta
    return client.post(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )


@pytest.fixture
def protected(campaign, inspector, principal_a, client_for):
    card = campaign.cards.get(school__code="A001")
    save_draft(client_for(principal_a), card, criterion="2.3", claimed=True, evidence=LINK)
    override(client_for(inspector))
    return {
        "card": card,
        "change": CardChange.objects.filter(card=card).first(),
        "override": StatusOverride.objects.get(),
    }


@pytest.mark.parametrize("kind", ["override", "card", "change"])
def test_the_administrator_cannot_delete_decisions_cards_or_card_history(
    kind, protected, administrator, client_for
):
    admin = client_for(administrator)
    obj = protected[kind]
    assert admin_delete(admin, obj) == (403, 403)
    changelist = admin.get(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist"))
    assert changelist.status_code == 200 and 'value="delete_selected"' not in changelist.content.decode()
    admin_bulk_delete(admin, obj)
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert (StatusOverride.objects.count(), ExpertCard.objects.count()) == (1, 2)
    assert CardChange.objects.filter(card=protected["card"], action=CardChange.Action.SAVED).count() == 2


def test_deleting_a_school_or_campaign_in_the_admin_cannot_cascade_them_away(
    protected, campaign, school_a, administrator, client_for
):
    admin = client_for(administrator)
    url = reverse("admin:monitoring_campaign_delete", args=[campaign.pk])
    page = admin.get(url).content.decode()
    assert "не имеет прав для удаления следующих типов объектов" in page
    assert all(f"<li>{kind}</li>" in page for kind in ["экспертная карта", "изменение карты"])
    assert admin.post(url, {"post": "yes"}).status_code == 403
    # A school's cards are protected in the model itself (PROTECT), so every path refuses, the admin too.
    url = reverse("admin:schools_school_delete", args=[school_a.pk])
    page = admin.get(url).content.decode()
    assert "Не удается удалить" in page and "кспертная карта" in page
    admin.post(url, {"post": "yes"})
    assert School.objects.filter(pk=school_a.pk).exists()
    assert ExpertCard.objects.filter(pk=protected["card"].pk).exists()
    assert StatusOverride.objects.filter(pk=protected["override"].pk).exists()
    assert CardChange.objects.filter(card=protected["card"]).count() >= 3


# --- template criteria keep history ----------------------------------------------------------------


def test_an_admin_edit_of_a_used_criterion_is_in_the_journal_and_cards_keep_their_version(
    campaign, principal_a, administrator, client_for
):
    card = campaign.cards.get(school__code="A001")
    save_draft(client_for(principal_a), card, criterion="2.3", claimed=True, evidence=LINK)
    template = campaign.template
    old_version = template.version
    criterion = Criterion.objects.get(section__template=template, code="2.3")
    data = {
        "section": criterion.section_id,
        "order": criterion.order,
        "code": criterion.code,
        "text": criterion.text,
        "method": criterion.method,
        "points": criterion.points + 1,
        "kind": criterion.kind,
        "threshold": "" if criterion.threshold is None else str(criterion.threshold),
        "rule": json.dumps(criterion.rule),
        "periodicity": criterion.periodicity,
        "source": criterion.source,
        "evidence_required": "on" if criterion.evidence_required else "",
    }
    response = client_for(administrator).post(
        reverse("admin:monitoring_criterion_change", args=[criterion.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    (entry,) = audit_entries(model_label="monitoring.Criterion", username="admin_user")
    assert (entry.change, entry.model_name) == ("~", "критерий")
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("баллов", str(criterion.points), str(criterion.points + 1))
    ]
    assert CardTemplate.objects.get(pk=template.pk).version == old_version + 1
    card.refresh_from_db()
    assert card.template_version == old_version  # the card in work keeps the version it is filled with


def test_replacing_a_used_template_by_upload_leaves_the_old_criteria_in_the_journal(
    campaign, inspector, client_for
):
    data = template_as_dict(campaign.template)
    old_text = data["sections"][0]["criteria"][0]["text"]
    data["sections"][0]["criteria"][0]["text"] = "Новая формулировка показателя"
    upload = io.BytesIO(json.dumps(data, ensure_ascii=False).encode())
    upload.name = "шаблон.json"
    response = client_for(inspector).post(reverse("monitoring:template-list"), {"file": upload})
    assert response.status_code == 302

    entries = audit_entries(model_label="monitoring.Criterion", username="inspector_user", limit=500)
    removed = [e for e in entries if e.change == "-"]
    added = [e for e in entries if e.change == "+"]
    assert len(removed) == len(added) == sum(len(s["criteria"]) for s in data["sections"])
    removed_values = {(c.field, c.old, c.new) for e in removed for c in e.changes}
    added_values = {(c.field, c.old, c.new) for e in added for c in e.changes}
    assert ("показатель", show_value(old_text), "") in removed_values
    assert ("показатель", "", "Новая формулировка показателя") in added_values


def test_deleting_a_school_through_the_api_keeps_its_cards_and_their_log(
    campaign, principal_a, inspector, client_for
):
    card = campaign.cards.get(school__code="A001")
    save_draft(client_for(principal_a), card, criterion="2.3", claimed=True, evidence=LINK)
    changes = CardChange.objects.filter(card=card).count()

    response = client_for(inspector).delete("/api/schools/A001/")

    assert (response.status_code, response.json()["detail"]) == (409, SCHOOL_NOT_DELETED)
    assert School.objects.filter(code="A001").exists()
    assert ExpertCard.objects.filter(pk=card.pk).exists()
    assert CardChange.objects.filter(card=card).count() == changes > 0


def test_deleting_a_school_through_the_api_keeps_the_inspectors_status_decisions(
    school_a, inspector, client_for
):
    override(client_for(inspector))
    decision = StatusOverride.objects.get(school=school_a)

    response = client_for(inspector).delete("/api/schools/A001/")

    assert (response.status_code, response.json()["detail"]) == (409, SCHOOL_NOT_DELETED)
    assert StatusOverride.objects.filter(pk=decision.pk, reason=REASON).exists()

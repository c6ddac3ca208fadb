"""The template editor: every change is a new version, cards keep theirs, concurrent edits are refused
with both values, only staff edit."""

from datetime import date

import pytest

from monitoring import services
from monitoring.models import CardAnswer, CardTemplate, ExpertCard
from monitoring.services import editor
from tests.monitoring.factories import builtin_template, make_campaign

TODAY = date(2026, 9, 1)
NEW = {"code": "4.1", "text": "Сайт ОО обновлён", "kind": "flag", "points": 1, "evidence_required": True}


@pytest.fixture
def template(db):
    template = editor.template_create(slug="site", title="Сайты", subject="school")
    template = editor.template_section_save(template=template, version=1, number=None, title="Сайт")
    return template


def test_new_template_is_built_one_change_at_a_time(template):
    assert template.version == 2
    template = editor.template_criterion_save(
        template=template, version=2, section_number=1, code=None, criterion=dict(NEW)
    )
    template = editor.template_criterion_save(
        template=template,
        version=3,
        section_number=1,
        code=None,
        criterion={**NEW, "code": "4.2", "text": "Есть раздел «Качество»", "points": 2},
    )
    template = editor.template_criterion_move(template=template, version=4, code="4.2", step=-1)
    data = services.template_as_dict(template)
    # the section's maximum follows its full total: 1 + 2 = 3
    assert [c["code"] for c in data["sections"][0]["criteria"]] == ["4.2", "4.1"]
    assert (data["sections"][0]["maximum"], template.version) == (3, 5)
    template = editor.template_criterion_remove(template=template, version=5, code="4.2")
    data = services.template_as_dict(template)
    assert [c["code"] for c in data["sections"][0]["criteria"]] == ["4.1"]
    assert data["sections"][0]["maximum"] == 1


def test_a_stale_version_changes_nothing(template):
    editor.template_criterion_save(
        template=template, version=2, section_number=1, code=None, criterion=dict(NEW)
    )
    stale = CardTemplate.objects.get(pk=template.pk)
    with pytest.raises(editor.TemplateConflict) as conflict:
        editor.template_criterion_save(
            template=stale, version=2, section_number=1, code=None, criterion={**NEW, "code": "4.9"}
        )
    assert conflict.value.message == editor.TEMPLATE_CONFLICT.format(current=3, seen=2)
    codes = [c["code"] for c in services.template_as_dict(stale)["sections"][0]["criteria"]]
    assert codes == ["4.1"]


def test_invalid_criterion_is_refused_in_russian(template):
    with pytest.raises(editor.TemplateEditError) as refused:
        editor.template_criterion_save(
            template=template, version=2, section_number=1, code=None, criterion={**NEW, "kind": "share"}
        )
    assert "Раздел 1, критерий «4.1»: для этого вида нужен порог." in refused.value.errors
    assert CardTemplate.objects.get(pk=template.pk).version == 2


def test_editing_a_template_with_cards_splits_versions(school_a, school_b, principal_a, inspector):
    template = builtin_template()
    campaign = make_campaign(schools=[school_a, school_b], user=inspector)
    started = ExpertCard.objects.get(campaign=campaign, school=school_a)
    services.card_save(
        card_id=started.pk,
        user=principal_a,
        version=started.version,
        answers=[{"criterion": "3.1", "claimed": True}],
        today=TODAY,
    )
    editor.template_criterion_save(
        template=template,
        version=template.version,
        section_number=3,
        code=None,
        criterion={**NEW, "code": "3.2", "text": "Наставничество педагогов"},
    )
    template.refresh_from_db()
    assert template.version == 2
    started.refresh_from_db()
    # the card in work keeps version 1: 17 criteria, maximum 17
    assert (started.template_version, started.max_score, started.answers.count()) == (1, 17, 17)
    # the untouched card follows version 2 at its first save: 18 criteria, maximum 18
    other = ExpertCard.objects.get(campaign=campaign, school=school_b)
    from django.contrib.auth.models import Group

    from schools.roles import PRINCIPAL
    from tests.factories import UserFactory

    principal_b = UserFactory(username="pb", groups=[Group.objects.get(name=PRINCIPAL)], school=school_b)
    other = services.card_save(
        card_id=other.pk,
        user=principal_b,
        version=other.version,
        answers=[{"criterion": "3.2", "claimed": True}],
        today=TODAY,
    )
    assert (other.template_version, other.max_score) == (2, 18)
    assert CardAnswer.objects.get(card=other, criterion_code="3.2").claimed


def test_editor_pages_staff_only_and_conflict_form_shows_both_values(
    template, client_for, inspector, principal_a
):
    editor.template_criterion_save(
        template=template, version=2, section_number=1, code=None, criterion=dict(NEW)
    )
    assert client_for(principal_a).get("/monitoring/templates/site/edit/").status_code == 403
    client = client_for(inspector)
    page = client.get("/monitoring/templates/site/edit/")
    assert page.status_code == 200 and "Сайт ОО обновлён" in page.content.decode()
    form = {
        "version": 3,
        "section": 1,
        "code": "4.1",
        "text": "Сайт ОО обновлён вовремя",
        "kind": "flag",
        "points": 1,
        "evidence_required": "on",
    }
    assert client.post("/monitoring/templates/site/criteria/4.1/edit/", form).status_code == 302
    # a second person whose form was opened at version 3 writes another text
    stale = client.post("/monitoring/templates/site/criteria/4.1/edit/", {**form, "text": "Сайт ведётся"})
    body = stale.content.decode()
    assert stale.status_code == 409
    assert "Сайт ОО обновлён вовремя" in body and "Сайт ведётся" in body
    data = services.template_as_dict(CardTemplate.objects.get(slug="site"))
    assert data["sections"][0]["criteria"][0]["text"] == "Сайт ОО обновлён вовремя"


def test_preview_shows_the_card_as_the_filler_sees_it(template, client_for, inspector):
    editor.template_criterion_save(
        template=template,
        version=2,
        section_number=1,
        code=None,
        criterion={
            "code": "c",
            "text": "Раздел о качестве",
            "kind": "choice",
            "points": 0,
            "options": [
                {"value": "no", "label": "нет", "points": 0},
                {"value": "yes", "label": "есть", "points": 2},
            ],
        },
    )
    body = client_for(inspector).get("/monitoring/templates/site/preview/").content.decode()
    assert "Раздел о качестве" in body and "есть (2 балл.)" in body


def test_settings_conflict_shows_both_versions_and_values(template, client_for, inspector):
    client = client_for(inspector)
    form = {
        "version": 2,
        "title": "Сайты школ",
        "description": "",
        "subject": "school",
        "participants": "all_schools",
        "high": "0.8",
        "medium": "0.6",
    }
    assert client.post("/monitoring/templates/site/settings/", form).status_code == 302
    stale = client.post("/monitoring/templates/site/settings/", {**form, "title": "Сайты ОО"})
    body = stale.content.decode()
    assert stale.status_code == 409
    assert "Версия шаблона" in body and "Сайты школ" in body and "Сайты ОО" in body
    assert CardTemplate.objects.get(slug="site").title == "Сайты школ"


def test_every_edit_leaves_a_history_row_of_the_template(template):
    template = editor.template_settings_update(template=template, version=2, title="Сайты школ")
    latest = template.history.first()
    assert (latest.title, latest.version, latest.history_change_reason) == (
        "Сайты школ",
        3,
        "редактор шаблона: версия 3",
    )

"""A refused form save re-renders the card with everything the user entered and errors at the criteria."""

from django.urls import reverse

from monitoring.models import CardAnswer, ExpertCard
from monitoring.services.cards import EVIDENCE_INVALID, EVIDENCE_REQUIRED, REJECT_NEEDS_COMMENT
from tests.monitoring.factories import post_verdicts, submit_claims_in_form, submit_new_card_form

LINK = "https://docs.example/plan.pdf"


def _article(html: str, code: str) -> str:
    return html.split(f'id="c-{code}"', 1)[1].split("</article>", 1)[0]


def _submitted(campaign, client_for, principal_a):
    card = campaign.cards.get(school__code="A001")
    submit_claims_in_form(client_for(principal_a), card, link=LINK)
    card.refresh_from_db()
    assert (card.status, card.version) == (ExpertCard.Status.SUBMITTED, 3)
    return card


def test_refused_verdicts_keep_every_decision_and_show_the_error_at_its_criterion(
    campaign, client_for, principal_a, inspector
):
    card = _submitted(campaign, client_for, principal_a)
    response = post_verdicts(
        client_for(inspector),
        card,
        version=3,
        verdicts={"2.3": "confirmed", "3.1": "rejected"},
        comments={"2.3": "приказ найден", "3.1": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    first, second = _article(html, "2.3"), _article(html, "3.1")
    assert 'name="verdict-2.3" value="confirmed" checked' in first and "приказ найден</textarea>" in first
    assert 'name="verdict-3.1" value="rejected" checked' in second
    assert REJECT_NEEDS_COMMENT in second and REJECT_NEEDS_COMMENT not in first
    assert 'aria-invalid="true"' in second
    assert 'Исправьте отмеченные критерии: <a href="#c-3.1">3.1</a>' in html
    assert "3.1: " + REJECT_NEEDS_COMMENT not in html  # no joined message at the top
    assert (
        list(CardAnswer.objects.filter(card=card, claimed=True).values_list("verdict", flat=True))
        == ["pending"] * 2
    )


def test_refused_verification_shows_the_undecided_criteria_inline(
    campaign, client_for, principal_a, inspector
):
    card = _submitted(campaign, client_for, principal_a)
    staff = client_for(inspector)
    post_verdicts(staff, card, version=3, verdicts={"2.3": "confirmed"})
    response = staff.post(reverse("monitoring:card-verify", args=[card.pk]), {"version": 4})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Подтвердите или отклоните балл." in _article(html, "3.1")
    assert "Подтвердите или отклоните балл." not in _article(html, "2.3")
    assert 'name="verdict-2.3" value="confirmed" checked' in _article(html, "2.3")
    card.refresh_from_db()
    assert card.status == ExpertCard.Status.SUBMITTED


def test_refused_submit_keeps_the_principals_input_and_marks_the_criterion(campaign, client_for, principal_a):
    card = campaign.cards.get(school__code="A001")
    response = submit_new_card_form(
        client_for(principal_a),
        card,
        {
            "a-2.3-claimed": "on",
            "a-2.3-evidence": "",
            "a-2.3-comment": "диагностика в октябре",
            "a-2.1-numerator": "4",
            "a-2.1-denominator": "5",
            "a-2.1-evidence": LINK,
            "a-3.1-evidence": "",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    criterion = _article(html, "2.3")
    assert f'data-error-for="evidence" role="alert">{EVIDENCE_REQUIRED}</p>' in criterion
    assert 'name="a-2.3-claimed" value="on" data-field="claimed" checked' in criterion
    assert "диагностика в октябре</textarea>" in criterion
    shares = _article(html, "2.1")
    assert 'name="a-2.1-numerator" value="4"' in shares and LINK in shares and EVIDENCE_REQUIRED not in shares
    assert "Карта не отправлена" in html and 'Исправьте отмеченные критерии: <a href="#c-2.3">2.3</a>' in html
    assert "2.3: " + EVIDENCE_REQUIRED not in html
    card.refresh_from_db()  # the refused submit wrote nothing, the form still has the same version
    assert (card.status, card.version) == (ExpertCard.Status.NOT_STARTED, 1)
    assert 'name="version" value="1"' in html


def test_refused_plain_save_shows_a_bad_link_at_its_criterion(campaign, client_for, principal_a):
    card = campaign.cards.get(school__code="A001")
    response = client_for(principal_a).post(
        reverse("monitoring:card-save", args=[card.pk]),
        {
            "version": 1,
            "a-2.4-evidence": "не ссылка",
            "a-2.4-comment": "черновик",
            "a-2.1-numerator": "x7",
            "a-2.1-denominator": "5",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert EVIDENCE_INVALID.format(link="не") in _article(html, "2.4") and "черновик</textarea>" in _article(
        html, "2.4"
    )
    shares = _article(html, "2.1")
    assert (
        'name="a-2.1-numerator" value="x7"' in shares and "«x7» — не целое неотрицательное число." in shares
    )
    assert 'Исправьте отмеченные критерии: <a href="#c-2.4">2.4</a>, <a href="#c-2.1">2.1</a>' in html


def test_campaign_list_action_column_has_a_header(campaign, client_for, inspector):
    html = client_for(inspector).get(reverse("monitoring:index")).content.decode()
    assert '<th scope="col"></th>' not in html and '<th scope="col">Действия</th>' in html

"""`selectors.card_actions`: what a user may do with a card, the one rule that pages, templates and
services share; and the card templates read it instead of repeating it."""

import re
from datetime import date
from pathlib import Path

import pytest

from monitoring.models import CardAnswer, ExpertCard
from monitoring.rules import is_finding
from monitoring.selectors import card_actions
from tests.monitoring.factories import make_campaign

S = ExpertCard.Status
BEFORE = date(2026, 9, 1)  # before the self-assessment deadline 30.09.2026
AFTER = date(2026, 10, 1)  # after it
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "monitoring"
STAFF_ACTIONS = ["verdicts", "verify", "return_for_revision", "reopen", "evaluate", "remove"]


@pytest.fixture
def card(school_a):
    return make_campaign(schools=[school_a]).cards.get()


def _staff_actions(actions) -> list[str]:
    return [name for name in STAFF_ACTIONS if getattr(actions, name)]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.NOT_STARTED, ["reopen", "remove"]),
        (S.DRAFT, ["reopen"]),
        (S.RETURNED, ["reopen"]),
        (S.SUBMITTED, ["verdicts", "verify", "return_for_revision", "reopen"]),
        (S.VERIFIED, ["evaluate"]),
        (S.EVALUATED, []),
    ],
)
def test_staff_actions_by_state(card, inspector, status, expected):
    card.status = status
    actions = card_actions(card=card, user=inspector, today=BEFORE)
    assert _staff_actions(actions) == expected
    assert (actions.fill, actions.submit, actions.forget_draft) == (False, False, False)


@pytest.mark.parametrize(
    ("status", "today", "fill", "forget_draft"),
    [
        (S.NOT_STARTED, BEFORE, True, False),
        (S.DRAFT, BEFORE, True, False),
        (S.RETURNED, BEFORE, True, False),
        (S.DRAFT, AFTER, False, False),  # the deadline has passed, the card is still theirs
        (S.SUBMITTED, BEFORE, False, True),
        (S.VERIFIED, BEFORE, False, True),
    ],
)
def test_principal_fills_their_card_until_the_deadline(card, principal_a, status, today, fill, forget_draft):
    card.status = status
    actions = card_actions(card=card, user=principal_a, today=today)
    assert (actions.fill, actions.submit, actions.forget_draft) == (fill, fill, forget_draft)
    assert _staff_actions(actions) == []
    assert actions.recommend == frozenset()


def test_refusals_say_why_in_russian(card, principal_a, principal_b):
    assert card_actions(card=card, user=principal_b, today=BEFORE).refusal == (
        "Заполнять карту может только руководитель этой школы."
    )
    card.status = S.SUBMITTED
    assert card_actions(card=card, user=principal_a, today=BEFORE).refusal == (
        "Карта в состоянии «отправлена»: изменить её сейчас нельзя."
    )
    card.status = S.DRAFT
    assert card_actions(card=card, user=principal_a, today=AFTER).refusal == (
        "Срок самооценки истёк 30.09.2026: карта доступна только для просмотра. "
        "Чтобы открыть её снова, обратитесь в управление образования."
    )


def test_reopened_card_may_be_filled_after_the_deadline(card, principal_a):
    card.reopened_until = date(2026, 10, 5)
    assert card_actions(card=card, user=principal_a, today=AFTER).fill is True
    assert card_actions(card=card, user=principal_a, today=date(2026, 10, 6)).fill is False


@pytest.mark.parametrize(
    ("status", "verdict", "points", "finding"),
    [
        (S.SUBMITTED, CardAnswer.Verdict.REJECTED, 0, True),  # rejected while checking
        (S.SUBMITTED, CardAnswer.Verdict.PENDING, 0, False),  # not checked yet
        (S.VERIFIED, CardAnswer.Verdict.PENDING, 0, True),  # unclaimed, no points once checked
        (S.EVALUATED, CardAnswer.Verdict.CONFIRMED, 1, False),
        (S.VERIFIED, CardAnswer.Verdict.CONFIRMED, 1, False),
    ],
)
def test_finding_rule(status, verdict, points, finding):
    assert is_finding(status=status, verdict=verdict, points=points) is finding


def test_staff_may_recommend_from_the_findings_only(card, inspector, principal_a):
    CardAnswer.objects.filter(card=card, criterion_code="3.1").update(
        claimed=True, verdict=CardAnswer.Verdict.REJECTED
    )
    CardAnswer.objects.filter(card=card, criterion_code="2.4").update(
        claimed=True, verdict=CardAnswer.Verdict.CONFIRMED, points=1
    )
    card = ExpertCard.objects.get(pk=card.pk)
    card.status = S.SUBMITTED
    assert card_actions(card=card, user=inspector).recommend == {"3.1"}
    card.status = (
        S.VERIFIED
    )  # now every criterion without points is a finding: 17 criteria, 2.4 has its point
    recommend = card_actions(card=card, user=inspector).recommend
    assert (len(recommend), "2.4" in recommend, "3.1" in recommend) == (16, False, True)
    assert card_actions(card=card, user=principal_a).recommend == frozenset()


# --- the templates read the actions and repeat no rule ------------------------------------------------

RULE_INPUTS = re.compile(r"\.(status|score|verdict|points|claimed)\b")  # what the rules decide from
TAG = re.compile(
    r"{%\s*(if|elif|else|endif)\b(.*?)%}|{%\s*url\s+'monitoring:(card-[a-z]+|campaign-participants)'"
)


def _guards_of_action_urls(text: str) -> list[tuple[str, list[str]]]:
    """Each action address in a template with the conditions of the {% if %} blocks around it."""
    found, stack = [], []
    for match in TAG.finditer(text):
        tag, condition, url = match.groups()
        if url:
            found.append((url, list(stack)))
        elif tag == "if":
            stack.append(condition.strip())
        elif tag in ("elif", "else"):
            stack[-1] = condition.strip()
        else:
            stack.pop()
    return found


@pytest.mark.parametrize("name", ["card_detail.html", "includes/card_section.html", "campaign_detail.html"])
def test_card_templates_read_actions_and_repeat_no_permission_rule(name):
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    guarded = _guards_of_action_urls(text)
    assert guarded
    for url, conditions in guarded:
        if url == "campaign-participants" and not conditions:
            continue  # the form that adds schools: the page is staff-only
        assert conditions and "actions." in conditions[-1], (name, url, conditions)
        assert not [c for c in conditions if RULE_INPUTS.search(c)], (name, url)

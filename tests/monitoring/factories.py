"""Helpers for monitoring tests: the built-in template, a campaign and card saves and submits."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from monitoring.models import CardTemplate
from monitoring.reference import BUILTIN_SLUG, seed
from monitoring.services import campaign_create, card_save

# The 17 criteria of the built-in template, in the order of its card.
BUILTIN_CRITERION_CODES = [
    "1.1",
    "1.2",
    "1.3",
    "1.4",
    "1.5",
    "1.6",
    "1.7",
    "1.8",
    "1.9",
    "1.10",
    "1.11",
    "1.12",
    "2.1",
    "2.2",
    "2.3",
    "2.4",
    "3.1",
]


def builtin_template() -> CardTemplate:
    seed()
    return CardTemplate.objects.get(slug=BUILTIN_SLUG)


def make_campaign(
    *, schools, year=2025, due=(date(2026, 9, 30), date(2026, 10, 15), date(2026, 11, 1)), user=None
):
    return campaign_create(
        year=year,
        template=builtin_template(),
        user=user,
        self_assessment_due=due[0],
        verification_due=due[1],
        evaluation_due=due[2],
        school_ids=[s.pk for s in schools],
    )


def make_open_campaign(*, schools):
    """A campaign whose three deadlines are 10, 20 and 30 days from today: every stage is still open."""
    today = timezone.localdate()
    return make_campaign(
        schools=schools,
        due=(today + timedelta(days=10), today + timedelta(days=20), today + timedelta(days=30)),
    )


def save_new_card(card, user, *, today, answers):
    """The first save of a card still at version 1."""
    return card_save(card_id=card.pk, user=user, version=1, today=today, answers=answers)


def submit_new_card_form(client, card, answers: dict):
    """The plain-form submit of a card at version 1: the form carries the claim boxes of 2.3 and 3.1
    (`present`, since an unticked box is absent from the POST) and the fields in `answers`."""
    return client.post(
        reverse("monitoring:card-submit", args=[card.pk]),
        {"version": 1, "present": ["2.3", "3.1"], **answers},
    )


def submit_claims_in_form(client, card, *, link):
    """The principal's plain-form submit of a new card claiming 2.3 and 3.1 with `link` as evidence."""
    return submit_new_card_form(
        client,
        card,
        {"a-2.3-claimed": "on", "a-2.3-evidence": link, "a-3.1-claimed": "on", "a-3.1-evidence": link},
    )


def post_verdicts(client, card, *, version, verdicts: dict, comments: dict | None = None):
    """The verifier's plain-form verdicts on `card` at `version`: `verdicts` and `comments` by criterion."""
    fields = {f"verdict-{code}": verdict for code, verdict in verdicts.items()}
    fields |= {f"vcomment-{code}": comment for code, comment in (comments or {}).items()}
    return client.post(
        reverse("monitoring:card-verdicts", args=[card.pk]),
        {"version": version, "verdict-codes": list(verdicts), **fields},
    )

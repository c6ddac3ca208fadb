"""Campaigns: creation with default deadlines, participants (cards), reminders."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from schools.errors import ValidationFailed

from ..models import Campaign, CardAnswer, CardChange, CardReminder, CardTemplate, ExpertCard
from ..rules import EDITABLE, STAFF_ACTION_STATUSES, principal_deadline, snapshot_criteria, snapshot_maximum
from ..selectors import default_participant_ids
from .computed import cards_refresh_computed
from .templates import template_as_dict

CAMPAIGN_EXISTS = "Мониторинг {year}/{next} по шаблону «{template}» уже есть."
DEADLINES_ORDER = "Сроки этапов должны идти по порядку: самооценка ≤ контроль объективности ≤ оценка."
PARTICIPANT_HAS_WORK = "Школу {school} нельзя исключить: её карта уже в работе ({status})."
MUNICIPALITY_HAS_WORK = "Муниципалитет «{school}» нельзя исключить: его карта уже в работе ({status})."
TEMPLATE_EMPTY = "В шаблоне «{template}» нет критериев: добавьте их в редакторе шаблона."


class CampaignError(ValidationFailed):
    pass


def default_deadlines(year: int) -> tuple[date, date, date]:
    """Stages of the campaign for academic year Y (seed 002, §3.3): 30.09, 15.10, 01.11 of Y + 1."""
    return date(year + 1, 9, 30), date(year + 1, 10, 15), date(year + 1, 11, 1)


def _card_objects(campaign: Campaign, subject_ids: Iterable[int], snapshot: dict) -> list[ExpertCard]:
    field = _subject_field(campaign)
    return [
        ExpertCard(
            campaign=campaign,
            **{field: subject_id},
            template_version=snapshot["version"],
            template_snapshot=snapshot,
            max_score=snapshot_maximum(snapshot),
        )
        for subject_id in subject_ids
    ]


def _subject_field(campaign: Campaign) -> str:
    """`school_id` or `municipality_id`: what the campaign's cards are about (the template's subject)."""
    return (
        "municipality_id" if campaign.template.subject == CardTemplate.Subject.MUNICIPALITY else "school_id"
    )


def _answer_objects(card: ExpertCard) -> list[CardAnswer]:
    return [
        CardAnswer(card=card, criterion_code=c["code"], order=order)
        for order, c in enumerate(snapshot_criteria(card.template_snapshot), start=1)
    ]


@transaction.atomic
def campaign_participants_add(
    *,
    campaign: Campaign,
    school_ids: Iterable[int] = (),
    user: User | None = None,
    municipality_ids: Iterable[int] = (),
) -> list[ExpertCard]:
    """Create a not-started card (with all its answers) for each participant not yet in the campaign:
    schools, or municipalities for a template about municipalities."""
    field = _subject_field(campaign)
    wanted = set(municipality_ids if field == "municipality_id" else school_ids)
    present = set(campaign.cards.values_list(field, flat=True))
    new_ids = sorted(wanted - present)
    if not new_ids:
        return []
    snapshot = template_as_dict(campaign.template)
    cards = ExpertCard.objects.bulk_create(_card_objects(campaign, new_ids, snapshot))
    cards = list(
        ExpertCard.objects.filter(campaign=campaign, **{f"{field}__in": new_ids}).select_related("campaign")
    )
    CardAnswer.objects.bulk_create([a for card in cards for a in _answer_objects(card)])
    CardChange.objects.bulk_create(
        CardChange(
            card=card,
            user=user if getattr(user, "pk", None) else None,
            action=CardChange.Action.CREATED,
            new_value=f"шаблон «{snapshot['title']}», версия {snapshot['version']}",
        )
        for card in cards
    )
    cards_refresh_computed(cards=cards)
    return cards


@transaction.atomic
def campaign_participants_remove(*, campaign: Campaign, school_ids: Iterable[int]) -> int:
    """Remove participants (school ids, or municipality ids for a municipality template) whose card nobody
    has touched yet; a card in work is never deleted."""
    field = _subject_field(campaign)
    cards = list(
        campaign.cards.filter(**{f"{field}__in": list(school_ids)}).select_related("school", "municipality")
    )
    busy = [c for c in cards if c.status not in STAFF_ACTION_STATUSES["remove"]]
    if busy:
        message = MUNICIPALITY_HAS_WORK if field == "municipality_id" else PARTICIPANT_HAS_WORK
        raise CampaignError(message.format(school=busy[0].subject, status=busy[0].get_status_display()))
    ExpertCard.objects.filter(pk__in=[c.pk for c in cards]).delete()
    return len(cards)


def card_answers_rebuild(*, card: ExpertCard) -> None:
    """Re-snapshot a not-started card from the current template version (called before its first save)."""
    snapshot = template_as_dict(card.campaign.template)
    card.answers.all().delete()
    ExpertCard.objects.filter(pk=card.pk).update(
        template_snapshot=snapshot, template_version=snapshot["version"], max_score=snapshot_maximum(snapshot)
    )
    card.template_snapshot, card.template_version = snapshot, snapshot["version"]
    card.max_score = snapshot_maximum(snapshot)
    CardAnswer.objects.bulk_create(_answer_objects(card))
    cards_refresh_computed(cards=[card])


@transaction.atomic
def campaign_create(
    *,
    year: int,
    template: CardTemplate,
    user: User | None = None,
    title: str = "",
    self_assessment_due: date | None = None,
    verification_due: date | None = None,
    evaluation_due: date | None = None,
    reminder_days: int = 7,
    revision_days: int = 7,
    school_ids: Iterable[int] | None = None,
) -> Campaign:
    """A campaign with default deadlines and, unless `school_ids` is given, the participants by the template's
    rule (the ШНОР schools of the year, all schools, all municipalities, or none to add by hand)."""
    if not template.sections.filter(criteria__isnull=False).exists():
        raise CampaignError(TEMPLATE_EMPTY.format(template=template.title))
    defaults = default_deadlines(year)
    due = (self_assessment_due or defaults[0], verification_due or defaults[1], evaluation_due or defaults[2])
    if not (due[0] <= due[1] <= due[2]):
        raise CampaignError(DEADLINES_ORDER)
    if Campaign.objects.filter(year=year, template=template).exists():
        raise CampaignError(CAMPAIGN_EXISTS.format(year=year, next=year + 1, template=template.title))
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                year=year,
                template=template,
                title=title or template.title,
                self_assessment_due=due[0],
                verification_due=due[1],
                evaluation_due=due[2],
                reminder_days=reminder_days,
                revision_days=revision_days,
                created_by=user if getattr(user, "pk", None) else None,
            )
    except IntegrityError:
        raise CampaignError(CAMPAIGN_EXISTS.format(year=year, next=year + 1, template=template.title))
    ids = (
        default_participant_ids(year=year, rule=template.participants, user=user)
        if school_ids is None
        else school_ids
    )
    campaign_participants_add(campaign=campaign, school_ids=ids, municipality_ids=ids, user=user)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, **fields: Any) -> Campaign:
    for name, value in fields.items():
        setattr(campaign, name, value)
    if not (campaign.self_assessment_due <= campaign.verification_due <= campaign.evaluation_due):
        raise CampaignError(DEADLINES_ORDER)
    campaign.save()
    return campaign


def campaign_refresh_computed(*, campaign: Campaign) -> int:
    """Recompute section-1 values of the cards still with their principals (after new results arrive)."""
    cards = list(campaign.cards.filter(status__in=EDITABLE).select_related("campaign"))
    return cards_refresh_computed(cards=cards)


# --- e-mail -------------------------------------------------------------------------------------


def _principal_emails(school_ids: Iterable[int]) -> dict[int, list[str]]:
    from schools.roles import PRINCIPAL

    users = (
        get_user_model()
        .objects.filter(profile__school_id__in=list(school_ids), groups__name=PRINCIPAL, is_active=True)
        .exclude(email="")
        .values_list("profile__school_id", "email")
    )
    emails: dict[int, list[str]] = {}
    for school_id, email in users:
        emails.setdefault(school_id, []).append(email)
    return emails


def _card_url(card: ExpertCard) -> str:
    return settings.SITE_URL + reverse("monitoring:card-detail", args=[card.pk])


def card_returned_notify(*, card_id: int) -> int:
    """E-mail the principal that their card was returned for revision, with the inspector's message."""
    card = ExpertCard.objects.select_related("campaign", "school").get(pk=card_id)
    if card.status != ExpertCard.Status.RETURNED:
        return 0
    recipients = _principal_emails([card.school_id]).get(card.school_id, [])
    if not recipients:
        return 0
    deadline = card.reopened_until or card.campaign.self_assessment_due
    body = (
        f"Экспертная карта «{card.campaign}» ({card.school}) возвращена на доработку.\n\n"
        f"Замечания: {card.return_message}\n\n"
        f"Доработайте и отправьте карту до {deadline:%d.%m.%Y}: {_card_url(card)}\n"
    )
    return send_mass_mail(
        [("Экспертная карта возвращена на доработку", body, settings.DEFAULT_FROM_EMAIL, recipients)]
    )


def reminders_send(*, today: date | None = None) -> int:
    """Remind principals whose card is still open `reminder_days` days and 1 day before their deadline."""
    today = today or timezone.localdate()
    open_cards = list(
        ExpertCard.objects.filter(
            status__in=EDITABLE,
            campaign__evaluation_due__gte=today,
        ).select_related("campaign", "school")
    )
    due = []
    for card in open_cards:
        deadline = principal_deadline(card)
        days_left = (deadline - today).days
        if days_left in {card.campaign.reminder_days, 1}:
            due.append((card, deadline, f"до срока: {days_left}"))
    if not due:
        return 0
    sent_keys = set(
        CardReminder.objects.filter(card__in=[c.pk for c, _, _ in due]).values_list(
            "card_id", "kind", "deadline"
        )
    )
    emails = _principal_emails({card.school_id for card, _, _ in due})
    messages, reminders = [], []
    for card, deadline, kind in due:
        if (card.pk, kind, deadline) in sent_keys or not emails.get(card.school_id):
            continue
        body = (
            f"Напоминаем: экспертную карту «{card.campaign}» ({card.school}) нужно заполнить и отправить "
            f"до {deadline:%d.%m.%Y} (осталось дней: {(deadline - today).days}).\nСостояние карты: "
            f"{card.get_status_display()}.\n{_card_url(card)}\n"
        )
        messages.append(
            ("Срок самооценки по экспертной карте", body, settings.DEFAULT_FROM_EMAIL, emails[card.school_id])
        )
        reminders.append(CardReminder(card=card, kind=kind, deadline=deadline))
    CardReminder.objects.bulk_create(reminders, ignore_conflicts=True)
    return send_mass_mail(messages) if messages else 0

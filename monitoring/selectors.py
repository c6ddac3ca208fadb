"""Reads of the monitoring app: which cards a user may see and what they may do with them, dashboards,
results and comparisons."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from indicators.selectors import list_members
from schools.models import Municipality, School
from schools.roles import is_administrator, is_inspector, is_regional, is_staff_member, principal_school_id
from schools.selectors import municipality_list_visible_to, scope_municipality_ids, visible_school_ids

from .models import Campaign, CardAnswer, CardChange, CardContextRecord, CardTemplate, ExpertCard
from .rules import (
    EDITABLE,
    STAFF_ACTION_STATUSES,
    claimed_points,
    is_finding,
    level_thresholds,
    principal_deadline,
    score_points,
    snapshot_criteria,
    snapshot_maximum,
)

S = ExpertCard.Status
NOT_YOUR_CARD = "Заполнять карту может только руководитель этой школы."
NOT_YOUR_MUNICIPALITY_CARD = "Карту муниципалитета заполняет специалист (инспектор) этого муниципалитета."
VERIFIER_ONLY = "Проверяет эту карту сотрудник управления образования."
MUNICIPALITY_VERIFIER_ONLY = "Карту муниципалитета проверяет региональный специалист (или администратор)."
CLOSED_STATUS = "Карта в состоянии «{status}»: изменить её сейчас нельзя."
DEADLINE_PASSED = (
    "Срок самооценки истёк {deadline:%d.%m.%Y}: карта доступна только для просмотра. "
    "Чтобы открыть её снова, обратитесь в управление образования."
)


def default_participant_ids(
    *,
    year: int,
    rule: str = CardTemplate.Participants.LOW_RESULTS,
    municipality_id: int | None = None,
    user: User | None = None,
) -> list[int]:
    """Participants by the template's rule: school ids (all schools, of one municipality if given, or the
    ШНОР of the year), municipality ids (all municipalities), or none (chosen by hand); with `user`, only
    those in the user's scope (an inspector's campaign takes their municipalities only, DESIGN §6)."""
    if rule == CardTemplate.Participants.MANUAL:
        return []
    if rule == CardTemplate.Participants.ALL_MUNICIPALITIES:
        municipalities = (
            Municipality.objects.all() if user is None else municipality_list_visible_to(user=user)
        )
        return list(municipalities.order_by("pk").values_list("pk", flat=True))
    schools = (
        School.objects.all() if user is None else School.objects.filter(pk__in=visible_school_ids(user=user))
    )
    if municipality_id:
        schools = schools.filter(municipality_id=municipality_id)
    if rule == CardTemplate.Participants.LOW_RESULTS:
        schools = schools.filter(pk__in=low_results_school_ids(year=year))
    return list(schools.order_by("pk").values_list("pk", flat=True))


def low_results_school_ids(*, year: int) -> list[int]:
    """The ШНОР schools of the year, the inspectors' decisions applied (the indicators app's one rule)."""
    return sorted(list_members(years=[year])[year]["low_results"])


def template_list() -> QuerySet[CardTemplate]:
    return CardTemplate.objects.annotate(
        criteria_count=Count("sections__criteria", distinct=True),
        campaigns_count=Count("campaigns", distinct=True),
    ).order_by("title")


def template_as_dict(template: CardTemplate) -> dict:
    """The full template as JSON-ready data; also the snapshot a card keeps."""
    sections = template.sections.prefetch_related("criteria").order_by("number")
    return {
        "slug": template.slug,
        "title": template.title,
        "description": template.description,
        "subject": template.subject,
        "participants": template.participants,
        "version": template.version,
        "levels": {"high": str(template.high_share), "medium": str(template.medium_share)},
        "sections": [
            {
                "number": section.number,
                "title": section.title,
                "maximum": section.maximum,
                "criteria": [
                    {
                        "code": c.code,
                        "text": c.text,
                        "method": c.method,
                        "points": c.points,
                        "kind": c.kind,
                        "threshold": None if c.threshold is None else f"{c.threshold.normalize():f}",
                        "rule": c.rule,
                        "options": c.options,
                        "context_field": c.context_field,
                        "evidence_required": c.evidence_required,
                        "periodicity": c.periodicity,
                        "source": c.source,
                    }
                    for c in section.criteria.all()
                ],
            }
            for section in sections
        ],
    }


def template_versions_in_use(*, template: CardTemplate) -> list[dict]:
    """Each version of the template that cards were filled with, and how many cards keep it."""
    return list(
        ExpertCard.objects.filter(campaign__template=template)
        .values("template_version")
        .annotate(cards=Count("pk"))
        .order_by("-template_version")
    )


def template_get(*, slug: str) -> CardTemplate:
    try:
        return CardTemplate.objects.get(slug=slug)
    except CardTemplate.DoesNotExist:
        raise Http404("Шаблон не найден")


def campaign_list_visible_to(*, user: User) -> QuerySet[Campaign]:
    """Staff see the campaigns with cards in their municipalities (and those they created), a principal
    the campaigns their school takes part in; the counts cover only the cards the user may see."""
    campaigns = Campaign.objects.select_related("template")
    schools = visible_school_ids(user=user)
    if not is_staff_member(user):
        campaigns = campaigns.filter(pk__in=Campaign.objects.filter(cards__school__in=schools).values("pk"))
    elif scope_municipality_ids(user) is not None:
        municipalities = visible_municipality_ids(user=user)
        in_scope = Campaign.objects.filter(
            Q(cards__school__in=schools) | Q(cards__municipality__in=municipalities) | Q(created_by=user.pk)
        ).values("pk")
        campaigns = campaigns.filter(pk__in=in_scope)
    mine = Q(cards__school__in=schools) | Q(cards__municipality__in=visible_municipality_ids(user=user))
    return campaigns.annotate(
        cards_count=Count("cards", filter=mine, distinct=True),
        submitted_count=Count("cards", filter=mine & ~Q(cards__status__in=EDITABLE), distinct=True),
    ).order_by("-year", "title")


def visible_municipality_ids(*, user: User) -> QuerySet[Municipality, Any]:
    """Municipalities whose cards the user may see: staff those of their scope (municipality_list_visible_to:
    an inspector their own, the regional specialist and the administrator all); principals none (a
    municipality's card is the authority's, not a school's)."""
    if is_staff_member(user):
        return municipality_list_visible_to(user=user).values("pk")
    return Municipality.objects.none().values("pk")


def _visible_cards(user: User) -> QuerySet[ExpertCard]:
    return ExpertCard.objects.filter(
        Q(school__in=visible_school_ids(user=user)) | Q(municipality__in=visible_municipality_ids(user=user))
    )


def card_list_visible_to(*, user: User) -> QuerySet[ExpertCard]:
    return (
        _visible_cards(user)
        .select_related("campaign", "campaign__template", "school", "municipality")
        .prefetch_related(Prefetch("answers", queryset=CardAnswer.objects.order_by("order")))
        .order_by("-campaign__year", "campaign__title", "school__code")
    )


def card_for_save_visible_to(*, user: User) -> QuerySet[ExpertCard]:
    """Cards the user may see, with what a draft save and its answer need (no template, no ordering)."""
    return (
        _visible_cards(user)
        .select_related("campaign", "school", "municipality")
        .prefetch_related(Prefetch("answers", queryset=CardAnswer.objects.order_by("order")))
    )


def card_get_visible(*, user: User, card_id: int, for_save: bool = False) -> ExpertCard:
    cards = card_for_save_visible_to(user=user) if for_save else card_list_visible_to(user=user)
    try:
        return cards.get(pk=card_id)
    except (ExpertCard.DoesNotExist, ValueError):
        raise Http404("Карта не найдена")


# --- what a user may do with a card --------------------------------------------------------------


def card_edit_refusal(*, card: ExpertCard, user, today: date | None = None) -> str | None:
    """Why this user may not change the claims now, or None when they may (the card's principal — for a
    municipality's card an inspector who sees it — while the card is with them, until
    `rules.principal_deadline`)."""
    if card.municipality_id:
        scope = scope_municipality_ids(user) if is_inspector(user) else None
        if is_administrator(user) or is_regional(user) or not is_inspector(user):
            return NOT_YOUR_MUNICIPALITY_CARD
        if scope is not None and card.municipality_id not in scope:
            return NOT_YOUR_MUNICIPALITY_CARD
    elif principal_school_id(user) != card.school_id or is_staff_member(user):
        return NOT_YOUR_CARD
    if card.status not in EDITABLE:
        return CLOSED_STATUS.format(status=card.get_status_display())
    deadline = principal_deadline(card)
    if (today or timezone.localdate()) > deadline:
        return DEADLINE_PASSED.format(deadline=deadline)
    return None


def card_verifier_refusal(*, card: ExpertCard, user) -> str | None:
    """Why this user may not verify the card, or None: a school's card is verified by the department's
    staff; a municipality's by the regional level (the administrator until region mode), never by the
    inspector who fills it."""
    if card.municipality_id:
        return None if is_regional(user) or is_administrator(user) else MUNICIPALITY_VERIFIER_ONLY
    return None if is_staff_member(user) else VERIFIER_ONLY


@dataclass(frozen=True)
class CardActions:
    """What one user may do with one card now: pages, templates and the API read this, the services
    refuse the same things with their Russian messages (both from `rules` and `card_edit_refusal`)."""

    card: ExpertCard
    is_staff: bool
    refusal: str | None  # why the user may not fill the card now (None: they may)
    fill: bool  # save drafts: the card's principal, while the card is with them, before the deadline
    submit: bool
    # staff, by the card's state (rules.STAFF_ACTION_STATUSES)
    verdicts: bool
    verify: bool
    return_for_revision: bool
    reopen: bool
    evaluate: bool
    remove: bool  # take the school out of the campaign
    forget_draft: bool  # the card has left its principal: their browser drops its unsaved local copy

    @cached_property
    def recommend(self) -> frozenset[str]:
        """Criteria a targeted recommendation may be drafted from (reads the card's answers)."""
        if not self.is_staff:
            return frozenset()
        return frozenset(
            a.criterion_code
            for a in self.card.answers.all()
            if is_finding(status=self.card.status, verdict=a.verdict, points=a.points)
        )


def card_actions(*, card: ExpertCard, user, today: date | None = None) -> CardActions:
    staff = card_verifier_refusal(card=card, user=user) is None
    refusal = card_edit_refusal(card=card, user=user, today=today)
    return CardActions(
        card=card,
        is_staff=staff,
        refusal=refusal,
        fill=refusal is None,
        submit=refusal is None,
        forget_draft=not staff and card.status not in EDITABLE,
        **{action: staff and card.status in states for action, states in STAFF_ACTION_STATUSES.items()},
    )


def card_history(*, card: ExpertCard) -> QuerySet[CardChange]:
    return card.changes.select_related("user", "card").order_by("-at", "-pk")


def is_overdue(card: ExpertCard, today: date | None = None) -> bool:
    """The stage the card is in has passed its deadline."""
    today = today or timezone.localdate()
    if card.status in EDITABLE:
        return today > principal_deadline(card)
    if card.status == S.SUBMITTED:
        return today > card.campaign.verification_due
    if card.status == S.VERIFIED:
        return today > card.campaign.evaluation_due
    return False


def card_rows(*, card: ExpertCard) -> list[dict]:
    """The card's criteria (from its snapshot) with their answers, grouped by section, for pages."""
    answers = {a.criterion_code: a for a in card.answers.all()}
    sections = []
    for section in card.template_snapshot["sections"]:
        rows = []
        for criterion in section["criteria"]:
            answer = answers.get(criterion["code"])
            disagree = (
                criterion["kind"] == "computed"
                and answer is not None
                and answer.computed is not None
                and answer.claimed != answer.computed
            )
            rows.append({"criterion": criterion, "answer": answer, "disagree": disagree})
        sections.append(
            {
                **section,
                "rows": rows,
                "claimed": sum(
                    claimed_points(r["criterion"], claimed=True, choice=r["answer"].choice)
                    for r in rows
                    if r["answer"] and r["answer"].claimed
                ),
                "confirmed": sum(r["answer"].points for r in rows if r["answer"]),
            }
        )
    return sections


def card_claimed_score(*, card: ExpertCard, sections: list[dict]) -> int:
    """The principal's self-assessment as the card holds it now (`sections` from `card_rows`): the claimed
    points, each section capped at its maximum, as `card_submit` stores them. The page's figure and the
    total beside the save buttons both start from it."""
    claimed = {
        row["criterion"]["code"]: claimed_points(row["criterion"], claimed=True, choice=row["answer"].choice)
        for section in sections
        for row in section["rows"]
        if row["answer"] and row["answer"].claimed
    }
    return score_points(card.template_snapshot, claimed)


def card_levels(card: ExpertCard) -> dict:
    snapshot = card.template_snapshot
    maximum = snapshot_maximum(snapshot)
    high, medium = level_thresholds(
        maximum=maximum, high_share=snapshot["levels"]["high"], medium_share=snapshot["levels"]["medium"]
    )
    return {"maximum": maximum, "high": high, "medium": medium, "medium_top": high - 1, "low_top": medium - 1}


def campaign_dashboard(
    *, campaign: Campaign, user, today: date | None = None, municipality: str = ""
) -> dict:
    """Every card of the campaign that `user` may see (of one municipality, by code, when given) with
    its state, scores, level, overdue mark and what `user` may do with it (`card.actions`), plus counts
    by state."""
    visible = campaign.cards.filter(pk__in=_visible_cards(user).values("pk"))
    if municipality:
        visible = visible.filter(
            Q(school__municipality__code=municipality) | Q(municipality__code=municipality)
        )
    cards = list(
        visible.select_related("school__municipality", "municipality", "campaign").order_by(
            "school__code", "municipality__name"
        )
    )
    counts = {value: 0 for value in S.values}
    for card in cards:
        card.overdue = is_overdue(card, today)  # type: ignore[attr-defined]  # read by the template
        card.actions = card_actions(card=card, user=user, today=today)  # type: ignore[attr-defined]
        counts[card.status] += 1
    return {
        "cards": cards,
        "counts": [(S(value).label, value, n) for value, n in counts.items()],
        "overdue": sum(1 for c in cards if c.overdue),  # type: ignore[attr-defined,misc]  # set above
    }


def campaign_previous(*, campaign: Campaign) -> Campaign | None:
    """The campaign of the previous year with the same template (the comparison base)."""
    return (
        Campaign.objects.filter(template__slug=campaign.template.slug, year__lt=campaign.year)
        .order_by("-year")
        .first()
    )


def campaign_results(*, campaign: Campaign, user: User | None = None) -> dict:
    """Results per participant: self-score, verified score, level, criteria points and answers, vs the
    previous campaign of the same template (per participant and per criterion); only the cards `user` may
    see when given (DESIGN §6)."""
    from .results import answer_text, campaign_comparison, subject_key

    previous = campaign_previous(campaign=campaign)
    previous_cards = {}
    if previous:
        earlier = previous.cards.prefetch_related("answers")
        if user is not None:
            earlier = earlier.filter(pk__in=_visible_cards(user).values("pk"))
        previous_cards = {subject_key(c): c for c in earlier}
    own = campaign.cards.all()
    if user is not None:
        own = own.filter(pk__in=_visible_cards(user).values("pk"))
    cards = list(
        own.select_related("school", "municipality")
        .prefetch_related("answers")
        .order_by("school__code", "municipality__name")
    )
    snapshot = cards[0].template_snapshot if cards else _template_snapshot(campaign)
    criteria = snapshot_criteria(snapshot)
    codes = [c["code"] for c in criteria]
    rows: list[dict[str, Any]] = []
    for card in cards:
        points = {a.criterion_code: a for a in card.answers.all()}
        before = previous_cards.get(subject_key(card))
        delta = None
        if before and before.score is not None and card.score is not None:
            delta = card.score - before.score
        rows.append(
            {
                "card": card,
                "answers": [points.get(code) for code in codes],
                "texts": [answer_text(c, points.get(c["code"])) for c in criteria],
                "previous": before,
                "delta": delta,
            }
        )
    levels = {value: sum(1 for r in rows if r["card"].level == value) for value in ("high", "medium", "low")}
    return {
        "rows": rows,
        "codes": codes,
        "criteria": criteria,
        "previous": previous,
        "levels": levels,
        "scored": snapshot_maximum(snapshot) > 0,
        "comparison": campaign_comparison(
            previous=previous, cards=cards, before=[c for c in previous_cards.values()]
        ),
    }


def _template_snapshot(campaign: Campaign) -> dict:
    return template_as_dict(campaign.template)


def principal_cards(*, user: User) -> QuerySet[ExpertCard]:
    return card_list_visible_to(user=user)


def context_sources_from_cards(keys: set[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """The context values verified social-monitoring cards wrote, by (school_id, year)
    (schools.provenance)."""
    if not keys:
        return {}
    school_ids = {school for school, _ in keys}
    years = {year for _, year in keys}
    records = CardContextRecord.objects.filter(
        context__school_id__in=school_ids, context__year__in=years
    ).select_related("context", "card__campaign")
    found = {}
    for record in records.order_by("created_at", "pk"):  # the latest card wins
        key = (record.context.school_id, record.context.year)
        if key in keys:
            found[key] = {
                "label": f"карта мониторинга «{record.card.campaign.title}», "
                f"{record.card.campaign.year_label}, "
                f"№ {record.card_id}",
                "values": record.values,
            }
    return found

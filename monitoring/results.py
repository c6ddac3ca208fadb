"""Results of every monitoring (DESIGN §7, issue 19 item 5): what each answer says, the comparison of a
campaign with the previous campaign of the same template, and the effectiveness analysis «отдельно по
каждому виду мониторинга» (seed 000) read by the effectiveness page and the annual report. Reads only; a
fixed number of queries whatever the number of cards."""

from collections import defaultdict
from dataclasses import dataclass, field

from schools import formatting

from .models import Campaign, ExpertCard, Level
from .rules import kind_of, snapshot_criteria

LEVEL_ORDER: dict[str, int] = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}


def answer_text(criterion: dict, answer) -> str:
    """The answer as a person reads it: «9 из 10 (90,0 %)», «частично», «да», a number, the text, the link."""
    if answer is None:
        return ""
    kind = kind_of(criterion)
    if kind == "share":
        if answer.denominator is None:
            return ""
        return f"{answer.numerator} из {answer.denominator}" + (
            f" ({answer.share_percent} %)" if answer.denominator else ""
        )
    if kind == "number":
        return "" if answer.value is None else formatting.number(float(answer.value), 2)
    if kind == "choice":
        labels = {str(o["value"]): o["label"] for o in criterion.get("options") or []}
        return labels.get(answer.choice, "")
    if kind == "text":
        return answer.text
    if kind == "link":
        return " ".join(answer.evidence_list)
    return "да" if answer.claimed else "нет"


def subject_key(card: ExpertCard) -> tuple[str, int]:
    return ("school", card.school_id) if card.school_id else ("municipality", card.municipality_id)


def campaign_comparison(
    *, previous: Campaign | None, cards: list[ExpertCard], before: list[ExpertCard]
) -> dict:
    """Per criterion: participants with points now and in the previous campaign; levels now and then.
    `cards` and `before` are the cards the user may see (with their answers prefetched)."""
    criteria = snapshot_criteria(cards[0].template_snapshot) if cards else []

    def with_points(group: list[ExpertCard]) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for card in group:
            if card.score is None:
                continue
            for answer in card.answers.all():
                if answer.points:
                    counts[answer.criterion_code] += 1
        return counts

    now, then = with_points(cards), with_points(before)
    verified_now = sum(1 for c in cards if c.score is not None)
    verified_then = sum(1 for c in before if c.score is not None)
    return {
        "criteria": [
            {
                "code": c["code"],
                "text": c["text"],
                "now": now.get(c["code"], 0),
                "then": then.get(c["code"], 0) if previous else None,
            }
            for c in criteria
            if c["points"]
        ],
        "verified_now": verified_now,
        "verified_then": verified_then if previous else None,
        "levels_then": _levels(before) if previous else None,
    }


def _levels(cards) -> dict[str, int]:
    return {
        value: sum(1 for c in cards if c.level == value) for value in (Level.HIGH, Level.MEDIUM, Level.LOW)
    }


@dataclass
class MonitoringEffect:
    """One kind of monitoring (a template) in a year against its previous campaign."""

    title: str
    slug: str
    subject: str
    campaign: Campaign
    previous: Campaign | None
    participants: int = 0
    verified: int = 0
    mean_share: float | None = None  # mean confirmed score / maximum over verified cards, %
    previous_mean_share: float | None = None
    levels: dict = field(default_factory=dict)
    previous_levels: dict = field(default_factory=dict)
    improved: int = 0  # same subject, higher level than in the previous campaign
    worsened: int = 0
    same: int = 0
    scored: bool = True  # False for a data-collecting monitoring (social conditions): no points, no levels


def _mean_share(cards: list[ExpertCard]) -> float | None:
    shares = [c.score * 100 / c.max_score for c in cards if c.score is not None and c.max_score]
    return sum(shares) / len(shares) if shares else None


def monitoring_effectiveness(*, year: int, visible=None) -> list[MonitoringEffect]:
    """Each monitoring of the year (one per template) compared with the previous campaign of its template;
    with `visible` (selectors.card_list_visible_to of the user), only over those cards (DESIGN §6).

    Two queries: the campaigns up to the year, the cards of the chosen ones."""
    campaigns = list(Campaign.objects.filter(year__lte=year).select_related("template").order_by("-year"))
    chosen = [c for c in campaigns if c.year == year]
    previous = {}
    for campaign in chosen:
        previous[campaign.pk] = next(
            (c for c in campaigns if c.template_id == campaign.template_id and c.year < year), None
        )
    ids = [c.pk for c in chosen] + [p.pk for p in previous.values() if p]
    by_campaign: dict[int, list[ExpertCard]] = defaultdict(list)
    cards_of = ExpertCard.objects.filter(campaign_id__in=ids)
    if visible is not None:
        cards_of = cards_of.filter(pk__in=visible.values("pk"))
    for card in cards_of.only("campaign_id", "school_id", "municipality_id", "score", "max_score", "level"):
        by_campaign[card.campaign_id].append(card)
    effects = []
    for campaign in sorted(chosen, key=lambda c: c.title):
        if not by_campaign[campaign.pk] and visible is not None:
            continue  # none of its cards is the user's
        cards, before = (
            by_campaign[campaign.pk],
            by_campaign[previous[campaign.pk].pk] if previous[campaign.pk] else [],
        )
        effect = MonitoringEffect(
            title=campaign.template.title,
            slug=campaign.template.slug,
            subject=campaign.template.get_subject_display(),
            campaign=campaign,
            previous=previous[campaign.pk],
            participants=len(cards),
            verified=sum(1 for c in cards if c.score is not None),
            mean_share=_mean_share(cards),
            previous_mean_share=_mean_share(before),
            levels=_levels(cards),
            previous_levels=_levels(before),
            scored=any(c.max_score for c in cards),
        )
        then = {subject_key(c): c.level for c in before if c.level}
        for card in cards:
            old = then.get(subject_key(card))
            if not card.level or not old:
                continue
            delta = LEVEL_ORDER[card.level] - LEVEL_ORDER[old]
            if delta > 0:
                effect.improved += 1
            elif delta < 0:
                effect.worsened += 1
            else:
                effect.same += 1
        effects.append(effect)
    return effects

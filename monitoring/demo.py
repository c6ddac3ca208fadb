"""Demo monitoring: the 2024 campaign finished (the comparison base) and the 2025 campaign in progress
with cards in every state, so `make run` shows the whole cycle. Everything goes through the services, so
the cards have a real history. Idempotent: a campaign that exists is only given fresh deadlines.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from schools.models import School

from .models import Campaign, CardAnswer, CardTemplate, ExpertCard
from .reference import BUILTIN_SLUG
from .selectors import default_participant_ids
from .services import (
    campaign_create,
    campaign_update,
    card_evaluate,
    card_return,
    card_save,
    card_submit,
    card_verdicts_set,
    card_verify,
)

YEAR = 2025
PRINCIPAL1_SCHOOL = "0101"
# Order matters: the first schools get the states a visitor must see in any case.
SCENARIO = [
    ("draft", None),
    ("submitted", None),
    ("returned", None),
    ("verified", "high"),
    ("evaluated", "medium"),
    ("evaluated", "low"),
    ("verified", "medium"),
    ("evaluated", "high"),
    ("verified", "low"),
    ("submitted", None),
]
TARGET = {"high": 15, "medium": 12, "low": 7}
DOC = "https://ais-obrazovanie.example/docs/{code}/{criterion}"


def build(*, stdout) -> None:
    template = CardTemplate.objects.get(slug=BUILTIN_SLUG)
    inspector = get_user_model().objects.filter(username="inspector").first()
    school_ids = _participants()
    if not school_ids:
        stdout.write("Мониторинг: нет школ для демонстрации.")
        return
    _ensure_results(school_ids)
    previous = _campaign(template, YEAR - 1, school_ids, default=True)
    current = _campaign(template, YEAR, school_ids, default=False)
    if inspector is None:
        stdout.write(
            "Мониторинг: кампании созданы; карты не заполнены (нет демонстрационных пользователей без DEBUG)."
        )
        return
    # The finished 2024 campaign: its stages were in autumn 2025, so its actions are dated then.
    for index, card in enumerate(_cards(previous)):
        _play(card, "evaluated", ["low", "medium", "high"][index % 3], inspector, today=date(2025, 9, 20))
    cards = [c for c in _cards(current) if c.school.code != PRINCIPAL1_SCHOOL]
    for card, (state, level) in zip(_by_confirmable(cards), SCENARIO, strict=False):
        _play(card, state, level, inspector, today=None)
    counts = {}
    for status in current.cards.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    stdout.write(
        f"Мониторинг {current.year_label}: {sum(counts.values())} карт ("
        + ", ".join(f"{ExpertCard.Status(k).label} — {v}" for k, v in sorted(counts.items()))
        + f"); карта школы {PRINCIPAL1_SCHOOL} ждёт заполнения (principal1) до {current.self_assessment_due:%d.%m.%Y}."
    )


def _participants() -> list[int]:
    """The 2025 ШНОР schools if the indicators demo computed them, else the "weak" demo schools; 0101 always."""
    from schools.demo import SCHOOL_PROFILES

    ids = default_participant_ids(year=YEAR)
    if not ids:
        weak = [code for code, profile in SCHOOL_PROFILES.items() if profile == "weak"]
        ids = list(School.objects.filter(code__in=weak).values_list("pk", flat=True))
    # principal1's school stays in the campaign so a visitor can fill a card in the browser.
    ids += list(School.objects.filter(code=PRINCIPAL1_SCHOOL).values_list("pk", flat=True))
    return sorted(set(ids))


RESULT_ROWS = [
    ("EGE", "russian", 11),
    ("EGE", "math-profile", 11),
    ("OGE", "russian", 9),
    ("OGE", "math", 9),
    ("VPR", "russian", 5),
    ("VPR", "russian", 6),
    ("VPR", "math", 5),
    ("VPR", "math", 6),
]


def _ensure_results(school_ids) -> None:
    """Only when the indicators demo has loaded no results: a compact synthetic set for the participants
    (2023–2025) so section 1 has dynamics to compute. Rows use the import's unique key, so the real
    demo results, when present, are never touched."""
    import random

    from indicators.models import AssessmentResult, Procedure, Subject

    if AssessmentResult.objects.filter(year__in=[YEAR - 2, YEAR - 1, YEAR]).exists():
        return
    procedures = {p.code: p for p in Procedure.objects.filter(code__in=["EGE", "OGE", "VPR"])}
    subjects = {s.code: s for s in Subject.objects.filter(code__in=["russian", "math", "math-profile"])}
    rows = []
    for school_id in school_ids:
        rng = random.Random(school_id)
        progress = rng.uniform(0.3, 0.95)  # how likely a result improves from one year to the next
        for procedure, subject, grade in RESULT_ROWS:
            if procedure not in procedures or subject not in subjects:
                continue
            bad, good = rng.uniform(0.08, 0.3), rng.uniform(0.05, 0.25)
            for year in (YEAR - 2, YEAR - 1, YEAR):
                n = rng.randint(18, 60)
                mark2, mark5 = round(bad * n), round(good * n)
                mark4 = (n - mark2 - mark5) // 2
                rows.append(
                    AssessmentResult(
                        school_id=school_id,
                        year=year,
                        procedure=procedures[procedure],
                        subject=subjects[subject],
                        grade=grade,
                        participants=n,
                        below_min=mark2,
                        high=mark5,
                        mark2=mark2,
                        mark3=n - mark2 - mark5 - mark4,
                        mark4=mark4,
                        mark5=mark5,
                    )
                )
                improves = rng.random() < progress
                bad, good = (bad * 0.7, good * 1.4) if improves else (bad * 1.25, good * 0.8)
    AssessmentResult.objects.bulk_create(rows, ignore_conflicts=True)


def _campaign(template, year, school_ids, *, default: bool) -> Campaign:
    campaign = Campaign.objects.filter(year=year, template=template).first()
    if default:
        due = {}  # 30.09, 15.10, 01.11 of the following calendar year
    else:
        # The real 2025 stages end in autumn 2026, before the demo's "today"; the demo keeps them open
        # (self-assessment in three weeks) so principal1 can still fill the card whenever the demo is run.
        today = timezone.localdate()
        due = {
            "self_assessment_due": today + timedelta(days=21),
            "verification_due": today + timedelta(days=35),
            "evaluation_due": today + timedelta(days=49),
        }
    if campaign is None:
        return campaign_create(year=year, template=template, school_ids=school_ids, **due)
    if due:
        campaign_update(campaign=campaign, **due)
    return campaign


def _cards(campaign) -> list[ExpertCard]:
    return list(campaign.cards.select_related("school", "campaign").order_by("school__code"))


def _confirmable(card) -> list[str]:
    """Criteria a verifier can confirm: section 1 with a positive computed dynamic, sections 2 and 3."""
    return [
        a.criterion_code
        for a in card.answers.order_by("order")
        if a.computed is True or not a.criterion_code.startswith("1.")
    ]


def _by_confirmable(cards) -> list[ExpertCard]:
    """High levels go to the schools whose data allow the most confirmed points."""
    ranked = sorted(cards, key=lambda c: -len(_confirmable(c)))
    order = {"high": 0, "medium": 1, "low": 2, None: 3}
    slots = sorted(range(len(SCENARIO)), key=lambda i: order[SCENARIO[i][1]])
    result = [None] * min(len(SCENARIO), len(ranked))
    for card, slot in zip(ranked, [s for s in slots if s < len(result)], strict=False):
        result[slot] = card
    return [c for c in result if c is not None] + ranked[len(result) :]


def _principal(card):
    return (
        get_user_model().objects.filter(profile__school=card.school, groups__name="Руководитель ОО").first()
    )


def _play(card, state, level, inspector, *, today) -> None:
    card = ExpertCard.objects.select_related("campaign", "school").get(pk=card.pk)
    principal = _principal(card)
    if card.status != ExpertCard.Status.NOT_STARTED or principal is None:
        return  # already played (the demo is idempotent) or no principal account
    answers = card.answers.order_by("order")
    claims = []
    for answer in answers:
        code = answer.criterion_code
        link = DOC.format(code=card.school.code, criterion=code)
        if code in ("2.1", "2.2"):
            claims.append({"criterion": code, "numerator": 5, "denominator": 6, "evidence": link})
        elif not code.startswith("1.") or answer.computed is not None:
            claims.append(
                {
                    "criterion": code,
                    "claimed": True,
                    "evidence": link,
                    "comment": "" if answer.computed is not False else "считаем динамику положительной",
                }
            )
    version = card_save(
        card_id=card.pk, user=principal, version=card.version, answers=claims, today=today
    ).version
    if state == "draft":
        return
    version = card_submit(card_id=card.pk, user=principal, version=version, today=today).version
    if state == "submitted":
        return
    if state == "returned":
        card_return(
            card_id=card.pk,
            user=inspector,
            version=version,
            today=today,
            message="Ссылки по критериям 2.1 и 2.2 ведут на черновики: приложите утверждённую справку.",
        )
        return
    _verdicts(card, level, inspector, version)
    card = ExpertCard.objects.get(pk=card.pk)
    card = card_verify(card_id=card.pk, user=inspector, version=card.version)
    if state == "evaluated":
        card_evaluate(card_id=card.pk, user=inspector, version=card.version)


def _verdicts(card, level, inspector, version) -> None:
    claimed = list(CardAnswer.objects.filter(card=card, claimed=True).order_by("order"))
    confirmable = [
        a
        for a in claimed
        if a.computed is not False and not (a.criterion_code.startswith("1.") and a.computed is None)
    ]
    confirm = {a.criterion_code for a in confirmable[: TARGET[level]]}
    verdicts = {
        a.criterion_code: {"verdict": "confirmed"}
        if a.criterion_code in confirm
        else {
            "verdict": "rejected",
            "comment": "Расчёт по результатам не подтверждает динамику"
            if a.computed is False
            else "Подтверждающий документ не соответствует критерию",
        }
        for a in claimed
    }
    card_verdicts_set(card_id=card.pk, user=inspector, version=version, verdicts=verdicts)

"""Demo monitoring: the 2024 campaign finished (the comparison base) and the 2025 campaign in progress
with cards in every state, so `make run` shows the whole cycle; beside it a 2025 campaign of each other
built-in template (the social monitoring of schools, the municipal programme and the authorities' sites
about municipalities) and, for the two about municipalities, the finished 2024 campaign: every template has
cards in every state. Everything goes through the services, so the cards have a real history. Idempotent: a
campaign that exists is only given fresh deadlines, a card in work is never played again.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from schools.models import School

from .builtin import PROGRAMME_SLUG, SITE_SLUG, SOCIAL_SLUG
from .models import Campaign, CardAnswer, CardTemplate, ExpertCard
from .reference import BUILTIN_SLUG
from .rules import snapshot_criteria
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
    _build_shnor(stdout=stdout)
    _build_other_monitorings(stdout=stdout)


def _build_shnor(*, stdout) -> None:
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
        f"Мониторинг «{current.title}» {current.year_label}: {sum(counts.values())} карт ("
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


# One results row (procedure, subject, grade) for each set of results the computed criteria 1.1–1.12 of the
# built-in card read (monitoring.reference.SECTION_1): with two years of them every criterion has a dynamic.
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
    _walk(
        card,
        state,
        filler=principal,
        verifier=inspector,
        answers=claims,
        return_message="Ссылки по критериям 2.1 и 2.2 ведут на черновики: приложите утверждённую справку.",
        set_verdicts=lambda version: _verdicts(card, level, inspector, version),
        today=today,
    )


def _walk(card, state, *, filler, verifier, answers, return_message, set_verdicts, today) -> None:
    """Take a not-started card to `state` through the services: the filler saves `answers` (and submits),
    the verifier returns it with `return_message`, or gives verdicts (`set_verdicts(version)` -> the new
    version) and finishes (and evaluates)."""
    version = card_save(
        card_id=card.pk, user=filler, version=card.version, answers=answers, today=today
    ).version
    if state == "draft":
        return
    version = card_submit(card_id=card.pk, user=filler, version=version, today=today).version
    if state == "submitted":
        return
    if state == "returned":
        card_return(card_id=card.pk, user=verifier, version=version, message=return_message, today=today)
        return
    version = set_verdicts(version)
    version = card_verify(card_id=card.pk, user=verifier, version=version).version
    if state == "evaluated":
        card_evaluate(card_id=card.pk, user=verifier, version=version)


def _verdicts(card, level, inspector, version) -> int:
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
    return card_verdicts_set(card_id=card.pk, user=inspector, version=version, verdicts=verdicts).version


# --- the other built-in monitorings (DESIGN §7) ---------------------------------------------------

# The social monitoring asks the schools of kedrovsky and ozyorsk only: principal1's school (0101) and the
# ШНОР campaign's schools keep their cards for the browser journeys. A school's card is checked by the
# inspector of its municipality.
SOCIAL_MUNICIPALITIES = ["kedrovsky", "ozyorsk"]
SOCIAL_SCENARIO = {
    "0301": "draft",
    "0302": "submitted",
    "0303": "returned",
    "0304": "verified",
    "0305": "evaluated",
    "0401": "draft",
    "0402": "submitted",
    "0403": "returned",
    "0404": "verified",
    "0405": "evaluated",
}  # the other schools' cards stay not started
SCHOOL_VERIFIERS = {"kedrovsky": "inspector2", "ozyorsk": "inspector3"}
# A municipality's card is filled by the inspector of that municipality and checked by the regional
# specialist. With three municipalities a campaign holds three cards, so each municipal monitoring has the
# finished campaign of the previous year beside the current one (the comparison base of its results): six
# cards, one in each state. In 2024/2025 ozyorsk sent neither card (not started) and berezovsky left one
# card unfinished (a draft never sent, a returned card never revised) before the deadline passed.
MUNICIPALITY_SCENARIO = {
    (PROGRAMME_SLUG, YEAR): {"berezovsky": "submitted", "kedrovsky": "evaluated", "ozyorsk": "draft"},
    (PROGRAMME_SLUG, YEAR - 1): {"berezovsky": "returned", "kedrovsky": "verified"},
    (SITE_SLUG, YEAR): {"berezovsky": "returned", "kedrovsky": "verified", "ozyorsk": "submitted"},
    (SITE_SLUG, YEAR - 1): {"berezovsky": "draft", "kedrovsky": "evaluated"},
}
MUNICIPALITY_FILLERS = {"berezovsky": "inspector", "kedrovsky": "inspector2", "ozyorsk": "inspector3"}
MUNICIPALITY_VERIFIER = "regional"
DEMO_STAFF = ["inspector", "inspector2", "inspector3", "regional"]
# The previous year's self-assessment (due 30.09.2025) was played before its deadline.
PREVIOUS_TODAY = date(YEAR, 9, 20)
RETURN_MESSAGES = {
    SOCIAL_SLUG: "Численность обучающихся расходится с отчётом ОО-1 на начало года: уточните значение 1.1.",
    PROGRAMME_SLUG: "К критерию 2.2 приложите отчёт о выполнении программы, подписанный руководителем.",
    SITE_SLUG: "Ссылки по критериям 1.2 и 1.3 ведут на главную страницу сайта: укажите страницы документов.",
}
OMC_DOC = "https://{code}.omc.example/kachestvo/{criterion}"
PROGRAMME_CONCLUSION = "Программу дополнить показателями по школам в неблагоприятных социальных условиях."


def _build_other_monitorings(*, stdout) -> None:
    from schools.models import Municipality

    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_STAFF)}
    filled = len(users) == len(DEMO_STAFF)
    social = CardTemplate.objects.get(slug=SOCIAL_SLUG)
    school_ids = list(
        School.objects.filter(municipality__code__in=SOCIAL_MUNICIPALITIES)
        .exclude(code=PRINCIPAL1_SCHOOL)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    municipality_ids = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
    campaigns = []
    if school_ids:
        campaign = _campaign(social, YEAR, school_ids, default=False)
        campaigns.append(campaign)
        if filled:
            for card in _cards(campaign):
                state = SOCIAL_SCENARIO.get(card.school.code)
                verifier = users.get(SCHOOL_VERIFIERS.get(card.school.municipality.code, ""))
                if state and verifier:
                    _play_any(card, state, filler=_principal(card), verifier=verifier)
    for (slug, year), scenario in MUNICIPALITY_SCENARIO.items():
        if not municipality_ids:
            break
        template = CardTemplate.objects.get(slug=slug)
        campaign = _campaign(template, year, municipality_ids, default=year < YEAR)
        campaigns.append(campaign)
        if not filled:
            continue
        today = PREVIOUS_TODAY if year < YEAR else None
        for card in campaign.cards.select_related("campaign", "municipality").order_by("municipality__pk"):
            state = scenario.get(card.municipality.code)
            filler = users.get(MUNICIPALITY_FILLERS.get(card.municipality.code, ""))
            if state and filler:
                _play_any(card, state, filler=filler, verifier=users[MUNICIPALITY_VERIFIER], today=today)
    for campaign in campaigns:
        stdout.write(_summary(campaign, filled=filled))


def _summary(campaign: Campaign, *, filled: bool) -> str:
    counts: dict[str, int] = {}
    for status in campaign.cards.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    states = ", ".join(f"{ExpertCard.Status(k).label} — {v}" for k, v in sorted(counts.items()))
    if campaign.template.subject == CardTemplate.Subject.MUNICIPALITY:
        who = "заполняют инспекторы муниципалитетов (inspector, inspector2, inspector3), проверяет regional"
    else:
        who = "заполняют руководители школ Кедровского района и Озёрска, проверяют inspector2 и inspector3"
    tail = f"{who}; самооценка до {campaign.self_assessment_due:%d.%m.%Y}" if filled else "карты не заполнены"
    return f"Мониторинг «{campaign.title}» {campaign.year_label}: {sum(counts.values())} карт ({states}); {tail}."


def _answers_any(card: ExpertCard) -> list[dict]:
    """Answers of every kind of criterion: a school's figures from its context of the campaign's year
    (a social card repeats the figures the portal has), a municipality's choices mostly «в полном объёме»,
    shares of 9 of 10, links to the authority's site."""
    from schools.models import SchoolContext

    context = (
        SchoolContext.objects.filter(school_id=card.school_id, year=card.campaign.year).first()
        if card.school_id
        else None
    )
    code = card.subject_code
    answers = []
    for index, criterion in enumerate(snapshot_criteria(card.template_snapshot)):
        kind, field = criterion["kind"], criterion.get("context_field")
        link = (DOC if card.school_id else OMC_DOC).format(code=code, criterion=criterion["code"])
        answer: dict = {"criterion": criterion["code"]}
        if field:
            value = getattr(context, field, None)
            if value is None:
                continue
            answer.update({"claimed": bool(value)} if kind == "flag" else {"value": value})
        elif kind == "choice":
            options = [o["value"] for o in criterion["options"]]
            answer.update(choice=options[-2] if index % 3 == 2 else options[-1], evidence=link)
        elif kind == "share":
            answer.update(numerator=9, denominator=10, evidence=link)
        elif kind == "text":
            answer.update(text=PROGRAMME_CONCLUSION)
        elif kind == "link":
            answer.update(evidence=link)
        else:  # flag, computed
            answer.update(claimed=True, evidence=link)
        answers.append(answer)
    return answers


def _play_any(card, state, *, filler, verifier, today: date | None = None) -> None:
    """Take a not-started card of any template to `state` through the services: the filler saves (and
    submits) every kind of answer, the verifier returns it or confirms all but the last claim and
    finishes. `today`: the day the filler's stage is played (a past campaign's, before its deadline)."""
    card = ExpertCard.objects.select_related("campaign", "school", "municipality").get(pk=card.pk)
    if card.status != ExpertCard.Status.NOT_STARTED or filler is None:
        return  # already played (the demo is idempotent) or no principal account
    _walk(
        card,
        state,
        filler=filler,
        verifier=verifier,
        answers=_answers_any(card),
        return_message=RETURN_MESSAGES[card.campaign.template.slug],
        set_verdicts=lambda version: _verdicts_any(card, verifier, version),
        today=today,
    )


def _verdicts_any(card, verifier, version: int) -> int:
    """Every scored claim confirmed but the last; the card's version after that."""
    scored = {c["code"] for c in snapshot_criteria(card.template_snapshot) if c["points"]}
    claimed = [
        code
        for code in card.answers.filter(claimed=True)
        .order_by("order")
        .values_list("criterion_code", flat=True)
        if code in scored
    ]
    if claimed:
        verdicts = {code: {"verdict": "confirmed"} for code in claimed}
        verdicts[claimed[-1]] = {
            "verdict": "rejected",
            "comment": "Документ по ссылке не подтверждает критерий: балл не засчитан.",
        }
        version = card_verdicts_set(
            card_id=card.pk, user=verifier, version=version, verdicts=verdicts
        ).version
    return version

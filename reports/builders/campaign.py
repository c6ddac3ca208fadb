"""Campaign results: expert cards of a monitoring (seed 002) — scores, levels, criteria confirmed."""

from collections import Counter

from django.db.models import Count, Q

from monitoring.models import Campaign, CardAnswer, ExpertCard, Level
from schools import formatting

from .base import NUMBER, TEXT, BuildError, Progress, round_or_none, table, year_label

NO_CAMPAIGN = "За {year} учебный год нет мониторинга: создайте мониторинг или укажите его номер."


def _campaign(report) -> Campaign:
    campaigns = Campaign.objects.select_related("template")
    campaign = (
        campaigns.filter(pk=report.params["campaign"]).first()
        if report.params.get("campaign")
        else campaigns.filter(year=report.year).order_by("-pk").first()
    )
    if campaign is None:
        raise BuildError(NO_CAMPAIGN.format(year=year_label(report.year)))
    return campaign


def build(report, progress: Progress) -> dict:
    campaign = _campaign(report)
    progress(20, "Экспертные карты")
    cards = list(
        ExpertCard.objects.filter(campaign=campaign).select_related("school").order_by("school__code")
    )
    statuses = dict(ExpertCard.Status.choices)
    levels = dict(Level.choices)
    level_counts = Counter(card.level or "" for card in cards)
    criteria = list(
        CardAnswer.objects.filter(card__campaign=campaign)
        .values("criterion_code")
        .annotate(
            claimed=Count("pk", filter=Q(claimed=True)),
            confirmed=Count("pk", filter=Q(verdict="confirmed")),
            rejected=Count("pk", filter=Q(verdict="rejected")),
        )
        .order_by("criterion_code")
    )
    criteria.sort(key=lambda c: [int(p) if p.isdigit() else p for p in c["criterion_code"].split(".")])
    scored = [c.score for c in cards if c.score is not None]
    tables = {
        "levels": table(
            "Распределение ОО по степени эффективности",
            [("Степень", TEXT), ("ОО", NUMBER)],
            [
                [levels.get(code, "не оценена"), level_counts.get(code, 0)]
                for code in ("high", "medium", "low", "")
            ],
            sheet="Уровни",
        ),
        "criteria": table(
            "Критерии экспертной карты: заявлено и подтверждено, число ОО",
            [("Критерий", TEXT), ("Заявлено", NUMBER), ("Подтверждено", NUMBER), ("Отклонено", NUMBER)],
            [[c["criterion_code"], c["claimed"], c["confirmed"], c["rejected"]] for c in criteria],
            sheet="Критерии",
        ),
        "annex_cards": table(
            "Экспертные карты ОО",
            [
                ("Код", TEXT),
                ("ОО", TEXT),
                ("Состояние", TEXT),
                ("Самооценка", NUMBER),
                ("Подтверждено", NUMBER),
                ("Максимум", NUMBER),
                ("Степень", TEXT),
            ],
            [
                [
                    c.school.code,
                    c.school.short_name or c.school.name,
                    statuses.get(c.status, c.status),
                    c.self_score,
                    c.score,
                    c.max_score,
                    levels.get(c.level, "—"),
                ]
                for c in cards
            ],
            sheet="Карты",
        ),
    }
    mean = round_or_none(sum(scored) / len(scored), 1) if scored else None
    draft = [
        f"В мониторинге «{campaign.title}» участвовали {len(cards)} ОО; оценено карт: {len(scored)}.",
        f"Высокая степень эффективности — {level_counts.get('high', 0)} ОО, "
        f"средняя — {level_counts.get('medium', 0)}, "
        f"низкая — {level_counts.get('low', 0)}.",
    ]
    return {
        "title": f"Результаты мониторинга «{campaign.title}» за {year_label(campaign.year)} учебный год",
        "subtitle": f"Шаблон экспертной карты: {campaign.template.title}",
        "sections": [
            {
                "id": "stages",
                "title": "Этапы мониторинга",
                "paragraphs": [
                    f"Самооценка руководителей — до {formatting.date(campaign.self_assessment_due)}, "
                    f"контроль объективности — до {formatting.date(campaign.verification_due)}, "
                    f"оценка эффективности — до {formatting.date(campaign.evaluation_due)}.",
                    f"Средний подтверждённый балл: {formatting.number(mean, empty='нет данных')}.",
                ],
            },
            {
                "id": "levels",
                "title": "Степень эффективности",
                "tables": ["levels"],
                "charts": [
                    {
                        "type": "bar",
                        "title": "ОО по степени эффективности",
                        "axis": "школ",
                        "labels": ["высокая", "средняя", "низкая", "не оценена"],
                        "values": [level_counts.get(code, 0) for code in ("high", "medium", "low", "")],
                    }
                ],
            },
            {"id": "criteria", "title": "Критерии экспертной карты", "tables": ["criteria"]},
        ],
        "tables": tables,
        "annex": ["annex_cards"],
        "annex_title": "Приложение. Экспертные карты ОО",
        "conclusions_draft": draft,
    }

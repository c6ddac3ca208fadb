"""The campaign results workbook: one row per school, criteria points, comparison with last campaign."""

from schools.exports import Sheet, workbook_bytes

from .models import Campaign
from .selectors import campaign_results, card_levels


def campaign_results_xlsx(campaign: Campaign, user=None) -> bytes:
    results = campaign_results(campaign=campaign, user=user)
    previous = results["previous"]
    headers = [
        *(["Код", "Муниципалитет"] if campaign.template.subject == "municipality" else ["Код ОО", "Школа"]),
        "Состояние",
        "Самооценка, баллов",
        "Подтверждено, баллов",
        "Максимум",
        "Степень эффективности",
        *[f"Критерий {code}" for code in results["codes"]],
        "Баллов в прошлом мониторинге",
        "Изменение",
    ]
    rows = []
    for row in results["rows"]:
        card = row["card"]
        rows.append(
            [
                card.subject_code,
                card.subject_name,
                card.get_status_display(),
                card.self_score,
                card.score,
                card.max_score,
                card.get_level_display() or "",
                *[
                    (a.points if card.score is not None else ("заявлено" if a.claimed else "")) if a else ""
                    for a in row["answers"]
                ],
                row["previous"].score if row["previous"] else None,
                row["delta"],
            ]
        )
    answers = Sheet(
        "Ответы",
        ["Код", "Участник", *[f"{c['code']} {c['text'][:60]}" for c in results["criteria"]]],
        [[r["card"].subject_code, r["card"].subject_name, *r["texts"]] for r in results["rows"]],
    )
    comparison = results["comparison"]
    compared = Sheet(
        "Сравнение",
        ["Критерий", "Показатель", "Участников с баллом", "В прошлом мониторинге"],
        [[c["code"], c["text"], c["now"], c["then"]] for c in comparison["criteria"]],
    )
    levels = card_levels(results["rows"][0]["card"]) if results["rows"] else None
    about = {
        "Мониторинг": str(campaign),
        "Шаблон": f"{campaign.template.title} ({campaign.template.slug})",
        "Самооценка до": f"{campaign.self_assessment_due:%d.%m.%Y}",
        "Контроль объективности до": f"{campaign.verification_due:%d.%m.%Y}",
        "Оценка до": f"{campaign.evaluation_due:%d.%m.%Y}",
        "Баллы": "подтверждённые проверяющим; самооценка — заявленные руководителем",
        "Сравнение": str(previous) if previous else "прошлого мониторинга по этому шаблону нет",
    }
    if levels:
        about["Степени"] = (
            f"высокая {levels['high']}–{levels['maximum']}, средняя {levels['medium']}–"
            f"{levels['medium_top']}, низкая 0–{levels['low_top']}"
        )
    return workbook_bytes([Sheet("Результаты", headers, rows), answers, compared], about=about)

"""Server-side SVG charts of the monitoring pages (schools.charts: the same picture on pages and in PDFs)."""

from django.utils.safestring import SafeString

from schools.charts import Series, bar_chart, line_chart

from .models import ExpertCard, Level

NOT_RATED = "ещё не определена"


def campaign_progress_chart(*, counts: list[tuple[str, str, int]]) -> SafeString:
    """How many cards are in each state; counts as in selectors.campaign_dashboard (label, value, n)."""
    return bar_chart(
        title="Ход мониторинга: карт в каждом состоянии",
        labels=[label for label, _, _ in counts],
        values=[n for _, _, n in counts],
        highlight=[value == ExpertCard.Status.RETURNED for _, value, _ in counts],
        axis="карт",
    )


def campaign_levels_chart(*, cards: list[ExpertCard]) -> SafeString:
    """How many schools have each level of effectiveness; cards not yet verified have none."""
    labels = [f"{label} степень" for label in Level.labels] + [NOT_RATED]
    values = [sum(1 for c in cards if c.level == value) for value in Level.values]
    values.append(sum(1 for c in cards if not c.level))
    return bar_chart(
        title="Степень эффективности: школ",
        labels=labels,
        values=values,
        highlight=[value == Level.LOW for value in Level.values] + [False],
        axis="школ",
    )


def campaign_comparison_chart(*, rows: list[dict], previous) -> SafeString | None:
    """Per school: self-score, verified score and, if there is one, the previous campaign's verified score."""
    if not rows:
        return None
    series = [
        Series("Самооценка", [r["card"].self_score for r in rows], dashed=True),
        Series("Подтверждено", [r["card"].score for r in rows]),
    ]
    if previous:
        series.append(
            Series(
                f"Подтверждено в {previous.year_label}",
                [r["previous"].score if r["previous"] else None for r in rows],
                dashed=True,
            )
        )
    return line_chart(
        title="Баллы по школам" + (f": сравнение с мониторингом {previous.year_label}" if previous else ""),
        # a school by its code, a municipality by its name (its code is a Latin word, not for reading)
        categories=[
            r["card"].subject_name
            if r["card"].municipality_id
            else (r["card"].subject_code or r["card"].subject_name)
            for r in rows
        ],
        series=series,
        width=max(640, 100 + 36 * len(rows)),
        axis="баллов",
        connect=False,
        category="ОО",  # schools are not a sequence: no line from one school to the next
    )

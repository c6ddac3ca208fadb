"""Stage 6 pages: the effectiveness analysis for a year, its charts and its xlsx export."""

from django.views import View
from django.views.generic import TemplateView

from indicators.models import IndicatorValue
from monitoring.results import monitoring_effectiveness
from monitoring.selectors import card_list_visible_to
from schools import formatting
from schools.charts import bar_chart
from schools.exports import Sheet, workbook_bytes, xlsx_response
from schools.permissions import StaffRequiredMixin
from schools.queries import distinct_years
from schools.selectors import school_ids_in_scope
from schools.templatetags.portal import academic_year

from .effectiveness import LISTS, EffectivenessReport, effectiveness_report


def available_years() -> list[int]:
    return sorted(distinct_years(IndicatorValue.objects.all()))


def chosen_year(request, years: list[int]) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return years[-1] if years else None


def effectiveness_charts(report: EffectivenessReport) -> list:
    totals = report.indicator_totals()
    labels = [t["indicator"].short_name or t["indicator"].name for t in totals]
    charts = []
    if totals:
        # one chart of the schools that got better, one (in the warning colour) of those that got worse
        for key, change, highlight in (
            ("better", "улучшением", None),
            ("worse", "ухудшением", [True] * len(totals)),
        ):
            charts.append(
                bar_chart(
                    title=f"Школ с {change} показателя, {report.year} к {report.year - 1}",
                    labels=labels,
                    values=[t[key] for t in totals],
                    axis="школ",
                    highlight=highlight,
                )
            )
    if report.compared:
        charts.append(
            bar_chart(
                title="Позиция школ в списках ШНОР/ШНСУ, % школ",
                unit="%",
                axis="% школ",
                labels=["улучшилась", "ухудшилась"],
                values=[report.list_improved_share, report.list_worsened_share],
                highlight=[False, True],
            )
        )
    return charts


class EffectivenessView(StaffRequiredMixin, TemplateView):
    template_name = "roadmaps/effectiveness.html"

    def get_context_data(self, **kwargs):
        years = available_years()
        year = chosen_year(self.request, years)
        report = (
            effectiveness_report(year=year, school_ids=school_ids_in_scope(user=self.request.user))
            if year
            else None
        )
        return super().get_context_data(
            years=years,
            year=year,
            report=report,
            lists=LISTS,
            totals=report.indicator_totals() if report else [],
            charts=effectiveness_charts(report) if report else [],
            monitorings=monitoring_effectiveness(
                year=year, visible=card_list_visible_to(user=self.request.user)
            )
            if year
            else [],
            **kwargs,
        )


def effectiveness_sheets(report: EffectivenessReport) -> list[Sheet]:
    before, after = report.year - 1, report.year
    school_rows = []
    for effect in report.schools:
        for change in effect.changes:
            school_rows.append(
                [
                    effect.school.code,
                    effect.school.display_name,
                    change.name,
                    change.before,
                    change.after,
                    change.change,
                    change.verdict_label,
                ]
            )
        for list_change in effect.lists:
            school_rows.append(
                [
                    effect.school.code,
                    effect.school.display_name,
                    list_change.name,
                    _yes_no(list_change.before),
                    _yes_no(list_change.after),
                    "",
                    list_change.verdict_label,
                ]
            )
    decision_rows = []
    for effect in report.decisions:
        head = [
            effect.decision.title,
            effect.decision.get_kind_display(),
            effect.decision.document_number,
            ", ".join(s.code for s in effect.schools),
        ]
        if effect.note:
            decision_rows.append([*head, "", effect.note, "", "", "", "", "", ""])
        for change in effect.changes:
            decision_rows.append(
                [
                    *head,
                    f"{academic_year(effect.before_year)} → {academic_year(effect.after_year)}",
                    change.name,
                    change.before,
                    change.after,
                    change.change,
                    effect.improved[change.code],
                    effect.worsened[change.code],
                    change.verdict_label,
                ]
            )
    summary_rows = [
        [t["indicator"].name, t["better"], t["worse"], t["same"], t["no_data"]]
        for t in report.indicator_totals()
    ]
    summary_rows += [
        ["Позиция в списках ШНОР/ШНСУ улучшилась, школ", report.list_improved, "", "", ""],
        ["Позиция в списках ШНОР/ШНСУ ухудшилась, школ", report.list_worsened, "", "", ""],
        ["Доля школ с позитивной динамикой в списках, %", report.list_improved_share, "", "", ""],
        ["Доля школ с негативной динамикой в списках, %", report.list_worsened_share, "", "", ""],
    ]
    return [
        Sheet(
            "Сводка", ["Показатель", "Лучше, школ", "Хуже, школ", "Без изменений", "Нет данных"], summary_rows
        ),
        Sheet(
            "По школам",
            [
                "Код ОО",
                "ОО",
                "Показатель / список",
                f"{formatting.school_year(before)}",
                f"{formatting.school_year(after)}",
                "Изменение",
                "Оценка",
            ],
            school_rows,
        ),
        Sheet(
            "По решениям",
            [
                "Решение",
                "Вид",
                "Документ",
                "ОО",
                "Сравниваемые годы",
                "Показатель",
                "Среднее до решения",
                "Среднее после решения",
                "Изменение",
                "Школ лучше",
                "Школ хуже",
                "Оценка",
            ],
            decision_rows,
        ),
    ]


def _yes_no(value) -> str:
    return {True: "в списке", False: "не в списке"}.get(value, "нет данных")


class EffectivenessExportView(StaffRequiredMixin, View):
    def get(self, request):
        year = chosen_year(request, available_years())
        if year is None:
            from django.http import Http404

            raise Http404("Нет рассчитанных показателей")
        report = effectiveness_report(year=year, school_ids=school_ids_in_scope(user=request.user))
        about = {
            "Отчёт": "Анализ эффективности принятых мер (этап 6 управленческого цикла)",
            "Сравнение": f"{formatting.school_year(year)} с {formatting.school_year(year - 1)}",
            "Оценка": "лучше/хуже по направленности показателя; список: выход — лучше, вход — хуже",
        }
        return xlsx_response(
            workbook_bytes(effectiveness_sheets(report), about=about), f"эффективность-мер-{year}.xlsx"
        )

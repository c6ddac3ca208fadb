"""The built-in templates of the other monitorings of seed 000 (DESIGN §7): `social-conditions`,
`municipal-programme` and `omc-site`, beside `lesosibirsk-shnor` (reference.py). Stored as data, edited in the
browser; seeding creates a missing one and never overwrites what staff changed."""

from .defaults import DEFAULT_LEVELS, criterion
from .models import CardTemplate
from .services.templates import template_import, template_same_content

SOCIAL_SLUG = "social-conditions"
PROGRAMME_SLUG = "municipal-programme"
SITE_SLUG = "omc-site"


def _count(code, text, field, source="Данные ОО на конец учебного года"):
    return criterion(
        code,
        text,
        method="количество, человек",
        points=0,
        kind="number",
        context_field=field,
        evidence_required=False,
        source=source,
    )


SOCIAL_CONDITIONS = {
    "slug": SOCIAL_SLUG,
    "title": "Социальный мониторинг: школы в неблагоприятных социальных условиях (ШНСУ)",
    "description": "Мониторинг 2 приказа № 1048: контингент и социальные факторы школы за отчётный год. "
    "Руководитель вносит значения, специалист управления проверяет; проверенные значения становятся "
    "контекстом ОО этого года (источник — карта), по ним считается индекс социального благополучия.",
    "subject": "school",
    "participants": "all_schools",
    "levels": dict(DEFAULT_LEVELS),
    "sections": [
        {
            "number": 1,
            "title": "Контингент",
            "maximum": 0,
            "criteria": [
                _count("1.1", "Численность обучающихся", "students"),
                _count("1.2", "Численность педагогических работников", "teachers"),
            ],
        },
        {
            "number": 2,
            "title": "Социальные факторы",
            "maximum": 0,
            "criteria": [
                _count("2.1", "Обучающихся, состоящих на учёте в ОДН, КДН", "police_registered"),
                _count(
                    "2.2",
                    "Обучающихся из семей мигрантов и (или) владеющих русским языком на низком уровне",
                    "migrants",
                ),
                _count("2.3", "Неаттестованных обучающихся по итогам учебного года", "not_attested"),
                _count("2.4", "Обучающихся, систематически пропускающих занятия", "absentees"),
                _count("2.5", "Обучающихся с ЗПР и ОВЗ (заключение ПМПК)", "special_needs"),
                criterion(
                    "2.6",
                    "Лишение или приостановление государственной аккредитации",
                    method="да/нет",
                    points=0,
                    kind="flag",
                    context_field="accreditation_suspended",
                    evidence_required=False,
                    source="Реестр аккредитации",
                ),
            ],
        },
        {
            "number": 3,
            "title": "Кадры",
            "maximum": 0,
            "criteria": [
                _count(
                    "3.1", "Учителей, прошедших диагностику профессиональных дефицитов", "teachers_diagnosed"
                ),
                _count("3.2", "Учителей, прошедших КПК по индивидуальному запросу", "teachers_pd_request"),
                _count(
                    "3.3",
                    "Учителей, прошедших КПК по работе с детьми с риском образовательной неуспешности",
                    "teachers_pd_risk",
                ),
            ],
        },
    ],
}

LEVEL_OPTIONS = [
    {"value": "absent", "label": "отсутствует", "points": 0},
    {"value": "partial", "label": "представлено частично", "points": 1},
    {"value": "full", "label": "представлено в полном объёме", "points": 2},
]


def _choice(code, text):
    return criterion(
        code,
        text,
        method="0 — отсутствует, 1 — частично, 2 — в полном объёме",
        points=2,
        kind="choice",
        options=LEVEL_OPTIONS,
        source="Муниципальная программа (комплекс мер) поддержки ШНОР и ШНСУ",
    )


MUNICIPAL_PROGRAMME = {
    "slug": PROGRAMME_SLUG,
    "title": "Экспертиза муниципальной программы поддержки ШНОР и ШНСУ",
    "description": "Мониторинг 3 приказа № 1048: результативность муниципальных программ по повышению "
    "качества "
    "в школах с низкими результатами (экспертиза программ). Заполняет специалист ОМС, проверяет региональный "
    "специалист.",
    "subject": "municipality",
    "participants": "all_municipalities",
    "levels": dict(DEFAULT_LEVELS),
    "sections": [
        {
            "number": 1,
            "title": "Содержание программы",
            "maximum": 12,
            "criteria": [
                _choice("1.1", "Цели и задачи программы соответствуют выявленным проблемам ШНОР и ШНСУ"),
                _choice("1.2", "Показатели программы с целевыми значениями по годам и методикой расчёта"),
                _choice(
                    "1.3", "Мероприятия по направлениям (результаты обучения, кадры, социальные условия)"
                ),
                _choice("1.4", "Ответственные исполнители по каждому мероприятию"),
                _choice("1.5", "Сроки выполнения мероприятий"),
                _choice("1.6", "Ресурсное обеспечение (кадровое, финансовое, методическое)"),
            ],
        },
        {
            "number": 2,
            "title": "Мониторинг результатов",
            "maximum": 3,
            "criteria": [
                criterion(
                    "2.1",
                    "Порядок мониторинга результатов программы утверждён (приказ)",
                    method="да — 1 балл",
                    points=1,
                    kind="flag",
                    source="Приказ ОМС",
                ),
                criterion(
                    "2.2",
                    "Доля мероприятий программы, выполненных в срок за отчётный год",
                    method="не менее 80 % — 2 балла",
                    points=2,
                    kind="share",
                    threshold="80",
                    source="Отчёт о выполнении программы",
                ),
                criterion(
                    "2.3",
                    "Выводы экспертизы и предложения по корректировке программы",
                    method="без баллов",
                    points=0,
                    kind="text",
                    evidence_required=False,
                    source="",
                ),
            ],
        },
    ],
}


def _link(code, text):
    return criterion(
        code,
        text,
        method="ссылка на страницу сайта — 1 балл",
        points=1,
        kind="link",
        source="Официальный сайт органа управления образованием",
    )


OMC_SITE = {
    "slug": SITE_SLUG,
    "title": "Мониторинг сайтов органов местного самоуправления, осуществляющих управление "
    "в сфере образования",
    "description": "Мониторинг 5 приказа № 1048: вкладка «Управление качеством образования» на сайте ОМС, "
    "документы по направлениям и этапам управленческого цикла, своевременность публикации отчётов, "
    "контакты. Доказательство — ссылки на страницы сайта.",
    "subject": "municipality",
    "participants": "all_municipalities",
    "levels": dict(DEFAULT_LEVELS),
    "sections": [
        {
            "number": 1,
            "title": "Раздел «Управление качеством образования»",
            "maximum": 6,
            "criteria": [
                _link("1.1", "Отдельная вкладка (раздел) «Управление качеством образования»"),
                _link("1.2", "Концептуальные документы по направлениям (положения, программы)"),
                _link("1.3", "Процессуальные документы (порядки, методики мониторингов)"),
                _link("1.4", "Управленческие документы (приказы, дорожные карты, адресные рекомендации)"),
                criterion(
                    "1.5",
                    "Документы размещены по всем этапам управленческого цикла (цели — анализ эффективности)",
                    method="все 6 этапов — 2 балла, 3–5 этапов — 1 балл",
                    points=2,
                    kind="choice",
                    options=[
                        {"value": "lt3", "label": "менее 3 этапов", "points": 0},
                        {"value": "3-5", "label": "3–5 этапов", "points": 1},
                        {"value": "all", "label": "все 6 этапов", "points": 2},
                    ],
                    source="Официальный сайт ОМС",
                ),
            ],
        },
        {
            "number": 2,
            "title": "Своевременность и доступность",
            "maximum": 3,
            "criteria": [
                criterion(
                    "2.1",
                    "Аналитические отчёты за отчётный год опубликованы в установленный срок",
                    method="да — 2 балла",
                    points=2,
                    kind="flag",
                    source="Официальный сайт ОМС",
                ),
                _link("2.2", "Контакты ответственных за управление качеством образования"),
            ],
        },
    ],
}

BUILTIN_TEMPLATES = (SOCIAL_CONDITIONS, MUNICIPAL_PROGRAMME, OMC_SITE)


def seed() -> list[str]:
    """Create each missing built-in template; leave one staff have edited (a later version) alone."""
    import copy

    lines = []
    for data in BUILTIN_TEMPLATES:
        template = CardTemplate.objects.filter(slug=data["slug"]).first()
        if template is None:
            template_import(data=copy.deepcopy(data))
            lines.append(f"Шаблон экспертной карты «{data['slug']}»: создан.")
        elif template_same_content(template, copy.deepcopy(data)):
            lines.append(
                f"Шаблон экспертной карты «{data['slug']}»: без изменений (версия {template.version})."
            )
        elif template.version == 1 and not template.campaigns.exists():
            template_import(data=copy.deepcopy(data))
            lines.append(f"Шаблон экспертной карты «{data['slug']}»: обновлён до встроенного.")
        else:
            lines.append(f"Шаблон экспертной карты «{data['slug']}»: изменён сотрудниками, не тронут.")
    return lines

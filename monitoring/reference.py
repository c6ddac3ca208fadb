"""The built-in card template `lesosibirsk-shnor` (seed 002, annexes 1 and 2; DESIGN §4.5).

Stored as data: staff may edit it (a new version); seeding again restores nothing they changed unless
the stored template still equals an older built-in text.
"""

from .defaults import DEFAULT_HIGH_SHARE, DEFAULT_MEDIUM_SHARE, criterion
from .models import CardTemplate
from .services.templates import template_import, template_same_content

BUILTIN_SLUG = "lesosibirsk-shnor"
RESULTS_SOURCE = "Данные мониторингов и материалы самообследования"
FACT = "факт наличия - 1 балл"
MATH = ["math", "math-profile", "math-base"]


def _dynamic(code, text, *, procedures, subjects, measure, direction, grades=()):
    rule = {
        "procedures": procedures,
        "subjects": subjects,
        "grades": list(grades),
        "measure": measure,
        "direction": direction,
    }
    return criterion(code, text, method=FACT, points=1, kind="computed", rule=rule, source=RESULTS_SOURCE)


def _below_min(code, text, procedures, subjects):
    return _dynamic(
        code, text, procedures=procedures, subjects=subjects, measure="below_min", direction="decrease"
    )


def _vpr(code, text, subjects, grade):
    return _dynamic(
        code,
        text,
        procedures=["VPR"],
        subjects=subjects,
        measure="mark2",
        direction="decrease",
        grades=[grade],
    )


def _high_results(code, text, procedures, subjects, measure):
    """A positive dynamic of the share of high results (`measure`: «high» for ЕГЭ, «mark5» for ОГЭ)."""
    return _dynamic(
        code, text, procedures=procedures, subjects=subjects, measure=measure, direction="increase"
    )


SECTION_1 = [
    _below_min(
        "1.1",
        "Положительная динамика (уменьшение доли) обучающихся, не преодолевших минимальный порог "
        "по русскому языку на ЕГЭ (ГВЭ)",
        ["EGE", "GVE11"],
        ["russian"],
    ),
    _below_min(
        "1.2",
        "Положительная динамика (уменьшение доли) обучающихся, не преодолевших минимальный порог "
        "по математике на ЕГЭ (ГВЭ)",
        ["EGE", "GVE11"],
        MATH,
    ),
    _below_min(
        "1.3",
        "Положительная динамика (уменьшение доли) обучающихся, не преодолевших минимальный порог "
        "по русскому языку на ОГЭ",
        ["OGE"],
        ["russian"],
    ),
    _below_min(
        "1.4",
        "Положительная динамика (уменьшение доли) обучающихся, не преодолевших минимальный порог "
        "по математике на ОГЭ",
        ["OGE"],
        MATH,
    ),
    _vpr("1.5", "Положительная динамика результатов ВПР по русскому языку, 5 класс", ["russian"], 5),
    _vpr("1.6", "Положительная динамика результатов ВПР по русскому языку, 6 класс", ["russian"], 6),
    _vpr("1.7", "Положительная динамика результатов ВПР по математике, 5 класс", MATH, 5),
    _vpr("1.8", "Положительная динамика результатов ВПР по математике, 6 класс", MATH, 6),
    _high_results(
        "1.9", "Положительная динамика высоких результатов ЕГЭ по математике", ["EGE"], MATH, "high"
    ),
    _high_results(
        "1.10",
        "Положительная динамика высоких результатов ЕГЭ по русскому языку",
        ["EGE"],
        ["russian"],
        "high",
    ),
    _high_results(
        "1.11",
        "Положительная динамика высоких результатов ОГЭ по математике (доля отметок «5»)",
        ["OGE"],
        MATH,
        "mark5",
    ),
    _high_results(
        "1.12",
        "Положительная динамика высоких результатов ОГЭ по русскому языку (доля отметок «5»)",
        ["OGE"],
        ["russian"],
        "mark5",
    ),
]


def _share(code, subject):
    return criterion(
        code,
        f"Доля педагогических работников ({subject}), которыми разработаны и реализуются индивидуальные "
        f"образовательные маршруты на основе выявленных профессиональных дефицитов, от общего количества "
        f"педагогических работников ({subject})",
        method="не менее 80% - 1 балл",
        points=1,
        kind="share",
        threshold="80",
        rule={},
        source="Аналитическая информация, заверенная руководителем",
    )


def _fact(code, text, source, method=FACT):
    return criterion(code, text, method=method, points=1, kind="flag", rule={}, source=source)


BUILTIN_TEMPLATE = {
    "slug": BUILTIN_SLUG,
    "title": "Мониторинг системы работы со школами с низкими результатами обучения (ШНОР)",
    "description": "Экспертная карта по Порядку проведения мониторинга системы работы со ШНОР и/или ШНСУ "
    "(приложения 1 и 2). Степень эффективности: высокая 80–100 %, средняя 60–79 %, низкая менее 60 %.",
    "levels": {"high": str(DEFAULT_HIGH_SHARE), "medium": str(DEFAULT_MEDIUM_SHARE)},
    "sections": [
        {
            "number": 1,
            "title": "Выявление динамики образовательных результатов обучающихся",
            "maximum": 12,
            "criteria": SECTION_1,
        },
        {
            "number": 2,
            "title": "Выявление профессиональных дефицитов педагогических работников",
            "maximum": 4,
            "criteria": [
                _share("2.1", "русский язык"),
                _share("2.2", "математика"),
                _fact(
                    "2.3",
                    "Участие в диагностических исследованиях для организации условий непрерывного "
                    "профессионального роста, адресной поддержки педагогических работников, управленческих кадров",
                    "Статистические данные МБУ ИМЦ ЕДУ о прохождении диагностики",
                    "факт участия - 1 балл",
                ),
                _fact(
                    "2.4",
                    "Наличие годового плана методической работы организации с учётом результатов "
                    "диагностических исследований",
                    "Приказ по организации, план методической работы",
                ),
            ],
        },
        {
            "number": 3,
            "title": "Создание системы научно-методического сопровождения педагогических работников "
            "и управленческих кадров",
            "maximum": 1,
            "criteria": [
                _fact(
                    "3.1",
                    "Участие в реализации моделей адресного наставничества («пары школ на равных» или "
                    "«школа с низкими образовательными результатами – школа с высокими образовательными "
                    "результатами»)",
                    "Соглашение о сотрудничестве",
                    "факт участия - 1 балл",
                ),
            ],
        },
    ],
}


def seed() -> list[str]:
    """Every built-in template: `lesosibirsk-shnor` here, the other monitorings' in builtin.py."""
    from .builtin import seed as seed_other_monitorings

    return seed_shnor() + seed_other_monitorings()


def seed_shnor() -> list[str]:
    template = CardTemplate.objects.filter(slug=BUILTIN_SLUG).first()
    if template is None:
        template = template_import(data=BUILTIN_TEMPLATE)
        return [f"Шаблон экспертной карты «{BUILTIN_SLUG}»: создан (17 баллов)."]
    if template_same_content(template, BUILTIN_TEMPLATE):
        return [f"Шаблон экспертной карты «{BUILTIN_SLUG}»: без изменений (версия {template.version})."]
    if template.version == 1 and not template.campaigns.exists():
        template = template_import(data=BUILTIN_TEMPLATE)
        return [
            f"Шаблон экспертной карты «{BUILTIN_SLUG}»: обновлён до встроенного (версия {template.version})."
        ]
    return [
        f"Шаблон экспертной карты «{BUILTIN_SLUG}»: изменён сотрудниками (версия {template.version}), не тронут."
    ]

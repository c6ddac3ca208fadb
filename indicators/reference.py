"""Reference data of the indicators app: procedures, subjects, the indicator catalogue, default rules.

`seed()` is idempotent (update_or_create by code) and is called by `manage.py seed_reference`.
The catalogue follows DESIGN §4.3 and seed 000 (the indicator table of the municipal programme).
"""

from .models import Indicator, MethodologyRules, Procedure, Subject, TeacherLevelRules

PROCEDURES = [
    ("VPR", "ВПР"),
    ("OGE", "ОГЭ"),
    ("EGE", "ЕГЭ"),
    ("GVE9", "ГВЭ-9"),
    ("GVE11", "ГВЭ-11"),
    ("NIKO", "НИКО"),
    ("KDR", "КДР"),
]

SUBJECTS = [
    ("russian", "Русский язык"),
    ("math", "Математика"),
    ("math-base", "Математика (базовая)"),
    ("math-profile", "Математика (профильная)"),
    ("physics", "Физика"),
    ("chemistry", "Химия"),
    ("biology", "Биология"),
    ("geography", "География"),
    ("history", "История"),
    ("social-studies", "Обществознание"),
    ("literature", "Литература"),
    ("informatics", "Информатика"),
    ("english", "Английский язык"),
    ("german", "Немецкий язык"),
    ("french", "Французский язык"),
    ("reading", "Читательская грамотность"),
    ("natural-science", "Окружающий мир"),
]

GIA_SOURCE = "РИС ГИА, ФИС ГИА и приёма: результаты ГИА (файл результатов оценочных процедур)"
VPR_SOURCE = "ФИС ОКО: база результатов ВПР (файл результатов оценочных процедур)"
CONTEXT_SOURCE = "Сведения ОМС и ОО (файл контекста ОО), статистический отчёт 1-НД"
SCHOOLS_SOURCE = "Реестр ОО (файл школ): признаки школы"
SCHOOL_FLAG_FORMULA = "да/нет из реестра ОО (риск 1 или 0)"
RESPONSIBLE = "Главный инспектор МКУ УО, ИМЦ МКУ УО"
SHARE, FLAG = Indicator.Kind.SHARE, Indicator.Kind.FLAG
BETTER, WORSE = Indicator.Polarity.HIGHER_IS_BETTER, Indicator.Polarity.HIGHER_IS_WORSE
RES, SOC, TEA = Indicator.Group.RESULTS, Indicator.Group.SOCIAL, Indicator.Group.TEACHERS
IDX_RES, IDX_SOC, IDX_NONE = Indicator.Index.RESULTS, Indicator.Index.SOCIAL, Indicator.Index.NONE


def _social_share(code: str, name: str, short: str, formula: str) -> tuple:
    """A share of the school's context that counts in the social index: more is worse."""
    return (code, name, short, SOC, SHARE, IDX_SOC, WORSE, formula, CONTEXT_SOURCE, "")


def _school_flag(code: str, name: str, short: str) -> tuple:
    """A flag of the schools registry that counts in the social index as a risk of 1 or 0."""
    return (code, name, short, SOC, FLAG, IDX_SOC, WORSE, SCHOOL_FLAG_FORMULA, SCHOOLS_SOURCE, "")


def _teacher_share(code: str, name: str, short: str, formula: str) -> tuple:
    """A share of the school's teachers from its context, outside the indices: more is better."""
    return (code, name, short, TEA, SHARE, IDX_NONE, BETTER, formula, CONTEXT_SOURCE, "")


# (code, name, short name, group, kind, index, polarity, formula, source, description)
INDICATORS = [
    (
        "ege_high_share",
        "Доля высокобалльников ЕГЭ",
        "Высокобалльники ЕГЭ",
        RES,
        SHARE,
        IDX_RES,
        BETTER,
        "Σ высокий результат / Σ участников × 100 по строкам ЕГЭ",
        GIA_SOURCE,
        "Доля участников ЕГЭ с высоким результатом среди всех участников ЕГЭ школы за год.",
    ),
    (
        "ege_below_min_share",
        "Доля не преодолевших минимальный порог ЕГЭ",
        "Ниже минимума ЕГЭ",
        RES,
        SHARE,
        IDX_RES,
        WORSE,
        "Σ не преодолели минимальный порог / Σ участников × 100 по строкам ЕГЭ",
        GIA_SOURCE,
        "Доля участников ЕГЭ, не набравших минимального количества баллов.",
    ),
    (
        "oge_below_min_share",
        "Доля не преодолевших минимальный порог ОГЭ",
        "Ниже минимума ОГЭ",
        RES,
        SHARE,
        IDX_RES,
        WORSE,
        "Σ не преодолели минимальный порог / Σ участников × 100 по строкам ОГЭ",
        GIA_SOURCE,
        "Доля участников ОГЭ, получивших неудовлетворительный результат.",
    ),
    (
        "vpr_fail_share",
        "Доля обучающихся, получивших «2» на ВПР",
        "«2» на ВПР",
        RES,
        SHARE,
        IDX_RES,
        WORSE,
        "Σ отметка «2» / Σ участников × 100 по строкам ВПР",
        VPR_SOURCE,
        "Доля участников ВПР, получивших отметку «2».",
    ),
    (
        "vpr_lowered_share",
        "Доля понизивших отметку на ВПР относительно журнальной",
        "Понизили на ВПР",
        RES,
        SHARE,
        IDX_NONE,
        WORSE,
        "Σ понизили / Σ участников × 100 по строкам ВПР, где заполнены столбцы соответствия",
        VPR_SOURCE,
        "Маркер объективности: отметка за ВПР ниже отметки по журналу. Не входит в индекс результатов; "
        "результаты ВПР не используются для оценки отдельных учителей.",
    ),
    (
        "accreditation_suspended",
        "Лишение или приостановление государственной аккредитации",
        "Приостановление аккредитации",
        RES,
        FLAG,
        IDX_NONE,
        WORSE,
        "да/нет из контекста ОО за год",
        CONTEXT_SOURCE,
        "Сведения из базы контрольно-надзорных мероприятий. Показывается рядом с индексом результатов.",
    ),
    _social_share(
        "police_register_share",
        "Доля обучающихся, состоящих на учёте в ОДН, КДН",
        "На учёте ОДН/КДН",
        "на учёте ОДН/КДН / обучающихся × 100",
    ),
    _social_share(
        "migrant_share",
        "Доля обучающихся из семей мигрантов или с низким владением русским языком",
        "Мигранты / низкое владение русским",
        "мигранты или низкое владение русским / обучающихся × 100",
    ),
    _social_share(
        "not_attested_share",
        "Доля неаттестованных обучающихся по итогам учебного года",
        "Неаттестованные",
        "неаттестованные / обучающихся × 100",
    ),
    _social_share(
        "absentee_share",
        "Доля обучающихся с систематическими пропусками без уважительной причины",
        "Систематические пропуски",
        "систематические пропуски / обучающихся × 100",
    ),
    _social_share(
        "special_needs_share",
        "Доля обучающихся с ЗПР, умственной отсталостью (по заключению ПМПК)",
        "ЗПР/ОВЗ (ПМПК)",
        "ЗПР/ОВЗ (ПМПК) / обучающихся × 100",
    ),
    _school_flag(
        "is_remote", "Отдалённость от образовательных центров, транспортная недоступность", "Удалённая школа"
    ),
    _school_flag("is_small", "Малокомплектная школа", "Малокомплектная"),
    _school_flag(
        "infrastructure_deficit",
        "Дефицит базовой инфраструктуры, интернета, компьютерной техники",
        "Дефицит инфраструктуры",
    ),
    _school_flag(
        "staff_shortage",
        "Неукомплектованность штата педагогическими кадрами и специалистами",
        "Некомплект кадров",
    ),
    _teacher_share(
        "teachers_diagnosed_share",
        "Доля учителей, прошедших диагностику профессиональных дефицитов",
        "Диагностика дефицитов",
        "учителей прошли диагностику / педагогов × 100",
    ),
    _teacher_share(
        "teachers_pd_request_share",
        "Доля учителей, прошедших повышение квалификации с учётом индивидуальных запросов",
        "КПК по запросу",
        "учителей прошли КПК по запросу / педагогов × 100",
    ),
    _teacher_share(
        "teachers_pd_risk_share",
        "Доля учителей, прошедших повышение квалификации по работе с детьми с риском образовательной неуспешности",
        "КПК по риску неуспешности",
        "учителей прошли КПК по работе с детьми с риском неуспешности / педагогов × 100",
    ),
]
INDICATOR_CODES = [row[0] for row in INDICATORS]
DEFAULT_RULES_YEAR = 2000


def seed() -> list[str]:
    seed_procedures()
    for code, name in SUBJECTS:
        if (
            not Subject.objects.filter(code=code).exists()
            and not Subject.objects.filter(name__iexact=name).exists()
        ):
            Subject.objects.create(code=code, name=name)
    seed_catalogue()
    rules, created = MethodologyRules.objects.get_or_create(
        valid_from=DEFAULT_RULES_YEAR,
        defaults={"weights": default_weights(), "comment": "Значения по умолчанию"},
    )
    _, bands_created = TeacherLevelRules.objects.get_or_create(
        valid_from=DEFAULT_RULES_YEAR,
        defaults={
            "comment": "Значения по умолчанию: низкий уровень — меньше 50 % максимума, высокий — от 80 %"
        },
    )
    return [
        f"Оценочные процедуры: {len(PROCEDURES)}, предметы: {Subject.objects.count()}.",
        f"Показатели: {len(INDICATORS)}.",
        "Правила расчёта: " + ("созданы значения по умолчанию." if created else "уже заданы, не изменялись."),
        "Уровни диагностики педагогов: "
        + ("созданы значения по умолчанию." if bands_created else "уже заданы, не изменялись."),
    ]


def seed_procedures() -> None:
    for code, name in PROCEDURES:
        Procedure.objects.update_or_create(code=code, defaults={"name": name})


def default_weights() -> dict:
    return {code: 1 for code, *_ in INDICATORS if _index_of(code)}


def seed_catalogue() -> None:
    """Create or refresh the indicator catalogue (the computation needs every code)."""
    for order, (code, name, short, group, kind, index, polarity, formula, source, description) in enumerate(
        INDICATORS
    ):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "group": group,
                "kind": kind,
                "index": index,
                "polarity": polarity,
                "formula": formula,
                "unit": "%" if kind == SHARE else "да/нет",
                "source": source,
                "responsible": RESPONSIBLE,
                "periodicity": "ежегодно",
                "description": description,
                "order": order,
            },
        )


def _index_of(code: str) -> str:
    return next(row[5] for row in INDICATORS if row[0] == code)

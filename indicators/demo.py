"""Demo results for the demo municipality (schools/demo.py), 2021–2025, then the computation of each year.

Profiles drive the numbers: "weak" schools stay low (each with its own severity, the weakest being
«0101», so it is the worst of its cluster every year and ends up ШНОР), "improving" ones start weak and
climb out, "strong" ones are above the rest, "normal" ones vary around the middle. Idempotent: rows are
upserted by their natural key and the computation replaces each year.
"""

import random
import zlib

from schools import formatting
from schools.demo import SCHOOL_PROFILES, YEARS
from schools.models import School, SchoolContext

from .demo_teachers import build_teacher_diagnostics
from .models import RESULT_FIGURES, AssessmentResult, Procedure, Subject
from .reference import seed_procedures
from .services import statuses_compute

# per profile: ВПР «2» share, ОГЭ below-minimum share, ЕГЭ high share, ЕГЭ below-minimum share
RATES = {
    "weak": (0.24, 0.16, 0.03, 0.09),
    "normal": (0.09, 0.05, 0.12, 0.025),
    "strong": (0.03, 0.01, 0.30, 0.0),
}
EGE_EXTRA = [("physics", "Физика"), ("social-studies", "Обществознание")]


def _severity(code: str) -> float:
    if code == "0101":
        return 1.6
    return 1.0 + (zlib.crc32(code.encode()) % 40) / 100


def _rates(code: str, profile: str, year: int) -> tuple[float, ...]:
    if profile == "improving":
        progress = (year - YEARS[0]) / (len(YEARS) - 1)
        weak, normal = RATES["weak"], RATES["normal"]
        return tuple(w + (n - w) * progress for w, n in zip(weak, normal, strict=True))
    rates = RATES[profile]
    if profile == "weak":
        severity = _severity(code)
        return rates[0] * severity, rates[1] * severity, rates[2] / severity, rates[3] * severity
    return rates


def _count(rng: random.Random, total: int, rate: float) -> int:
    return max(0, min(total, round(total * rate * rng.uniform(0.9, 1.1))))


def _rows(school: School, students: int, profile: str, year: int, ids: dict) -> list[AssessmentResult]:
    rng = random.Random(f"{school.code}-{year}")
    fail, oge_below, ege_high, ege_below = _rates(school.code, profile, year)
    cohort = max(4, round(students / 11))
    rows = []

    def result(procedure: str, subject: str, grade: int, participants: int, **figures) -> AssessmentResult:
        return AssessmentResult(
            school=school,
            year=year,
            procedure_id=ids[procedure],
            subject_id=ids[subject],
            grade=grade,
            participants=participants,
            **figures,
        )

    for grade in range(4, 9):
        for subject in ("russian", "math"):
            n = max(3, round(cohort * rng.uniform(0.85, 1.0)))
            mark2 = _count(rng, n, fail)
            mark5 = _count(rng, n - mark2, 0.08 if profile == "weak" else 0.2)
            mark4 = _count(rng, n - mark2 - mark5, 0.4)
            lowered = _count(rng, n, 0.38 if profile == "weak" and school.code == "0101" else 0.15)
            raised = _count(rng, n - lowered, 0.05)
            rows.append(
                result(
                    "VPR",
                    subject,
                    grade,
                    n,
                    mark2=mark2,
                    mark3=n - mark2 - mark4 - mark5,
                    mark4=mark4,
                    mark5=mark5,
                    lowered=lowered,
                    raised=raised,
                    confirmed=n - lowered - raised,
                    average=round(2 + 3 * (1 - fail) * rng.uniform(0.55, 0.7), 2),
                )
            )
    for subject in ("russian", "math"):
        n = max(3, round(cohort * rng.uniform(0.8, 1.0)))
        below = _count(rng, n, oge_below)
        mark5 = _count(rng, n - below, 0.25 if profile == "strong" else 0.12)
        rows.append(result("OGE", subject, 9, n, below_min=below, mark2=below, mark5=mark5))
    if "ООШ" not in school.short_name:
        extra = EGE_EXTRA[: 1 + zlib.crc32(school.code.encode()) % 2]
        for subject in ["russian", "math", *[code for code, _ in extra]]:
            n = max(2, round(cohort * 0.6 * rng.uniform(0.8, 1.0)))
            below = _count(rng, n, ege_below)
            rows.append(
                result(
                    "EGE",
                    subject,
                    11,
                    n,
                    below_min=below,
                    high=_count(rng, n - below, ege_high),
                    average=round(40 + 40 * (1 - fail) * rng.uniform(0.7, 0.9), 2),
                )
            )
    return rows


def build(*, stdout) -> None:
    seed_procedures()
    for code, name in [("russian", "Русский язык"), ("math", "Математика"), *EGE_EXTRA]:
        if not Subject.objects.filter(code=code).exists():
            Subject.objects.get_or_create(name=name, defaults={"code": code})
    ids = {
        **dict(Procedure.objects.values_list("code", "pk")),
        **dict(Subject.objects.values_list("code", "pk")),
    }
    schools = list(School.objects.filter(code__in=SCHOOL_PROFILES).order_by("code"))
    students = {(c.school_id, c.year): c.students for c in SchoolContext.objects.filter(school__in=schools)}
    rows = []
    for school in schools:
        for year in YEARS:
            rows += _rows(
                school, students.get((school.pk, year)) or 200, SCHOOL_PROFILES[school.code], year, ids
            )
    AssessmentResult.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["school", "year", "procedure", "subject", "grade"],
        update_fields=[*RESULT_FIGURES, "updated_at"],
    )
    stdout.write(f"Результаты оценочных процедур: {len(rows)} строк за {YEARS[0]}–{YEARS[-1]} учебные годы.")
    build_teacher_diagnostics(stdout=stdout)
    for year in YEARS:
        run = statuses_compute(year=year)
        stdout.write(
            f"Расчёт {formatting.school_year(year)}: ШНОР — {run.low_results_count}, ШНСУ — {run.unfavourable_count}."
        )

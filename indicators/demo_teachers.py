"""Demo teachers' subject diagnostics (DESIGN §7.4): the last two years, Russian and mathematics, each
teacher known by a pseudonym code only. Weak schools have more teachers at the low level. Idempotent:
rows are upserted by (school, year, subject, teacher code)."""

import random
from decimal import Decimal

from schools.demo import SCHOOL_PROFILES, YEARS
from schools.models import School

from .models import Subject, TeacherDiagnostic

MAX_SCORE = 40
SUBJECTS = {"russian": "Р", "math": "М"}
# the usual share of the maximum score by profile (weak schools mostly below the 50 % band)
MEANS = {"weak": 0.5, "improving": 0.62, "normal": 0.68, "strong": 0.8}


def build_teacher_diagnostics(*, stdout) -> None:
    subjects = dict(Subject.objects.filter(code__in=SUBJECTS).values_list("code", "pk"))
    schools = list(School.objects.filter(code__in=SCHOOL_PROFILES).order_by("code"))
    rows = []
    for school in schools:
        mean = MEANS[SCHOOL_PROFILES[school.code]]
        for year in YEARS[-2:]:
            rng = random.Random(f"teachers-{school.code}-{year}")
            for code, letter in SUBJECTS.items():
                if code not in subjects:
                    continue
                for number in range(1, 3 + rng.randrange(4)):
                    share = min(1.0, max(0.1, rng.gauss(mean, 0.14)))
                    rows.append(
                        TeacherDiagnostic(
                            school=school,
                            year=year,
                            subject_id=subjects[code],
                            teacher_code=f"{letter}-{number:02d}",
                            score=Decimal(round(share * MAX_SCORE)),
                            max_score=Decimal(MAX_SCORE),
                        )
                    )
    TeacherDiagnostic.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["school", "year", "subject", "teacher_code"],
        update_fields=["score", "max_score", "updated_at"],
    )
    stdout.write(f"Диагностика предметных компетенций педагогов: {len(rows)} результатов за 2 учебных года.")

"""Synthetic data for the benchmarks: schools, contexts and assessment results of N schools x years.

Two ways out:
- `write_results_xlsx(path, ...)`: the results file of DESIGN §4.2 (Russian headers), written with
  openpyxl in write_only mode, to be imported through the real import path;
- `load_schools(...)`, `load_contexts(...)`, `load_results(...)`: rows put straight into the database
  with bulk_create (quick setup for the compute benchmarks; no history rows, no import batch).

Everything is deterministic (seeded), so the same N gives the same file and the same rows.

Command line (needs a configured DATABASE_URL only for --load):
    .venv/bin/python benchmarks/generate.py --schools 10000 --years 2024 \
        --xlsx benchmarks/data/results_10000.xlsx
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"

HEADERS = [
    "Код ОО",
    "Учебный год",
    "Процедура",
    "Предмет",
    "Класс",
    "Участников",
    "Не преодолели минимальный порог",
    "Высокий результат",
    "Отметка 2",
    "Отметка 3",
    "Отметка 4",
    "Отметка 5",
    "Средний балл",
    "Понизили",
    "Подтвердили",
    "Повысили",
]

# (code, Russian name); names are what the file carries in «Предмет».
SUBJECTS = [
    ("russian", "Русский язык"),
    ("math", "Математика"),
    ("natural-science", "Окружающий мир"),
    ("history", "История"),
    ("biology", "Биология"),
    ("geography", "География"),
    ("social-studies", "Обществознание"),
    ("physics", "Физика"),
    ("chemistry", "Химия"),
    ("informatics", "Информатика"),
]
SUBJECT_NAME = dict(SUBJECTS)
PROCEDURE_LABEL = {"VPR": "ВПР", "OGE": "ОГЭ", "EGE": "ЕГЭ"}

# 20 result rows per school and year: (procedure, subject code, grade).
ROW_PLAN = (
    [("VPR", s, 4) for s in ("russian", "math", "natural-science")]
    + [("VPR", s, 5) for s in ("russian", "math", "history", "biology")]
    + [("VPR", s, 6) for s in ("russian", "math", "geography")]
    + [("OGE", s, 9) for s in ("russian", "math", "social-studies", "informatics")]
    + [("EGE", s, 11) for s in ("russian", "math", "physics", "chemistry", "social-studies", "history")]
)
SCHOOLS_PER_MUNICIPALITY = 250


def school_code(i: int) -> str:
    return f"{i + 1:06d}"


def school_quality(i: int) -> float:
    """A stable 0..1 'strength' of school i (drives its results)."""
    return random.Random(i * 7919).random()


def school_students(i: int, year: int) -> int:
    rng = random.Random(i * 104729 + year)
    base = random.Random(i).choice([45, 80, 150, 260, 420, 640, 900, 1200])
    return max(10, int(base * rng.uniform(0.9, 1.1)))


def result_rows(i: int, year: int):
    """Yield the 20 rows of school i in a year as tuples in HEADERS order (counts as ints, year as int)."""
    rng = random.Random(i * 1_000_003 + year * 31)
    quality = school_quality(i)
    students = school_students(i, year)
    size = max(5, students // 10)
    for procedure, subject, grade in ROW_PLAN:
        participants = max(1, int(size * rng.uniform(0.6, 1.0)))
        fail = min(participants, int(participants * max(0.0, rng.gauss(0.25 - 0.2 * quality, 0.05))))
        below_min = high = m2 = m3 = m4 = m5 = average = lowered = confirmed = raised = None
        if procedure in ("VPR", "OGE"):
            rest = participants - fail
            m5 = int(rest * rng.uniform(0.05, 0.15 + 0.25 * quality))
            m4 = int((rest - m5) * rng.uniform(0.3, 0.6))
            m3 = rest - m5 - m4
            m2 = fail
            average = round((2 * m2 + 3 * m3 + 4 * m4 + 5 * m5) / participants, 2)
            if procedure == "OGE":
                below_min = fail
            else:
                lowered = int(participants * rng.uniform(0.0, 0.2))
                raised = int((participants - lowered) * rng.uniform(0.0, 0.1))
                confirmed = participants - lowered - raised
        else:
            below_min = fail
            high = min(participants - below_min, int(participants * rng.uniform(0.0, 0.1 + 0.3 * quality)))
            average = round(rng.uniform(40, 60 + 25 * quality), 2)
        yield (
            school_code(i),
            year,
            PROCEDURE_LABEL[procedure],
            SUBJECT_NAME[subject],
            grade,
            participants,
            below_min,
            high,
            m2,
            m3,
            m4,
            m5,
            average,
            lowered,
            confirmed,
            raised,
        )


def write_results_xlsx(
    path: Path, *, schools: int, years: list[int], rows_limit: int | None = None, first_school: int = 0
) -> int:
    """Write the §4.2 results file (write_only workbook); return the number of data rows."""
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Результаты")
    sheet.append(HEADERS)
    written = 0
    for year in years:
        label = f"{year}/{year + 1}"
        for i in range(first_school, first_school + schools):
            for row in result_rows(i, year):
                sheet.append([row[0], label, *row[2:]])
                written += 1
                if rows_limit and written >= rows_limit:
                    break
            if rows_limit and written >= rows_limit:
                break
    tmp = path.with_suffix(".tmp.xlsx")
    workbook.save(tmp)
    os.replace(tmp, path)
    return written


def results_file(*, schools: int, years: list[int], rows_limit: int | None = None) -> Path:
    """The cached results file for these parameters (written on first use)."""
    suffix = f"_{rows_limit}rows" if rows_limit else ""
    path = DATA / f"results_{schools}x{'-'.join(map(str, years))}{suffix}.xlsx"
    if not path.exists():
        write_results_xlsx(path, schools=schools, years=years, rows_limit=rows_limit)
    return path


# --- Direct database loading (Django must be set up) ---------------------------------------------


def ensure_reference() -> dict:
    """Procedures and subjects the generated rows use; returns ids by code. Idempotent."""
    from indicators.models import Procedure, Subject

    procedures = {}
    for code, label in Procedure.Code.choices:
        procedure, _ = Procedure.objects.get_or_create(code=code, defaults={"name": label})
        procedures[code] = procedure.pk
    subjects = {}
    for code, name in SUBJECTS:
        subject = (
            Subject.objects.filter(name__iexact=name).first() or Subject.objects.filter(code=code).first()
        )
        if subject is None:
            subject = Subject.objects.create(code=code, name=name)
        subjects[code] = subject.pk
    return {"procedures": procedures, "subjects": subjects}


def municipality_of(i: int, schools: int, municipalities: int | None) -> int:
    """The municipality (0-based) of school i: blocks of SCHOOLS_PER_MUNICIPALITY, or `municipalities`
    blocks of nearly equal size (a region: 1,500 schools in 60 municipalities are 25 each)."""
    if municipalities is None:
        return i // SCHOOLS_PER_MUNICIPALITY
    return i * municipalities // schools


def load_schools(
    schools: int, *, municipalities: int | None = None, batch_size: int = 5000
) -> dict[str, int]:
    """Create schools 0..N-1 (and their municipalities, codes M001…) if missing; return code → id."""
    from schools.models import Municipality, School

    count = municipalities or (schools + SCHOOLS_PER_MUNICIPALITY - 1) // SCHOOLS_PER_MUNICIPALITY
    has_code = any(f.name == "code" for f in Municipality._meta.get_fields())
    municipalities_ids = []
    for m in range(count):
        defaults = {"code": f"M{m + 1:03d}"} if has_code else {}
        municipality, _ = Municipality.objects.get_or_create(
            name=f"Синтетический округ № {m + 1}", defaults=defaults
        )
        municipalities_ids.append(municipality.pk)
    existing = set(School.objects.values_list("code", flat=True))
    new = []
    for i in range(schools):
        code = school_code(i)
        if code in existing:
            continue
        rng = random.Random(i)
        village = rng.random() < 0.45
        new.append(
            School(
                code=code,
                name=f"Синтетическая школа № {i + 1}",
                short_name=f"Школа № {i + 1}",
                municipality_id=municipalities_ids[municipality_of(i, schools, municipalities)],
                settlement=School.Settlement.VILLAGE if village else School.Settlement.TOWN,
                is_small=school_students(i, 2024) < 100,
                is_remote=village and rng.random() < 0.3,
                infrastructure_deficit=rng.random() < 0.15,
                staff_shortage=rng.random() < 0.2,
            )
        )
    School.objects.bulk_create(new, batch_size=batch_size)
    return dict(
        School.objects.filter(code__in=[school_code(i) for i in range(schools)]).values_list("code", "pk")
    )


def load_contexts(ids: dict[str, int], years: list[int], *, batch_size: int = 5000) -> int:
    from schools.models import SchoolContext

    done = set(SchoolContext.objects.filter(year__in=years).values_list("school_id", "year"))
    new = []
    for i in range(len(ids)):
        school_id = ids[school_code(i)]
        for year in years:
            if (school_id, year) in done:
                continue
            rng = random.Random(i * 31 + year)
            students = school_students(i, year)
            teachers = max(3, students // 14)
            new.append(
                SchoolContext(
                    school_id=school_id,
                    year=year,
                    students=students,
                    teachers=teachers,
                    police_registered=int(students * rng.uniform(0, 0.03)),
                    migrants=int(students * rng.uniform(0, 0.1)),
                    not_attested=int(students * rng.uniform(0, 0.02)),
                    absentees=int(students * rng.uniform(0, 0.04)),
                    special_needs=int(students * rng.uniform(0, 0.08)),
                    accreditation_suspended=rng.random() < 0.01,
                    teachers_diagnosed=int(teachers * rng.uniform(0.2, 1)),
                    teachers_pd_request=int(teachers * rng.uniform(0.1, 0.8)),
                    teachers_pd_risk=int(teachers * rng.uniform(0, 0.5)),
                )
            )
    SchoolContext.objects.bulk_create(new, batch_size=batch_size)
    return len(new)


def load_results(ids: dict[str, int], years: list[int], *, chunk_rows: int = 50_000, progress=None) -> int:
    """Insert the generated result rows of every school and year (skips a year already loaded).

    Setup only, so it goes around the ORM: COPY on PostgreSQL, executemany on SQLite (bulk_create of
    model instances costs ~0.1 ms a row, which is minutes for millions of rows).
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from indicators.models import RESULT_FIGURES, AssessmentResult

    columns = [
        "school_id",
        "year",
        "procedure_id",
        "subject_id",
        "grade",
        *RESULT_FIGURES,
        "created_at",
        "updated_at",
    ]
    ref = ensure_reference()
    subject_ids = {SUBJECT_NAME[code]: pk for code, pk in ref["subjects"].items()}
    procedure_ids = {label: ref["procedures"][code] for code, label in PROCEDURE_LABEL.items()}
    now = timezone.now()
    table = AssessmentResult._meta.db_table
    total = 0
    for year in years:
        if AssessmentResult.objects.filter(year=year).exists():
            continue
        chunk = []
        for i in range(len(ids)):
            school_id = ids[school_code(i)]
            for row in result_rows(i, year):
                chunk.append(
                    (school_id, year, procedure_ids[row[2]], subject_ids[row[3]], *row[4:], now, now)
                )
            if len(chunk) >= chunk_rows or i == len(ids) - 1:
                with transaction.atomic():
                    _insert_rows(connection, table, columns, chunk)
                total += len(chunk)
                chunk = []
                if progress:
                    progress(total)
    return total


def _insert_rows(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            import csv
            import io

            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in rows:
                writer.writerow(
                    ["" if v is None else v.isoformat() if hasattr(v, "isoformat") else v for v in row]
                )
            buffer.seek(0)
            cursor.cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '')", buffer
            )
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--years", default="2021,2022,2023,2024,2025", help="comma-separated start years")
    parser.add_argument("--xlsx", help="write the results file here")
    parser.add_argument("--rows", type=int, help="stop the file after this many rows")
    parser.add_argument(
        "--load", action="store_true", help="bulk-load schools, contexts, results into DATABASE_URL"
    )
    args = parser.parse_args(argv)
    years = [int(y) for y in args.years.split(",")]
    if args.xlsx:
        started = time.perf_counter()
        rows = write_results_xlsx(Path(args.xlsx), schools=args.schools, years=years, rows_limit=args.rows)
        print(f"{args.xlsx}: {rows} rows in {time.perf_counter() - started:.1f} s")
    if args.load:
        setup_django()
        started = time.perf_counter()
        ids = load_schools(args.schools)
        contexts = load_contexts(ids, years)
        results = load_results(ids, years)
        print(
            f"loaded {len(ids)} schools, {contexts} contexts, {results} results "
            f"in {time.perf_counter() - started:.1f} s"
        )


if __name__ == "__main__":
    main()

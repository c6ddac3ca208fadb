"""Speed benchmarks of the results import and the computation, side by side with the baselines.

One command:
    .venv/bin/python benchmarks/run.py --db sqlite,postgres

For each database it creates a fresh database of its own (SQLite file in benchmarks/data/, or
PostgreSQL `bench_<db>_<n>` on DATABASE_ADMIN_URL, dropped at the end), migrates it, seeds the reference
data, and runs every measurement in a separate Python process (clean peak-memory figures; a hung step
is killed after --timeout seconds). Figures go to stdout as a Markdown table and to
benchmarks/data/run_<db>_<time>.json.

Measurements:
- import-ours: `schools.importing.run_import(kind="results", ...)` on the 200,000-row file (and on the
  smaller file used for the django-import-export runs, so the ratio is on the same file), then a
  re-import of the same file (every row an update); peak RSS of the process (ru_maxrss).
- import-iex-default / import-iex-bulk: a plain django-import-export ModelResource (benchmarks/
  iex_resource.py), default options / use_bulk+skip_diff+batch_size, same file.
- compute / naive: the indicators compute of one year vs a per-school loop (benchmarks/naive.py),
  for every --sizes value (schools), on a database holding only those schools.
- connections (PostgreSQL only): cost of a new connection per request vs a kept one.
- calibrate: how fast this machine is right now, on the issue's own reference figures: python-calamine
  reading the 200,000-row file (the issue: about 100,000 rows/s) and openpyxl in read-only mode (about
  7,000 rows/s). Shared 2-core machines differ from day to day; figures of two days compare only
  together with these. Every step also records the CPU time stolen by the hypervisor while it ran.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
PYTHON = sys.executable
YEAR = 2024
YEARS = [2020, 2021, 2022, 2023, 2024]
ADMIN_URL = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


# --- worker side: runs inside a child process with DATABASE_URL set ---------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def task_prepare(args) -> dict:
    import generate

    started = time.perf_counter()
    ids = generate.load_schools(args.schools)
    contexts = generate.load_contexts(ids, YEARS)
    results_years = [int(y) for y in args.results_years.split(",")] if args.results_years else []
    results = generate.load_results(ids, results_years) if results_years else 0
    from django.db import connection

    if connection.vendor == "postgresql":  # as autovacuum would have done on a live database
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "schools": len(ids),
        "contexts": contexts,
        "results": results,
        "seconds": time.perf_counter() - started,
    }


def task_clear(args) -> dict:
    from django.db import connection

    from indicators.models import AssessmentResult

    tables = [AssessmentResult._meta.db_table, AssessmentResult.history.model._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
    return {"cleared": tables}


def task_import_ours(args) -> dict:
    from django.db import connection

    from indicators.models import AssessmentResult
    from schools.importing import run_import

    path = Path(args.file)
    baseline = _current_rss_mb()
    cpu = _cpu_seconds()
    started = time.perf_counter()
    with path.open("rb") as file:
        summary = run_import(kind="results", file=file, file_name=path.name, dry_run=args.dry_run)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    if summary.errors:
        raise SystemExit(f"import failed: {summary.errors[:5]}")
    stored = AssessmentResult.objects.count()
    connection.close()
    return {
        "seconds": seconds,
        "rows": summary.rows,
        "created": summary.created,
        "updated": summary.updated,
        "rows_per_second": summary.rows / seconds,
        "stored": stored,
        "dry_run": args.dry_run,
        "cpu_seconds": cpu,
        "rss_before_mb": baseline,
        "peak_rss_mb": _rss_mb(),
    }


def task_import_iex(args) -> dict:
    import iex_resource
    import tablib

    from indicators.models import AssessmentResult

    resource_class = iex_resource.ResultBulkResource if args.mode == "bulk" else iex_resource.ResultResource
    path = Path(args.file)
    cpu = _cpu_seconds()
    started = time.perf_counter()
    with path.open("rb") as file:
        dataset = tablib.Dataset().load(file.read(), format="xlsx")
    loaded = time.perf_counter()
    result = resource_class().import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("django-import-export reported errors")
    rows = len(dataset)
    return {
        "seconds": seconds,
        "load_seconds": loaded - started,
        "rows": rows,
        "rows_per_second": rows / seconds,
        "cpu_seconds": _cpu_seconds() - cpu,
        "totals": dict(result.totals),
        "stored": AssessmentResult.objects.count(),
        "peak_rss_mb": _rss_mb(),
    }


class QueryCounter:
    """Counts SQL statements without keeping them (connection.queries would hold every big INSERT)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed_with_queries(func) -> dict:
    from django.db import connection

    counter = QueryCounter()
    cpu = _cpu_seconds()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        outcome = func()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu_seconds": _cpu_seconds() - cpu,
        "outcome": outcome,
        "queries": counter.count,
        "peak_rss_mb": _rss_mb(),
    }


def task_calibrate(args) -> dict:
    """Reading speed of the two xlsx readers the issue quotes, on the import benchmark's file."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    rows = len(CalamineWorkbook.from_path(args.file).get_sheet_by_index(0).to_python())
    calamine_seconds = time.perf_counter() - started
    started, openpyxl_rows = time.perf_counter(), 0
    workbook = openpyxl.load_workbook(args.file, read_only=True)
    for _ in workbook.worksheets[0].iter_rows(values_only=True):
        openpyxl_rows += 1
        if openpyxl_rows == args.n:
            break
    workbook.close()
    openpyxl_seconds = time.perf_counter() - started
    return {
        "calamine_rows": rows,
        "calamine_rows_per_second": rows / calamine_seconds,
        "openpyxl_rows": openpyxl_rows,
        "openpyxl_rows_per_second": openpyxl_rows / openpyxl_seconds,
    }


def _cpu_ticks() -> tuple[int, int]:
    """(all, stolen) CPU ticks of the machine so far, from /proc/stat (zeros where there is none)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0, 0
    return sum(fields[:8]), fields[7] if len(fields) > 7 else 0


def task_compute(args) -> dict:
    import compute_adapter

    return _timed_with_queries(lambda: compute_adapter.compute_year(YEAR))


def task_naive(args) -> dict:
    import naive

    return _timed_with_queries(lambda: naive.compute_year_per_school(YEAR))


def task_connections(args) -> dict:
    """Per-request cost with a new connection vs a kept one, through Django's test client and raw psycopg2."""
    import psycopg2
    from django.conf import settings
    from django.db import close_old_connections, connection

    db = settings.DATABASES["default"]
    n = args.n
    started = time.perf_counter()
    for _ in range(n):
        psycopg2.connect(
            dbname=db["NAME"],
            user=db["USER"],
            host=db["HOST"],
            port=db["PORT"] or 5432,
            password=db["PASSWORD"] or None,
        ).close()
    connect_close = (time.perf_counter() - started) / n
    kept = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
        password=db["PASSWORD"] or None,
    )
    started = time.perf_counter()
    for _ in range(n):
        with kept.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    query_kept = (time.perf_counter() - started) / n
    kept.close()

    figures = {
        "psycopg2_connect_close_ms": connect_close * 1000,
        "psycopg2_select1_kept_ms": query_kept * 1000,
    }
    # Through Django, as a request sees it: CONN_MAX_AGE=0 closes the connection at the end of every
    # request, so each request pays connect + Django's connection setup. (The test client cannot show this:
    # it disconnects close_old_connections from the request signals.)
    from schools.models import School

    def request_like():
        list(School.objects.order_by("pk").values_list("code", flat=True)[:20])

    connection.close()
    started = time.perf_counter()
    for _ in range(n):
        request_like()
        connection.close()
    figures["django_query_new_connection_ms"] = (time.perf_counter() - started) / n * 1000
    request_like()
    started = time.perf_counter()
    for _ in range(n):
        request_like()
        close_old_connections()  # what request_finished does; keeps the connection while CONN_MAX_AGE allows
    figures["django_query_kept_connection_ms"] = (time.perf_counter() - started) / n * 1000
    return figures


TASKS = {
    "prepare": task_prepare,
    "clear": task_clear,
    "import-ours": task_import_ours,
    "import-iex": task_import_iex,
    "compute": task_compute,
    "naive": task_naive,
    "connections": task_connections,
    "calibrate": task_calibrate,
}


def worker_main(argv) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=TASKS)
    parser.add_argument("--schools", type=int, default=0)
    parser.add_argument("--results-years", default="")
    parser.add_argument("--file")
    parser.add_argument("--mode", default="default")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--url", default="/quality/")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    load_before, ticks_before = os.getloadavg()[0], _cpu_ticks()
    outcome = TASKS[args.task](args)
    outcome["loadavg_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    ticks, stolen = (after - before for after, before in zip(_cpu_ticks(), ticks_before, strict=True))
    outcome["steal_percent"] = round(100 * stolen / ticks, 1) if ticks else None
    print("RESULT " + json.dumps(outcome, default=str))


# --- orchestrator side -----------------------------------------------------------------------


class Database:
    def __init__(self, vendor: str, name: str):
        self.vendor, self.name = vendor, name
        if vendor == "sqlite":
            self.path = DATA / f"{name}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            base = ADMIN_URL.rsplit("/", 1)[0]
            self.url = f"{base}/{name}"

    def env(self) -> dict:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "DEBUG": os.environ.get("BENCH_DEBUG", "0"),
            "SECRET_KEY": "benchmark-only-key",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "AXES_ENABLED": "0",
        }

    def create(self) -> None:
        self.drop()
        if self.vendor == "postgresql":
            _admin_sql(f'CREATE DATABASE "{self.name}"')
        log(f"  migrate {self.vendor} {self.name}")
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=self.env(), check=True
        )
        seeded = subprocess.run(
            [PYTHON, "manage.py", "seed_reference"], cwd=ROOT, env=self.env(), capture_output=True, text=True
        )
        if seeded.returncode:
            log(
                "  seed_reference failed (procedures/subjects are created by the generator instead):\n"
                + seeded.stderr[-800:]
            )

    def drop(self) -> None:
        if self.vendor == "sqlite":
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            _admin_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _admin_sql(sql: str) -> None:
    import psycopg2

    admin = psycopg2.connect(ADMIN_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql)
    admin.close()


BENCH_SETTINGS_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench_settings",
    "PYTHONPATH": os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT)]),
}


def collect_static(db: "Database") -> None:
    """Collect static files into benchmarks/data/static (bench_settings): pages and PDFs without DEBUG
    need whitenoise's manifest, as in production."""
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**db.env(), **BENCH_SETTINGS_ENV},
        check=True,
    )


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def run_task(
    db: Database, task: str, *args, timeout: int, env: dict | None = None, script: str = __file__
) -> dict:
    """Run a worker task in a child process (fresh interpreter: its own peak RSS), return its figures."""
    command = [PYTHON, str(Path(script).resolve()), "--worker", task, *map(str, args)]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**db.env(), **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        log(f"  {task} {' '.join(map(str, args))}: TIMEOUT after {timeout} s")
        return {"error": f"timeout after {timeout} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        log(f"  {task} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
        return {"error": (done.stderr or done.stdout)[-3000:]}
    outcome = json.loads(lines[-1][7:])
    outcome["wall_seconds"] = time.perf_counter() - started
    brief = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in outcome.items() if k != "outcome"}
    log(f"  {task} {' '.join(map(str, args))}: {brief}")
    return outcome


def run_prepare(
    db: Database, *, schools: int, years, timeout: int, env: dict | None = None, script: str = __file__
) -> dict:
    """The `prepare` task in a child process: `schools` synthetic schools with results of `years`."""
    return run_task(
        db,
        "prepare",
        "--schools",
        schools,
        "--results-years",
        ",".join(map(str, years)),
        timeout=timeout,
        env=env,
        script=script,
    )


def bench_import(db: Database, args) -> dict:
    import generate

    figures = {}
    big = generate.results_file(schools=args.import_schools, years=[YEAR])
    small = generate.results_file(schools=args.import_schools, years=[YEAR], rows_limit=args.iex_rows)
    tiny = generate.results_file(schools=args.import_schools, years=[YEAR], rows_limit=args.iex_default_rows)
    figures["files"] = {
        "big": str(big.relative_to(ROOT)),
        "small": str(small.relative_to(ROOT)),
        "tiny": str(tiny.relative_to(ROOT)),
    }
    db.create()
    t = args.timeout
    figures["prepare"] = run_task(db, "prepare", "--schools", args.import_schools, timeout=t)
    figures["ours_dry_run_big"] = run_task(db, "import-ours", "--file", big, "--dry-run", timeout=t)
    figures["ours_big"] = run_task(db, "import-ours", "--file", big, timeout=t)
    figures["ours_big_reimport"] = run_task(db, "import-ours", "--file", big, timeout=t)
    for name, file in (("small", small), ("tiny", tiny)):
        run_task(db, "clear", timeout=t)
        figures[f"ours_{name}"] = run_task(db, "import-ours", "--file", file, timeout=t)
    run_task(db, "clear", timeout=t)
    figures["iex_bulk_small"] = run_task(db, "import-iex", "--file", small, "--mode", "bulk", timeout=t)
    run_task(db, "clear", timeout=t)
    if not args.skip_iex_default:
        figures["iex_default_tiny"] = run_task(
            db, "import-iex", "--file", tiny, "--mode", "default", timeout=t
        )
        run_task(db, "clear", timeout=t)
    if args.iex_big:
        figures["iex_bulk_big"] = run_task(db, "import-iex", "--file", big, "--mode", "bulk", timeout=t)
    if db.vendor == "postgresql":
        figures["connections"] = run_task(db, "connections", "--n", 200, timeout=t, env={"DEBUG": "1"})
    db.drop()
    return figures


def calibrate(args) -> dict:
    """The machine's speed at the start of the series (see the module docstring); touches no database."""
    import generate

    big = generate.results_file(schools=args.import_schools, years=[YEAR])
    return run_task(
        Database("sqlite", "calibrate"), "calibrate", "--file", big, "--n", 20000, timeout=args.timeout
    )


def bench_compute(db_vendor: str, args, stamp: str) -> dict:
    figures = {}
    for size in args.sizes:
        db = Database(db_vendor, f"bench_{db_vendor[:2]}_compute_{size}_{stamp}")
        db.create()
        years = YEARS if size <= 1000 else YEARS[-args.compute_years :]
        figures[str(size)] = {
            "prepare": run_prepare(db, schools=size, years=years, timeout=args.timeout),
            "result_years": years,
            "compute": run_task(db, "compute", timeout=args.timeout),
            "compute_again": run_task(db, "compute", timeout=args.timeout),
        }
        if not args.skip_naive and size <= args.naive_up_to:
            figures[str(size)]["naive"] = run_task(db, "naive", timeout=args.timeout)
        db.drop()
    return figures


def ratio(a, b) -> str:
    try:
        return f"{a['seconds'] / b['seconds']:.1f}×"
    except (KeyError, TypeError, ZeroDivisionError):
        return "—"


def scaled(baseline, ours) -> str:
    """Ratio of throughputs (rows per second): the baseline ran on a smaller file."""
    try:
        return f"{ours['rows_per_second'] / baseline['rows_per_second']:.1f}×"
    except (KeyError, TypeError, ZeroDivisionError):
        return "—"


def secs(figure) -> str:
    return (
        f"{figure['seconds']:.2f}"
        if figure and "seconds" in figure
        else (figure or {}).get("error", "—")[:60]
    )


def markdown(vendor: str, figures: dict) -> str:
    out = [f"### {vendor}", ""]
    imp = figures.get("import")
    if imp:
        out += ["| import | rows | seconds | rows/s | peak RSS, MB |", "|---|---:|---:|---:|---:|"]
        for key, label in [
            ("ours_dry_run_big", "ours, dry run (validation only)"),
            ("ours_big", "ours, new rows"),
            ("ours_big_reimport", "ours, re-import (all updates)"),
            ("ours_small", "ours"),
            ("iex_bulk_small", "django-import-export, bulk"),
            ("ours_tiny", "ours"),
            ("iex_default_tiny", "django-import-export, default"),
            ("iex_bulk_big", "django-import-export, bulk"),
        ]:
            f = imp.get(key)
            if f and "seconds" in f:
                out.append(
                    f"| {label} | {f['rows']} | {f['seconds']:.2f} | {f['rows_per_second']:.0f} | "
                    f"{f.get('peak_rss_mb', 0):.0f} |"
                )
            elif f:
                out.append(f"| {label} | — | {secs(f)} | — | — |")
        out += [
            "",
            "- default iex / ours on the same file: "
            f"{ratio(imp.get('iex_default_tiny'), imp.get('ours_tiny'))}",
            f"- bulk iex / ours on the same file: {ratio(imp.get('iex_bulk_small'), imp.get('ours_small'))}",
            "- default iex scaled to the big file (rows/s) / ours on it: "
            f"{scaled(imp.get('iex_default_tiny'), imp.get('ours_big'))}",
            "- bulk iex scaled to the big file (rows/s) / ours on it: "
            f"{scaled(imp.get('iex_bulk_small'), imp.get('ours_big'))}",
        ]
        if imp.get("connections") and "error" not in imp["connections"]:
            c = imp["connections"]
            out.append(
                f"- connections: psycopg2 connect+close {c['psycopg2_connect_close_ms']:.2f} ms, "
                f"SELECT 1 on a kept one {c['psycopg2_select1_kept_ms']:.3f} ms; "
                "a small ORM query with a new "
                f"connection {c['django_query_new_connection_ms']:.2f} ms, on a kept one "
                f"{c['django_query_kept_connection_ms']:.2f} ms"
            )
        out.append("")
    comp = figures.get("compute")
    if comp:
        out += [
            "| compute one year | result rows | ours, s | ours again, s | queries | per-school loop, s "
            "| loop queries | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for size, f in comp.items():
            naive = f.get("naive") or {}
            out.append(
                f"| {size} schools | {f['prepare'].get('results', '—')} | {secs(f['compute'])} | "
                f"{secs(f['compute_again'])} | {f['compute'].get('queries', '—')} | {secs(naive)} | "
                f"{naive.get('queries', '—')} | {ratio(naive, f['compute'])} |"
            )
        out.append("")
    return "\n".join(out)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description="Import and compute benchmarks (see the module docstring).")
    parser.add_argument("--db", default="sqlite", help="sqlite, postgres or sqlite,postgres")
    parser.add_argument("--only", default="import,compute", help="import, compute or both")
    parser.add_argument("--sizes", default="1000,40000", help="schools for the compute benchmark")
    parser.add_argument(
        "--compute-years", type=int, default=2, help="years of results loaded for sizes > 1000"
    )
    parser.add_argument(
        "--import-schools", type=int, default=10000, help="schools in the import file (×20 rows)"
    )
    parser.add_argument(
        "--iex-rows",
        type=int,
        default=10000,
        help="rows of the file for the django-import-export bulk run (~150 rows/s)",
    )
    parser.add_argument(
        "--iex-default-rows",
        type=int,
        default=10000,
        help="rows of the file for the default django-import-export run (~75 rows/s)",
    )
    parser.add_argument(
        "--iex-big", action="store_true", help="also run django-import-export bulk on the big file"
    )
    parser.add_argument("--skip-iex-default", action="store_true")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument(
        "--naive-up-to",
        type=int,
        default=10000,
        help="run the per-school loop only up to this many schools (40,000 took over 600 s)",
    )
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed for any one step")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    DATA.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    machine = calibrate(args)
    report = []
    if "calamine_rows_per_second" in machine:
        report.append(
            "This machine now: python-calamine "
            f"{machine['calamine_rows_per_second']:,.0f} rows/s (the issue: "
            f"about 100,000), openpyxl {machine['openpyxl_rows_per_second']:,.0f} rows/s (about 7,000), "
            f"{machine['steal_percent']} % of CPU time stolen by the hypervisor meanwhile.\n"
        )
    for vendor in args.db.split(","):
        vendor = "postgresql" if vendor.startswith("postg") else "sqlite"
        log(f"{vendor}")
        figures = {"argv": sys.argv, "started": stamp, "calibrate": machine}
        if "import" in args.only:
            figures["import"] = bench_import(Database(vendor, f"bench_{vendor[:2]}_import_{stamp}"), args)
        if "compute" in args.only:
            figures["compute"] = bench_compute(vendor, args, stamp)
        (DATA / f"run_{vendor}_{stamp}.json").write_text(json.dumps(figures, indent=2, default=str))
        report.append(markdown(vendor, figures))
    print("\n".join(report))


if __name__ == "__main__":
    main()

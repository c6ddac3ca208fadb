"""Region mode at region and country scale (issue 18 item 7), on PostgreSQL under gunicorn, side by side.

    .venv/bin/python benchmarks/region.py                       # every part, the issue's sizes
    .venv/bin/python benchmarks/region.py --parts load,reports  # some of them
    .venv/bin/python benchmarks/region.py --parts country --country-schools 40000 --country-municipalities 85

Parts (each on a fresh PostgreSQL database `bench_region_*`, dropped at the end; figures to stdout and to
benchmarks/data/region_<part>_<time>.json):
- load: a region of `--municipalities` (60) municipalities and `--schools` (1,500) schools × 5 years
  (benchmarks/region_data.py: results, contexts, every year computed, the ШНОР monitoring, programmes,
  recommendations, users of every staff role made by `manage.py portal_user`). gunicorn as in
  docker-compose.yml (3 sync workers, DEBUG off). First one client requests every page of STAFF_PAGES
  `--repeat` times (what a page costs the server); then, for each `--pauses` value, `--clients` (20) users,
  each logged in as a regional specialist, an administrator or an inspector of one municipality (in
  turns), request STAFF_PAGES round-robin for `--seconds`, reading each page for a random 0…2 × pause
  seconds (pause 0: no reading at all, a stress test). p50/p95/p99 per page and over all; goals p95 ≤
  150 ms for every staff page, ≤ 200 ms for the region dashboard.
- country: `--country-schools` (40,000) schools in `--country-municipalities` (85) with `--country-years`
  (2023,2024: the ШНОР rule needs two) of results; the compute of one year timed in its own process
  (goal ≤ 10 s), then one client requests each page of COUNTRY_PAGES `--repeat` (20) times as the regional
  specialist: median and p95 response time on the loopback ≈ server time (goal ≤ 300 ms each).
- reports: on a region of `--municipalities`/`--schools`, the annual report of every municipality queued at
  once (`reports.services.reports_request_municipal`, one Celery job per municipality on the `reports`
  queue), built by one Celery worker process and then, on the same data, by two; wall time from the
  request to the last report finished. Goal: 2 workers ≤ 0.6 × 1 worker. Needs Redis (`--redis`, a db
  number of its own, default redis://127.0.0.1:6379/2).
The peak memory of one 10,000-school annual report is `benchmarks/report_speed.py --db postgres --sizes
10000` (same machinery, one process).

Admin users log in without the TOTP step here (OTP_REQUIRED_FOR_ADMINS=0 in the benchmark's environment):
the second factor is a login step, not a cost of the pages measured.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from loadkit import HOST, Gunicorn, latency_ms, processes_stop, threads_run  # noqa: E402
from run import BENCH_SETTINGS_ENV, DATA, PYTHON, YEAR, YEARS, Database, collect_static, log, run_task  # noqa: E402

HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "ru"}
# {school} is a school of the user's scope, {municipality} a municipality code of it, {year} the last year
STAFF_PAGES = [
    "/dashboard/",
    "/schools/",
    "/schools/{school}/",
    "/indicators/?year={year}",
    "/indicators/table/?year={year}",
    "/indicators/school/{school}/?year={year}",
    "/monitoring/",
    "/roadmaps/",
    "/roadmaps/recommendations/",
    "/reports/",
    "/region/?year={year}",
    "/region/mechanisms/?year={year}",
    "/region/m/{municipality}/?year={year}",
]
COUNTRY_PAGES = [
    "/schools/",
    "/indicators/?year={year}",
    "/region/?year={year}",
    "/schools/{school}/",
    "/indicators/school/{school}/?year={year}",
]
ENV = {
    "OTP_REQUIRED_FOR_ADMINS": "0",
    "AXES_ENABLED": "0",
    "MEDIA_ROOT": str(DATA / "media"),
    **BENCH_SETTINGS_ENV,
}


# --- worker side ---------------------------------------------------------------------------------------


def task_region(args) -> dict:
    import region_data

    years = [int(y) for y in args.results_years.split(",")]
    return region_data.build(schools=args.schools, municipalities=args.n, years=years, progress=log)


def task_sessions(args) -> dict:
    """A logged-in session cookie for each benchmark user, with a school and a municipality of its scope."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    from schools.selectors import municipality_list_visible_to, school_list_visible_to

    sessions, name = [], settings.SESSION_COOKIE_NAME
    for user in User.objects.filter(username__endswith="_bench").union(
        User.objects.filter(username__startswith="inspector_M")
    ):
        client = Client()
        client.force_login(user)
        school = school_list_visible_to(user=user).order_by("code").values_list("code", flat=True).first()
        municipality = (
            municipality_list_visible_to(user=user).order_by("code").values_list("code", flat=True).first()
        )
        sessions.append(
            {
                "username": user.username,
                "cookie": f"{name}={client.cookies[name].value}",
                "school": school,
                "municipality": municipality,
            }
        )
    return {"sessions": sessions}


def task_compute(args) -> dict:
    import compute_adapter

    started = time.perf_counter()
    outcome = compute_adapter.compute_year(YEAR)
    return {"seconds": time.perf_counter() - started, **outcome}


def task_municipal_reports(args) -> dict:
    """Queue the annual report of every municipality (one job each); return their ids."""
    from reports.services import reports_request_municipal

    started = time.perf_counter()
    reports = reports_request_municipal(year=YEAR)
    return {"report_ids": [r.pk for r in reports], "queue_seconds": time.perf_counter() - started}


def task_reports_state(args) -> dict:
    from django.db.models import Max, Min

    from reports.models import Report

    reports = Report.objects.filter(pk__in=[int(x) for x in args.file.split(",")])
    counts = {status: reports.filter(status=status).count() for status in Report.Status.values}
    span = reports.aggregate(first=Min("created_at"), last=Max("finished_at"))
    return {"counts": counts, "first": span["first"], "last": span["last"]}


def task_reports_clear(args) -> dict:
    from reports.models import Report
    from schools.models import Job

    deleted = Report.objects.all().delete()[0]
    Job.objects.all().delete()
    return {"deleted": deleted}


TASKS = {
    "region": task_region,
    "sessions": task_sessions,
    "compute_year": task_compute,
    "municipal_reports": task_municipal_reports,
    "reports_state": task_reports_state,
    "reports_clear": task_reports_clear,
}


# --- orchestrator side -----------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict:
    return {"requests": len(values), **latency_ms(values)}


def fill(path: str, session: dict) -> str:
    return path.format(year=YEAR, school=session["school"], municipality=session["municipality"])


def mixed_load(
    server: Gunicorn, sessions: list[dict], *, clients: int, seconds: float, pause: float = 0.0
) -> dict:
    """`clients` threads, thread k logged in as sessions[k % len] (roles in turns), each requesting
    STAFF_PAGES round-robin on its keep-alive connection until the time is up; between two pages a user
    reads for a random 0…2 × `pause` seconds (0: no pause, a stress test of the server)."""
    import random

    rng = random.Random(7)
    latencies: dict[str, list[float]] = {page: [] for page in STAFF_PAGES}
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(k: int):
        session = sessions[k % len(sessions)]
        connection = http.client.HTTPConnection(HOST, server.port, timeout=60)
        mine: dict[str, list[float]] = {page: [] for page in STAFF_PAGES}
        bad = []
        n = k
        while time.monotonic() < stop_at:
            page = STAFF_PAGES[n % len(STAFF_PAGES)]
            n += 1
            try:
                status, elapsed = server.get(fill(page, session), session["cookie"], connection)
            except (OSError, http.client.HTTPException) as error:
                bad.append(f"{page}: {type(error).__name__}")
                connection.close()
                connection = http.client.HTTPConnection(HOST, server.port, timeout=60)
                continue
            if status != 200:
                bad.append(f"{page} {session['username']}: {status}")
            mine[page].append(elapsed)
            if pause:
                time.sleep(rng.uniform(0, 2 * pause))
        connection.close()
        with lock:
            for page, values in mine.items():
                latencies[page].extend(values)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    elapsed = threads_run(threads, join_timeout=seconds + 120)
    everything = [v for values in latencies.values() for v in values]
    return {
        "clients": clients,
        "pause_mean_seconds": pause,
        "seconds": round(elapsed, 1),
        "rps": round(len(everything) / elapsed, 1),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:10],
        "all": percentiles(everything),
        "pages": {page: percentiles(values) for page, values in latencies.items()},
    }


def single_requests(server: Gunicorn, session: dict, *, repeat: int, pages=None) -> dict:
    """One client, one page after another: the time each page costs the server (loopback)."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=120)
    figures = {}
    for page in pages or STAFF_PAGES:
        path = fill(page, session)
        for _ in range(2 * server.workers):  # warm-up: each gunicorn worker loads the page's code once
            server.get(path, session["cookie"], connection)
        times, statuses = [], set()
        for _ in range(repeat):
            status, elapsed = server.get(path, session["cookie"], connection)
            times.append(elapsed)
            statuses.add(status)
        figures[page] = {**percentiles(times), "statuses": sorted(statuses)}
    connection.close()
    log(
        f"  single client ({session['username']}): "
        + json.dumps({p: f["p50_ms"] for p, f in figures.items()})
    )
    return figures


def interleaved_sessions(sessions: list[dict]) -> list[dict]:
    """Roles in turns: regional, admin, inspector of one municipality, inspector of another, …"""
    by_role = {
        "regional": [s for s in sessions if s["username"].startswith("regional")],
        "admin": [s for s in sessions if s["username"].startswith("admin")],
        "inspector": [s for s in sessions if s["username"].startswith("inspector")],
    }
    order = []
    for k in range(max(len(v) for v in by_role.values())):
        for role in ("regional", "admin", "inspector", "inspector"):
            pool = by_role[role]
            if pool:
                order.append(
                    pool[(k * (2 if role == "inspector" else 1) + (role == "inspector")) % len(pool)]
                )
    return order


def part_load(args, stamp: str) -> dict:
    def generate(db: Database, figures: dict) -> None:
        years = ",".join(map(str, YEARS))
        figures["region"] = _region(db, args.schools, args.municipalities, years, timeout=args.timeout)

    served = _served(args, "load", stamp, reuse=args.load_db, reuse_flag="--load-db", generate=generate)
    with served as (figures, server, sessions):
        order = interleaved_sessions(sessions)
        mixed_load(server, order, clients=args.clients, seconds=5)  # warm-up: every worker connects
        figures["single"] = single_requests(server, order[0], repeat=args.repeat)
        for pause in args.pauses:
            key = f"mixed_pause_{pause:g}"
            figures[key] = mixed_load(server, order, clients=args.clients, seconds=args.seconds, pause=pause)
            log(f"  mixed load, pause {pause:g} s: {json.dumps(figures[key]['all'])}")
    return figures


def part_country(args, stamp: str) -> dict:
    def generate(db: Database, figures: dict) -> None:
        figures["region"] = _region(
            db,
            args.country_schools,
            args.country_municipalities,
            args.country_years,
            timeout=max(args.timeout, 3600),
        )
        figures["compute"] = run_task(db, "compute_year", timeout=args.timeout, env=ENV, script=__file__)

    served = _served(
        args, "country", stamp, reuse=args.country_db, reuse_flag="--country-db", generate=generate
    )
    with served as (figures, server, sessions):
        regional = next(s for s in sessions if s["username"].startswith("regional"))
        figures["pages"] = single_requests(server, regional, repeat=args.repeat, pages=COUNTRY_PAGES)
    return figures


def _region(db: Database, schools: int, municipalities: int, years: str, *, timeout: int) -> dict:
    """The `region` task: `schools` synthetic schools in `municipalities` municipalities, results of `years`
    (comma-separated)."""
    return run_task(
        db, "region", "--schools", schools, "--n", municipalities, "--results-years", years,
        timeout=timeout, env=ENV, script=__file__,
    )  # fmt: skip


@contextmanager
def _served(
    args, part: str, stamp: str, *, reuse: str, reuse_flag: str, generate: Callable[[Database, dict], None]
):
    """(the part's figures, gunicorn over its database, the staff sessions of its users). The database is
    `reuse`, one kept from an earlier run (given with `reuse_flag`), or a new one `generate(db, figures)`
    fills. Afterwards the server is stopped and the database dropped, or kept with --keep."""
    db = Database("postgresql", reuse or f"bench_region_{part}_{stamp}")
    figures: dict = {"part": part, "database": db.name}
    server = None
    try:
        if not reuse:
            db.create()
            generate(db, figures)
        sessions = run_task(db, "sessions", timeout=args.timeout, env=ENV, script=__file__)["sessions"]
        collect_static(db)
        server = Gunicorn(
            env={**db.env(), **ENV}, workers=args.workers, ready_path="/accounts/login/", headers=HEADERS
        )
        yield figures, server, sessions
    finally:
        if server:
            server.stop()
        _keep_or_drop(args, db, reuse_flag)


def _keep_or_drop(args, db: Database, reuse_flag: str) -> None:
    if args.keep:
        log(f"kept: DATABASE_URL={db.url} (rerun with {reuse_flag} {db.name}; drop it when done)")
    else:
        db.drop()


def start_workers(db: Database, count: int, redis: str) -> list[subprocess.Popen]:
    workers = []
    for n in range(count):
        workers.append(
            subprocess.Popen(
                [
                    str(Path(PYTHON).parent / "celery"), "-A", "config", "worker", "-Q", "reports",
                    "--concurrency", "1", "--pool", "prefork", "-n", f"bench{n}@%h", "-l", "warning",
                ],
                cwd=ROOT,
                env={**db.env(), **ENV, "REDIS_URL": redis},
                start_new_session=True,
            )
        )  # fmt: skip
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    processes_stop(workers, timeout=60)


def part_reports(args, stamp: str) -> dict:
    db = Database("postgresql", f"bench_region_reports_{stamp}")
    figures: dict = {"part": "reports"}
    try:
        db.create()
        years = ",".join(map(str, YEARS))
        figures["region"] = _region(db, args.schools, args.municipalities, years, timeout=args.timeout)
        collect_static(db)
        redis_env = {"REDIS_URL": args.redis}
        for count in (1, 2):
            run_task(db, "reports_clear", timeout=args.timeout, env=ENV, script=__file__)
            workers = start_workers(db, count, args.redis)
            try:
                time.sleep(8)  # the workers connect to the broker
                started = time.perf_counter()
                queued = run_task(
                    db, "municipal_reports", timeout=args.timeout, env={**ENV, **redis_env}, script=__file__
                )
                ids = ",".join(map(str, queued["report_ids"]))
                while True:
                    state = run_task(
                        db, "reports_state", "--file", ids, timeout=120, env=ENV, script=__file__
                    )
                    counts = state["counts"]
                    if counts.get("queued", 0) + counts.get("running", 0) == 0:
                        break
                    if time.perf_counter() - started > args.reports_timeout:
                        state["timeout"] = True
                        break
                    time.sleep(2)
                figures[f"workers_{count}"] = {
                    **state,
                    "wall_seconds": round(time.perf_counter() - started, 1),
                    "reports": len(queued["report_ids"]),
                }
                log(f"  {count} worker(s): {figures[f'workers_{count}']}")
            finally:
                stop_workers(workers)
        one, two = figures["workers_1"]["wall_seconds"], figures["workers_2"]["wall_seconds"]
        figures["ratio"] = round(two / one, 3) if one else None
    finally:
        db.drop()
    return figures


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        import run

        run.TASKS.update(TASKS)
        run.worker_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="load,country,reports")
    parser.add_argument("--municipalities", type=int, default=60)
    parser.add_argument("--schools", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--pauses",
        default="0,3",
        help="mean reading pause of a user between pages, s (0: none, a stress test); one run per value",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (docker-compose uses 3)")
    parser.add_argument("--country-schools", type=int, default=40_000)
    parser.add_argument("--country-municipalities", type=int, default=85)
    parser.add_argument("--country-years", default="2023,2024")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page of a single client")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--reports-timeout", type=int, default=3600)
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument(
        "--keep", action="store_true", help="keep the load/country databases (to profile, to rerun)"
    )
    parser.add_argument("--load-db", default="", help="run the load part on this kept database")
    parser.add_argument("--country-db", default="", help="time the pages on this kept country database")
    args = parser.parse_args()
    args.clients = min(args.clients, 100)
    args.pauses = [float(p) for p in args.pauses.split(",")]
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    parts = {"load": part_load, "country": part_country, "reports": part_reports}
    DATA.mkdir(parents=True, exist_ok=True)
    for name in args.parts.split(","):
        started = time.perf_counter()
        load_before = os.getloadavg()
        figures = parts[name](args, stamp)
        figures.update(
            argv=sys.argv, started=stamp, loadavg_before=load_before, loadavg_after=os.getloadavg()
        )
        figures["part_seconds"] = round(time.perf_counter() - started, 1)
        out = DATA / f"region_{name}_{stamp}.json"
        out.write_text(json.dumps(figures, indent=2, default=str, ensure_ascii=False))
        log(f"{name}: figures in {out}")


if __name__ == "__main__":
    main()

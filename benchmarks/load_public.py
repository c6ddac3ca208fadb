"""Load test of the public tab under gunicorn on PostgreSQL: 20 concurrent clients, latency percentiles.

    .venv/bin/python benchmarks/load_public.py [--schools 1500] [--clients 20] [--seconds 30]
        [--redis redis://127.0.0.1:6379/7]

Steps: a fresh PostgreSQL database (bench_pg_public_<time>, dropped at the end), migrate, seed_reference,
N synthetic schools with 2020–2024 context and results, the indicators computed for those years, the
annual report for 2024 built and published; static files collected into benchmarks/data/static;
gunicorn started as in docker-compose.yml (3 sync workers, DEBUG off, CONN_MAX_AGE default) on a free
127.0.0.1 port. Then `--clients` threads issue GET requests (http.client, keep-alive) to `/quality/` and
to every public page (the region and a municipality page, the published report page, open data: the
register, a passport, a data file; the Atom feed, sitemap.xml; `/quality/` with a random query string and
with the version for the visually impaired) for `--seconds` seconds each (after a warm-up), and
p50/p95/p99/max latency, throughput and errors are printed. With `--redis` the page cache is that Redis
database (as in production, shared by the workers; it is FLUSHED) and every page is also timed on its
first, uncached view: `--cold` times each, the cache emptied before every request. gunicorn is stopped at
the end.
"""

import argparse
import http.client
import json
import random
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from loadkit import HOST, Gunicorn, latency_ms, threads_run  # noqa: E402
from run import BENCH_SETTINGS_ENV, DATA, YEAR, YEARS, Database, collect_static, log, run_prepare, run_task  # noqa: E402

# gunicorn sits behind a TLS-terminating proxy in production; without DEBUG the portal redirects plain
# HTTP to HTTPS (SECURE_SSL_REDIRECT) and trusts this header (SECURE_PROXY_SSL_HEADER).
# Every browser sends Accept-Encoding: gzip; the cached pages are stored compressed (reports/public_cache.py).
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "ru", "Accept-Encoding": "gzip"}


def task_publish(args) -> dict:
    """Compute every year, build and publish the annual report; return its id."""
    import compute_adapter

    from reports.services import report_build, report_create, report_publish

    started = time.perf_counter()
    for year in YEARS:
        compute_adapter.compute_year(year)
    computed = time.perf_counter() - started
    report = report_create(kind="annual", year=YEAR, params={})
    report_build(report_id=report.pk)
    report_publish(report_id=report.pk)
    from reports import opendata
    from schools.models import Municipality

    lists = opendata.DATA_SETS[0]
    return {
        "seconds": time.perf_counter() - started,
        "compute_seconds": computed,
        "report_id": report.pk,
        "municipality": Municipality.objects.order_by("name").values_list("code", flat=True).first(),
        "opendata_set": lists.identifier,
        "opendata_file": lists.file_names()[0],
    }


def cold(port: int, path: str, *, redis_url: str, times: int) -> dict:
    """The first, uncached view of `path`: the cache emptied before each of `times` requests."""
    import redis

    server = redis.Redis.from_url(redis_url)
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    latencies, errors = [], 0
    for _ in range(times):
        server.flushdb()
        started = time.perf_counter()
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        errors += response.status != 200
    connection.close()
    latencies.sort()
    return {
        "path": path,
        "requests": times,
        "errors": errors,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p95_ms": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] * 1000,
        "max_ms": latencies[-1] * 1000,
    }


def load(
    port: int, path: str, *, clients: int, seconds: float, cookie: str = "", random_query: bool = False
) -> dict:
    """`clients` threads, each with its own keep-alive connection, GET `path` until the time is up;
    `random_query` adds `?utm_source=<a new number>` to every request (it must not bypass the cache)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        mine, bad = [], []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                target = f"{path}?utm_source={random.randrange(10**9)}" if random_query else path
                connection.request(
                    "GET", target, headers={**HEADERS, **({"Cookie": cookie} if cookie else {})}
                )
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    bad.append(str(response.status))
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection(HOST, port, timeout=30)
            except (OSError, http.client.HTTPException) as error:
                bad.append(type(error).__name__)
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    elapsed = threads_run(threads, join_timeout=seconds + 60)
    return {
        "path": path,
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "rps": len(latencies) / elapsed,
        **latency_ms(latencies, digits=None),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        import run

        run.TASKS["publish"] = task_publish
        run.worker_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1500)
    parser.add_argument("--redis", default="", help="Redis database for the page cache (it is flushed)")
    parser.add_argument("--cold", type=int, default=20, help="uncached views timed per page (with --redis)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (docker-compose uses 3)")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="build and publish, then keep the database and stop (to profile a page against it)",
    )
    args = parser.parse_args()
    args.clients = min(args.clients, 100)
    args.seconds = min(args.seconds, 120)
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    db = Database("postgresql", f"bench_pg_public_{stamp}")
    env = {"MEDIA_ROOT": str(DATA / "media"), **BENCH_SETTINGS_ENV}
    figures = {"argv": sys.argv, "started": stamp}
    gunicorn = None
    try:
        db.create()
        figures["prepare"] = run_prepare(db, schools=args.schools, years=YEARS, timeout=args.timeout, env=env)
        collect_static(db)  # the report's PDF links the hashed stylesheet: collected before publishing
        figures["publish"] = run_task(db, "publish", timeout=args.timeout, env=env, script=__file__)
        report_id = figures["publish"].get("report_id")
        if args.prepare_only:
            log(f"kept: DATABASE_URL={db.url} (report {report_id}); drop it when done")
            return
        gunicorn = Gunicorn(
            env={**db.env(), **env, **({"REDIS_URL": args.redis} if args.redis else {})},
            workers=args.workers,
            ready_path="/quality/",
            headers=HEADERS,
        )
        port = gunicorn.port
        published = figures["publish"]
        opendata_base = f"/quality/opendata/{published['opendata_set']}/"
        paths = [
            "/quality/",
            f"/quality/m/{published['municipality']}/",
            f"/quality/reports/{report_id}/",
            "/quality/opendata/",
            "/quality/opendata/list.csv",
            opendata_base,
            f"{opendata_base}{published['opendata_file']}.csv",
            "/quality/feed/",
            "/sitemap.xml",
        ]
        for path in paths:
            load(port, path, clients=args.clients, seconds=3)  # warm-up: every worker opens its connection
            figures[path] = load(port, path, clients=args.clients, seconds=args.seconds)
            log(f"  {path}: {figures[path]}")
        # a random query string on every request, and the version for the visually impaired
        figures["/quality/?utm_source=<random>"] = load(
            port, "/quality/", clients=args.clients, seconds=args.seconds, random_query=True
        )
        figures["/quality/ (a11y cookie)"] = load(
            port, "/quality/", clients=args.clients, seconds=args.seconds, cookie="a11y=on.3.black.wide.off"
        )
        if args.redis:
            figures["cold"] = {
                path: cold(port, path, redis_url=args.redis, times=args.cold) for path in paths
            }
            for path, f in figures["cold"].items():
                log(f"  cold {path}: {f}")
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        if not args.prepare_only:
            db.drop()
    out = DATA / f"load_public_{stamp}.json"
    out.write_text(json.dumps(figures, indent=2, default=str))
    print(
        f"\n### public pages under gunicorn ({args.workers} workers), PostgreSQL, {args.clients} clients, "
        f"{args.schools} schools\n"
    )
    print("| page | requests | errors | req/s | p50, ms | p95, ms | p99, ms | max, ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, f in figures.items():
        if key.startswith("/"):
            print(
                f"| {key} | {f['requests']} | {f['errors']} | {f['rps']:.0f} | {f['p50_ms']:.1f} | "
                f"{f['p95_ms']:.1f} | "
                f"{f['p99_ms']:.1f} | {f['max_ms']:.1f} |"
            )
    if "cold" in figures:
        print("\n### first, uncached view (cache emptied before each request)\n")
        print("| page | requests | errors | p50, ms | p95, ms | max, ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for key, f in figures["cold"].items():
            print(
                f"| {key} | {f['requests']} | {f['errors']} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | "
                f"{f['max_ms']:.1f} |"
            )
    print(f"\nfigures: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

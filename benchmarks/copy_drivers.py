"""psycopg2 with our binary COPY encoder (indicators/services/pgcopy.py) against psycopg 3's own
`cursor.copy()` + `write_row`, on the compute of one year on PostgreSQL.

    .venv/bin/pip install --target /tmp/psycopg3 "psycopg[binary]>=3.2,<4"   # NOT into .venv
    .venv/bin/python benchmarks/copy_drivers.py --schools 10000 --psycopg3-path /tmp/psycopg3 --rounds 3

psycopg 3 is kept out of the project's environment: Django prefers it to psycopg2 once installed. The
psycopg 3 runs add its folder to PYTHONPATH; in them the value rows go to `write_row` as Python tuples
(`_value_rows`, the SQLite path's rows) with `set_types`, so psycopg 3 encodes them in C, binary. The
statuses' text COPY is the same in both (chunks of tab-separated lines). One database, prepared once;
the runs alternate drivers. Figures per run: wall seconds and the client process's CPU seconds.
"""

import argparse
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import run as bench  # noqa: E402  (benchmarks/run.py: Database, run_task, task_prepare)


def _psycopg3_write_rows(*, model, columns, rows, batch: int = 5000) -> None:
    from django.db import connection

    from indicators.services import pgcopy

    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        "FROM STDIN WITH (FORMAT binary)"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types(pgcopy.column_types(model, columns))
        write_row = copy.write_row
        for row in rows:
            write_row(row)


def _psycopg3_copy_stream(*, table, columns, options, stream, db=None) -> None:
    """pgcopy.copy_stream for psycopg 3 (the portal's own is psycopg2 only): the statuses' text COPY."""
    from django.db import connection

    db = db or connection
    quote = db.ops.quote_name
    sql = f"COPY {table} ({', '.join(quote(c) for c in columns)}) FROM STDIN WITH ({options})"
    with db.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for chunk in iter(stream.read, stream.tail[:0]):
            copy.write(chunk)


def task_compute_driver(args) -> dict:
    import compute_adapter
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    from indicators.services import compute

    if args.mode == "psycopg3":
        assert is_psycopg3, "psycopg 3 is not importable: --psycopg3-path"
        compute._value_records = lambda run_id, year, current, ids, chunk=5000: compute._value_rows(
            run_id, year, current, ids
        )
        compute.pgcopy.copy_binary = _psycopg3_write_rows
        compute.pgcopy.copy_stream = _psycopg3_copy_stream
    else:
        assert not is_psycopg3, "psycopg 3 importable in the psycopg2 run"
    figures = bench._timed_with_queries(lambda: compute_adapter.compute_year(bench.YEAR))
    figures["driver"] = "psycopg 3" if is_psycopg3 else "psycopg2"
    return figures


bench.TASKS["compute_driver"] = task_compute_driver


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=10000)
    parser.add_argument("--psycopg3-path", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()
    stamp = datetime.now().strftime("%H%M%S")
    db = bench.Database("postgresql", f"portal_tests_ci_bench_{args.schools}_{stamp}")
    db.create()
    try:
        bench.run_prepare(
            db, schools=args.schools, years=bench.YEARS[-2:], timeout=args.timeout, script=__file__
        )
        runs: dict[str, list[dict]] = {"psycopg2": [], "psycopg3": []}
        envs = {"psycopg2": {}, "psycopg3": {"PYTHONPATH": args.psycopg3_path}}
        # one warm-up run of each, then alternate
        for round_ in range(args.rounds + 1):
            for mode in runs:
                figures = bench.run_task(
                    db,
                    "compute_driver",
                    "--mode",
                    mode,
                    timeout=args.timeout,
                    env=envs[mode],
                    script=__file__,
                )
                if round_:
                    runs[mode].append(figures)
        summary = {
            mode: {
                "seconds_median": statistics.median(f["seconds"] for f in figures),
                "cpu_seconds_median": statistics.median(f["cpu_seconds"] for f in figures),
                "seconds": [round(f["seconds"], 2) for f in figures],
                "cpu_seconds": [round(f["cpu_seconds"], 2) for f in figures],
                "loadavg_1min": [f["loadavg_1min"] for f in figures],
            }
            for mode, figures in runs.items()
        }
        print(json.dumps({"schools": args.schools, "at": time.strftime("%H:%M"), **summary}, indent=1))
    finally:
        db.drop()


if __name__ == "__main__":
    if "--worker" in sys.argv:
        bench.worker_main(sys.argv[sys.argv.index("--worker") + 1 :])
    else:
        main()

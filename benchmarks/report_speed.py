"""Speed of the annual ШНОР/ШНСУ report (reports app, WeasyPrint) for 50, 1,000 and 10,000 schools.

    .venv/bin/python benchmarks/report_speed.py --db sqlite --sizes 50,1000,10000

For each size: a fresh database, N synthetic schools with context and results for 2020–2024 (loaded
directly, benchmarks/generate.py), the indicators computed for every year (the report shows five years of
history), then `reports.services.report_create` + `report_build` of the annual report for 2024 in a
separate process: seconds (data collection and PDF+xlsx rendering apart), pages of the PDF, pages per
second and the process's peak RSS. Report files go to benchmarks/data/media/.
"""

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import (  # noqa: E402
    BENCH_SETTINGS_ENV,
    DATA,
    YEAR,
    YEARS,
    Database,
    _cpu_seconds,
    _rss_mb,
    collect_static,
    run_prepare,
    run_task,
)


def task_compute_all(args) -> dict:
    import compute_adapter

    seconds = {}
    for year in YEARS:
        started = time.perf_counter()
        compute_adapter.compute_year(year)
        seconds[str(year)] = round(time.perf_counter() - started, 2)
    return {"seconds": sum(seconds.values()), "per_year": seconds, "peak_rss_mb": _rss_mb()}


def task_report(args) -> dict:
    import logging

    from pypdf import PdfReader

    from reports.services import report_build, report_create

    marks = {}
    warnings = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = lambda record: warnings.append(record.getMessage()[:200])
    logging.getLogger("weasyprint").addHandler(handler)

    def progress(percent, message=""):
        marks.setdefault(percent, time.perf_counter())

    cpu = _cpu_seconds()
    started = time.perf_counter()
    report = report_create(kind="annual", year=YEAR, params={})
    report = report_build(report_id=report.pk, progress=progress)
    seconds = time.perf_counter() - started
    with report.pdf.open("rb") as pdf:
        pages = len(PdfReader(pdf).pages)
    render_started, render_done = marks.get(75, started), marks.get(95, started + seconds)
    return {
        "seconds": seconds,
        "cpu_seconds": _cpu_seconds() - cpu,
        "data_seconds": render_started - started,
        "render_seconds": render_done - render_started,
        "pages": pages,
        "pages_per_second": pages / seconds,
        "pdf_kb": report.pdf.size // 1024,
        "xlsx_kb": report.xlsx.size // 1024,
        "peak_rss_mb": _rss_mb(),
        "report_id": report.pk,
        "weasyprint_warnings": warnings[:10],  # e.g. a stylesheet that failed to load: the PDF would be wrong
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        import run

        run.TASKS.update({"compute-all": task_compute_all, "report": task_report})
        run.worker_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite", help="sqlite or postgres")
    parser.add_argument("--sizes", default="50,1000,10000")
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="render with DEBUG on (plain static storage); by default as in production",
    )
    args = parser.parse_args()
    vendor = "postgresql" if args.db.startswith("postg") else "sqlite"
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    media = DATA / "media"
    figures = {"argv": sys.argv, "started": stamp}
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        db = Database(vendor, f"bench_{vendor[:2]}_report_{size}_{stamp}")
        db.create()
        # As in production: DEBUG off, whitenoise's manifest storage, the PDF's stylesheet read from the
        # hashed copy collected into STATIC_ROOT.
        env = {"MEDIA_ROOT": str(media), **BENCH_SETTINGS_ENV, "DEBUG": "1" if args.debug else "0"}
        if size == sizes[0]:
            collect_static(db)
        entry = {"prepare": run_prepare(db, schools=size, years=YEARS, timeout=args.timeout, env=env)}
        entry["compute_all"] = _worker(db, "compute-all", args.timeout, env)
        entry["report"] = _worker(db, "report", args.timeout, env)
        figures[str(size)] = entry
        if not args.keep:
            db.drop()
    out = DATA / f"report_{vendor}_{stamp}.json"
    out.write_text(json.dumps(figures, indent=2, default=str))
    print(f"\n### annual report, {vendor}\n")
    print("| schools | seconds | CPU s | data, s | PDF+xlsx, s | pages | pages/s | peak RSS, MB | load avg |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, entry in figures.items():
        if not size.isdigit():
            continue
        r = entry["report"]
        if "seconds" in r:
            print(
                f"| {size} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['data_seconds']:.1f} | "
                f"{r['render_seconds']:.1f} | {r['pages']} | {r['pages_per_second']:.1f} | "
                f"{r['peak_rss_mb']:.0f} | "
                f"{r['loadavg_1min'][0]} |"
            )
        else:
            print(f"| {size} | {r.get('error', '')[:80]} | | | | | |")
    print(f"\nfigures: {out.relative_to(ROOT)}")


def _worker(db, task, timeout, env):
    return run_task(db, task, timeout=timeout, env=env, script=__file__)


if __name__ == "__main__":
    main()

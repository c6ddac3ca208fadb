"""Load test: 200 principals save expert-card drafts at the same time under gunicorn on PostgreSQL.

    .venv/bin/python benchmarks/load_card_drafts.py [--principals 200] [--seconds 60] [--think 1.0] \
        [--workers 3]

Steps: a fresh PostgreSQL database (bench_pg_cards_<time>, dropped at the end), migrate, seed_reference;
`--principals` schools, each with its principal (an API token) and an expert card in one campaign;
gunicorn started as in docker-compose.yml (sync workers, DEBUG off) on a free 127.0.0.1 port. Then one
thread per principal saves its draft — PATCH /api/cards/<id>/ with the card version it last saw and a new
comment on one criterion — for `--seconds` seconds, waiting a random 0–2×`--think` seconds between saves
(a person typing; 0 = back to back). Afterwards every card is read from the database: its comment must be
the principal's last acknowledged save and its version must count every save ("zero lost saves").
Prints errors, lost saves, throughput and p50/p95/p99/max latency; exits non-zero on any error or loss.
"""

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from loadkit import HOST, Gunicorn, latency_ms, threads_run  # noqa: E402
from run import ADMIN_URL, BENCH_SETTINGS_ENV, DATA, Database, log  # noqa: E402

HEADERS = {"X-Forwarded-Proto": "https", "Content-Type": "application/json", "Accept-Language": "ru"}


def setup_world(count: int) -> None:
    """(child process, Django set up) Schools, principals with tokens, a campaign with their cards."""
    import django

    django.setup()
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from monitoring.models import CardTemplate, ExpertCard
    from monitoring.reference import BUILTIN_SLUG
    from monitoring.services import campaign_create
    from schools.models import Municipality, Profile, School
    from schools.reference import seed as seed_roles
    from schools.roles import PRINCIPAL

    seed_roles()
    municipality, _ = Municipality.objects.get_or_create(name="Нагрузочный округ")
    School.objects.bulk_create(
        School(code=f"L{n:04d}", name=f"Школа {n}", municipality=municipality, settlement="town")
        for n in range(count)
    )
    schools = list(School.objects.filter(code__startswith="L").order_by("code"))
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"load{n}", password="!") for n in range(count)
    )
    Group.objects.get(name=PRINCIPAL).user_set.add(*users)
    Profile.objects.bulk_create(Profile(user=u, school=s) for u, s in zip(users, schools, strict=True))
    tokens = {
        t.user_id: t.key
        for t in Token.objects.bulk_create(Token(user=u, key=Token.generate_key()) for u in users)
    }
    today = date.today()
    campaign = campaign_create(
        year=today.year - 1,
        template=CardTemplate.objects.get(slug=BUILTIN_SLUG),
        self_assessment_due=date(today.year + 1, 12, 31),
        verification_due=date(today.year + 2, 1, 31),
        evaluation_due=date(today.year + 2, 2, 28),
        school_ids=[s.pk for s in schools],
    )
    cards = {c.school_id: c for c in ExpertCard.objects.filter(campaign=campaign).prefetch_related("answers")}
    world = []
    for user, school in zip(users, schools, strict=True):
        card = cards[school.pk]
        world.append(
            {
                "token": tokens[user.pk],
                "card": card.pk,
                "version": card.version,
                "criterion": card.answers.order_by("order", "pk").first().criterion_code,
            }
        )
    print("WORLD " + json.dumps(world))


def read_back(expected_path: str) -> None:
    """(child process) Each card's comment and version as the database holds them now."""
    import django

    django.setup()
    from monitoring.models import CardAnswer, ExpertCard

    expected = json.loads(Path(expected_path).read_text())
    ids = [e["card"] for e in expected]
    versions = dict(ExpertCard.objects.filter(pk__in=ids).values_list("pk", "version"))
    comments = {(a.card_id, a.criterion_code): a.comment for a in CardAnswer.objects.filter(card_id__in=ids)}
    print(
        "READ "
        + json.dumps(
            [
                {
                    "card": e["card"],
                    "version": versions[e["card"]],
                    "comment": comments[e["card"], e["criterion"]],
                }
                for e in expected
            ]
        )
    )


def _child(mode: str, arg: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, __file__, mode, arg], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return next(
        line.split(" ", 1)[1] for line in done.stdout.splitlines() if line.startswith(("WORLD ", "READ "))
    )


def load(port: int, world: list[dict], *, seconds: float, think: float) -> dict:
    """One thread per principal; each remembers its last acknowledged save."""
    latencies, errors, lock = [], [], threading.Lock()
    stop_at = time.monotonic() + seconds

    def principal(me: dict):
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        headers = {**HEADERS, "Authorization": f"Token {me['token']}"}
        mine, bad, n = [], [], 0
        rng = random.Random(me["card"])
        time.sleep(rng.uniform(0, max(think, 0.05)))  # do not all start in the same millisecond
        while time.monotonic() < stop_at:
            n += 1
            body = json.dumps(
                {
                    "version": me["version"],
                    "answers": [
                        {"criterion": me["criterion"], "comment": f"черновик № {n} карты {me['card']}"}
                    ],
                }
            )
            started = time.perf_counter()
            try:
                connection.request("PATCH", f"/api/cards/{me['card']}/", body=body.encode(), headers=headers)
                response = connection.getresponse()
                payload = response.read()
                if response.status == 200:
                    me["version"] = json.loads(payload)["version"]
                    me["saved"], me["saves"] = f"черновик № {n} карты {me['card']}", me.get("saves", 0) + 1
                else:
                    bad.append(f"{response.status} {payload[:120]!r}")
            except (OSError, http.client.HTTPException) as error:
                bad.append(type(error).__name__)
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
            mine.append(time.perf_counter() - started)
            if think:
                time.sleep(rng.uniform(0, 2 * think))
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=principal, args=(me,), daemon=True) for me in world]
    elapsed = threads_run(threads, join_timeout=seconds + 120)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "rps": round(len(latencies) / elapsed, 1),
        **latency_ms(latencies),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--setup":
        setup_world(int(sys.argv[2]))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--read-back":
        read_back(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--principals", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause between one principal's saves, s"
    )
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn sync workers (docker-compose uses 3)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    db = Database("postgresql", f"bench_pg_cards_{stamp}")
    env = {**db.env(), "MEDIA_ROOT": str(DATA / "media"), **BENCH_SETTINGS_ENV}
    gunicorn = None
    try:
        log(f"database {db.name}")
        db.create()
        log(f"{args.principals} schools, principals, cards")
        world = json.loads(_child("--setup", str(args.principals), env))
        gunicorn = Gunicorn(
            env=env,
            workers=args.workers,
            ready_path="/api/schema/",
            headers=HEADERS,
            options=("--backlog", "2048"),
        )
        port = gunicorn.port
        load_avg_before, checkpoints_before = os.getloadavg()[0], checkpoint_activity()
        log(f"{args.principals} principals save drafts for {args.seconds:.0f} s (think {args.think} s)")
        figures = load(port, world, seconds=args.seconds, think=args.think)
        figures["checkpoint_during_load"] = {
            key: round(value - checkpoints_before[key]) for key, value in checkpoint_activity().items()
        }
        expected_path = DATA / f"cards_{stamp}.json"
        DATA.mkdir(parents=True, exist_ok=True)
        expected_path.write_text(json.dumps(world))
        held = {row["card"]: row for row in json.loads(_child("--read-back", str(expected_path), env))}
        expected_path.unlink()
        lost = [
            me["card"]
            for me in world
            if me.get("saved")
            and (held[me["card"]]["comment"] != me["saved"] or held[me["card"]]["version"] != me["version"])
        ]
        figures.update(
            principals=args.principals,
            seconds=args.seconds,
            think_s=args.think,
            workers=args.workers,
            saves_acknowledged=sum(me.get("saves", 0) for me in world),
            lost_saves=len(lost),
            load_avg_1min=round(max(load_avg_before, os.getloadavg()[0]), 1),
            cpus=os.cpu_count(),
        )
        print("\nRESULT " + json.dumps(figures, ensure_ascii=False))
        if figures["errors"] or lost:
            sys.exit(1)
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        if not args.keep:
            db.drop()


def checkpoint_activity() -> dict:
    """The PostgreSQL server's checkpoint counters (pg_stat_bgwriter): a checkpoint writing out the dirty
    pages of an earlier bulk load competes with every commit's WAL flush for the same disk."""
    import psycopg2

    with psycopg2.connect(ADMIN_URL) as admin, admin.cursor() as cursor:
        cursor.execute(
            "SELECT checkpoints_timed + checkpoints_req, buffers_checkpoint, checkpoint_write_time, "
            "checkpoint_sync_time FROM pg_stat_bgwriter"
        )
        row = cursor.fetchone()
    admin.close()
    return dict(zip(("checkpoints", "buffers_written", "write_ms", "sync_ms"), row, strict=True))


if __name__ == "__main__":
    main()

"""In-process cost of one expert-card draft save — the request `load_card_drafts.py` sends 40×/s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python benchmarks/profile_card_save.py \
        [--saves 300] [--profile pyinstrument|cprofile] [--web]

No server and no wall-clock load: one principal (API token, as in the load test) saves a new comment on
one criterion of their card `--saves` times through Django's test client with the production middleware
and DEBUG off. Prints the SQL of one save, queries per save, this process's CPU ms per save
(`time.process_time`) and, on PostgreSQL on this machine, the database backend's CPU ms per save (from
/proc). `--web` measures the card page's autosave (session cookie, POST …/save/) instead of the API.
Run it on a database of your own: it migrates nothing, needs the reference data (`seed_reference`), and
deletes at the end exactly what it created (school PROF0001, user profile-principal, the campaign titled
below), also left-overs of an interrupted run.
"""

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "profile-only-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("AXES_ENABLED", "1")

YEAR = 1999  # far from any real campaign
TITLE = "Профилирование сохранения черновика (benchmarks/profile_card_save.py)"


def _backend_cpu_ms(connection) -> float | None:
    """CPU time of this connection's PostgreSQL backend process so far (None if not readable)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def setup():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from monitoring.models import Campaign, CardTemplate, ExpertCard
    from monitoring.reference import BUILTIN_SLUG, seed
    from monitoring.services import campaign_create
    from schools.models import Municipality, Profile, School
    from schools.reference import seed as seed_roles
    from schools.roles import PRINCIPAL

    seed_roles()
    if not CardTemplate.objects.filter(slug=BUILTIN_SLUG).exists():
        seed()
    teardown()
    municipality, _ = Municipality.objects.get_or_create(name="Профилировочный округ")
    school = School.objects.create(
        code="PROF0001", name="Школа профилирования", municipality=municipality, settlement="town"
    )
    user = get_user_model().objects.create_user(username="profile-principal", password="profile-password-1")
    Group.objects.get(name=PRINCIPAL).user_set.add(user)
    Profile.objects.create(user=user, school=school)
    token = Token.objects.create(user=user)
    campaign = campaign_create(
        year=YEAR,
        title=TITLE,
        template=CardTemplate.objects.get(slug=BUILTIN_SLUG),
        school_ids=[school.pk],
        self_assessment_due=date(date.today().year + 1, 12, 31),
        verification_due=date(date.today().year + 2, 1, 31),
        evaluation_due=date(date.today().year + 2, 2, 28),
    )
    card = ExpertCard.objects.get(campaign=campaign)
    criterion = card.answers.order_by("order", "pk").first().criterion_code
    assert Campaign.objects.filter(year=YEAR, title=TITLE).count() == 1
    return user, token.key, card, criterion


def teardown():
    from django.contrib.auth import get_user_model

    from monitoring.models import Campaign
    from schools.models import School

    Campaign.objects.filter(year=YEAR, title=TITLE).delete()
    School.objects.filter(code="PROF0001").delete()
    get_user_model().objects.filter(username="profile-principal").delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--profile", choices=["pyinstrument", "cprofile"])
    parser.add_argument("--web", action="store_true", help="the card page's autosave instead of the API")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from monitoring.models import CardAnswer, ExpertCard

    setup_test_environment()  # ALLOWED_HOSTS gains testserver; the handler is the production one
    user, token, card, criterion = setup()
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="ru")
    if args.web:
        client.force_login(user)
        url = f"/monitoring/cards/{card.pk}/save/"

        def save(n, version):
            body = json.dumps(
                {"version": version, "answers": [{"criterion": criterion, "comment": f"черновик № {n}"}]}
            )
            response = client.post(url, body, content_type="application/json")
            assert response.status_code == 200, response.content[:300]
            return response.json()["version"]
    else:
        url = f"/api/cards/{card.pk}/"
        auth = {"HTTP_AUTHORIZATION": f"Token {token}"}

        def save(n, version):
            body = json.dumps(
                {"version": version, "answers": [{"criterion": criterion, "comment": f"черновик № {n}"}]}
            )
            response = client.patch(url, body, content_type="application/json", **auth)
            assert response.status_code == 200, response.content[:300]
            return response.json()["version"]

    try:
        version = card.version
        for n in range(5):  # warm up: first save turns the card into a draft, caches fill
            version = save(f"w{n}", version)
        with CaptureQueriesContext(connection) as queries:
            version = save("q", version)
        query_count = len(queries)  # read now: every request start clears the connection's query log
        print(f"{'web autosave' if args.web else 'API PATCH'}: {query_count} queries per save")
        for query in queries.captured_queries:
            print("   ", query["sql"][:200])

        profiler = None
        if args.profile == "pyinstrument":
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        elif args.profile == "cprofile":
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU, not waits for the database
            profiler.enable()
        backend_before = _backend_cpu_ms(connection)
        cpu, wall = time.process_time(), time.perf_counter()
        for n in range(args.saves):
            version = save(n, version)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        backend_after = _backend_cpu_ms(connection)
        if args.profile == "pyinstrument":
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        elif args.profile == "cprofile":
            import pstats

            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.dump_stats(str(ROOT / "benchmarks" / "data" / "card_save.prof"))
            stats.sort_stats("cumulative").print_stats(45)

        card.refresh_from_db()
        assert card.version == version, (card.version, version)
        assert (
            CardAnswer.objects.get(card=card, criterion_code=criterion).comment
            == f"черновик № {args.saves - 1}"
        )
        assert card.changes.filter(action="saved").count() == args.saves + 6
        figures = {
            "saves": args.saves,
            "queries_per_save": query_count,
            "python_cpu_ms_per_save": round(cpu * 1000 / args.saves, 2),
            "wall_ms_per_save": round(wall * 1000 / args.saves, 2),
        }
        if backend_before is not None and backend_after is not None:
            figures["db_backend_cpu_ms_per_save"] = round((backend_after - backend_before) / args.saves, 2)
        if args.profile:
            figures["note"] = "with a profiler on: CPU figures are inflated"
        print("RESULT " + json.dumps(figures, ensure_ascii=False))
        assert ExpertCard.objects.filter(pk=card.pk, status="draft").exists()
    finally:
        teardown()


if __name__ == "__main__":
    main()

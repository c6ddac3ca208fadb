"""Login lock-out under a guessing run: N failed logins with random user names from one address, then a real
user's login from the same address; then 5 wrong passwords for that user from address X and the right one
from X (locked) and from Y (let in).

    .venv/bin/python benchmarks/lockout.py [--attempts 20]

Runs in process through Django's test client against the login page, with production settings (DEBUG off,
the PBKDF2 password hasher, the default slow-down: 10 free failures per address, then 0.5 s doubling to 4 s)
on a fresh SQLite database benchmarks/data/lockout.sqlite3 (migrated, deleted at the end) and the in-process
cache; static URLs are plain, not hashed (no collected files needed). Prints each attempt's status and time.
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
DATABASE = DATA / "lockout.sqlite3"
PASSWORD = "настоящий-пароль-2025"


def configure() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    os.environ.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{DATABASE}",
        REDIS_URL="",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()
    call_command("migrate", verbosity=0)


def login(client, username: str, password: str) -> tuple[int, float]:
    started = time.perf_counter()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=20)
    args = parser.parse_args()
    configure()
    from django.contrib.auth import get_user_model
    from django.test import Client

    get_user_model().objects.create_user(username="director", password=PASSWORD)
    guesser = Client(REMOTE_ADDR="203.0.113.5")
    print(f"{args.attempts} failed logins with random user names from 203.0.113.5:")
    times = []
    for n in range(1, args.attempts + 1):
        status, seconds = login(guesser, f"guess-{secrets.token_hex(4)}", "не-тот-пароль")
        times.append(seconds)
        print(f"  attempt {n:3d}: {status}  {seconds:.2f} s")
    status, seconds = login(guesser, "director", PASSWORD)
    print(f"real user 'director' from the same address: {status} in {seconds:.2f} s (302 = let in)")
    print(f"failed attempts: {sum(times):.1f} s in all, {sum(times) / len(times):.2f} s on average")

    client_x, client_y = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="192.0.2.44")
    statuses = [login(client_x, "director", "не-тот-пароль")[0] for _ in range(5)]
    print(f"5 wrong passwords for 'director' from 198.51.100.7: {statuses}")
    print(f"right password from 198.51.100.7: {login(client_x, 'director', PASSWORD)[0]} (429 = locked)")
    print(f"right password from 192.0.2.44:   {login(client_y, 'director', PASSWORD)[0]} (302 = let in)")
    DATABASE.unlink(missing_ok=True)


if __name__ == "__main__":
    main()

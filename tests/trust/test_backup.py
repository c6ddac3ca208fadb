"""scripts/backup.sh round trip: back up, damage the data, restore, find everything as it was."""

import os
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "backup.sh"


def _run(action: str, file: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT), action, str(file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _env(database_url: str, media: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(media))
    return env


def _fill_media(media: Path) -> None:
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "отчёт-2025.pdf").write_bytes(b"%PDF-1.7 report")
    (media / "uploads").mkdir()
    (media / "uploads" / "a.xlsx").write_bytes(b"PK\x03\x04data")


def _assert_media_restored(media: Path) -> None:
    assert (media / "reports" / "отчёт-2025.pdf").read_bytes() == b"%PDF-1.7 report"
    assert (media / "uploads" / "a.xlsx").read_bytes() == b"PK\x03\x04data"
    assert not (media / "junk.txt").exists()


def test_sqlite_and_media_round_trip(tmp_path):
    database, media, archive = (
        tmp_path / "portal.sqlite3",
        tmp_path / "media",
        tmp_path / "backups" / "portal.tar",
    )
    with sqlite3.connect(database) as db:
        db.execute("create table school (code text primary key, name text)")
        db.executemany("insert into school values (?, ?)", [("0101", "Школа № 1"), ("0102", "Школа № 2")])
    _fill_media(media)
    env = _env(f"sqlite:///{database}", media)

    made = _run("backup", archive, env)
    assert made.returncode == 0, made.stderr
    assert "Резервная копия записана" in made.stdout

    with sqlite3.connect(database) as db:  # damage: a deleted row, a new row, a lost and a stray file
        db.execute("delete from school where code = '0101'")
        db.execute("insert into school values ('9999', 'лишняя')")
    (media / "reports" / "отчёт-2025.pdf").unlink()
    (media / "junk.txt").write_text("x")

    restored = _run("restore", archive, env)
    assert restored.returncode == 0, restored.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("select code, name from school order by code").fetchall() == [
            ("0101", "Школа № 1"),
            ("0102", "Школа № 2"),
        ]
    _assert_media_restored(media)


def test_restore_of_a_missing_file_fails_and_changes_nothing(tmp_path):
    database = tmp_path / "portal.sqlite3"
    sqlite3.connect(database).close()
    result = _run("restore", tmp_path / "nope.tar", _env(f"sqlite:///{database}", tmp_path / "media"))
    assert result.returncode == 1
    assert "не найден" in result.stderr


def test_usage_is_explained():
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "Использование: scripts/backup.sh backup|restore ФАЙЛ" in result.stderr


def test_makefile_targets_call_the_script():
    makefile = (ROOT / "Makefile").read_text()
    assert "bash scripts/backup.sh backup $(FILE)" in makefile
    assert "bash scripts/backup.sh restore $(FILE)" in makefile


@pytest.fixture
def scratch_postgres():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL не PostgreSQL: круговая проверка pg_dump/pg_restore пропущена.")
    import psycopg2

    parts = urlsplit(url)
    name = f"trust_backup_{os.getpid()}"
    admin = psycopg2.connect(parts._replace(path="/postgres").geturl())  # the maintenance database
    admin.autocommit = True
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {name}")
    admin.cursor().execute(f"CREATE DATABASE {name}")
    yield parts._replace(path=f"/{name}").geturl()
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def test_postgresql_and_media_round_trip(scratch_postgres, tmp_path):
    import psycopg2

    media, archive = tmp_path / "media", tmp_path / "portal.tar"
    with psycopg2.connect(scratch_postgres) as db, db.cursor() as cur:
        cur.execute("create table school (code text primary key, name text)")
        cur.execute("insert into school values ('0101', 'Школа № 1'), ('0102', 'Школа № 2')")
    db.close()
    _fill_media(media)
    env = _env(scratch_postgres, media)
    assert _run("backup", archive, env).returncode == 0

    with psycopg2.connect(scratch_postgres) as db, db.cursor() as cur:
        cur.execute("delete from school where code = '0101'")
        cur.execute("create table stray (id int)")
    db.close()
    (media / "junk.txt").write_text("x")

    restored = _run("restore", archive, env)
    assert restored.returncode == 0, restored.stderr
    with psycopg2.connect(scratch_postgres) as db, db.cursor() as cur:
        cur.execute("select code, name from school order by code")
        assert cur.fetchall() == [("0101", "Школа № 1"), ("0102", "Школа № 2")]
    db.close()
    _assert_media_restored(media)

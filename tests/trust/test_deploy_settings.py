"""Production settings: `check --deploy` is clean, HTTPS-only cookies and HSTS behind a proxy, the image's
static files serve every page, only the TLS proxy of the compose stack is published."""

import json
import os
import re
import secrets
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra) -> dict:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update(
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="portal.example",
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.pop("OTP_REQUIRED_FOR_ADMINS", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' Playwright; never in production
    env.update(extra)
    return env


def _manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_in_production():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Задайте SECRET_KEY" in result.stderr


def test_production_defaults_turn_https_and_two_factor_on():
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.OTP_REQUIRED_FOR_ADMINS)"
    )
    result = _manage("shell", "-c", code, env=_production_env())
    assert result.stdout.strip().splitlines()[-1] == (
        "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') True"
    ), result.stderr


def test_debug_demo_turns_two_factor_for_administrators_off_unless_asked():
    code = "from django.conf import settings as s; print(s.OTP_REQUIRED_FOR_ADMINS)"
    assert _manage("shell", "-c", code, env=_production_env(DEBUG="1")).stdout.strip().endswith("False")
    forced = _manage("shell", "-c", code, env=_production_env(DEBUG="1", OTP_REQUIRED_FOR_ADMINS="1"))
    assert forced.stdout.strip().endswith("True")


@pytest.fixture
def https_settings(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(https_settings):
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@pytest.mark.django_db
def test_behind_the_proxy_https_gets_hsts_and_secure_cookies(https_settings):
    client = Client(headers={"X-Forwarded-Proto": "https"})
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page.cookies["csrftoken"]["secure"] is True
    from tests.factories import UserFactory

    UserFactory(username="someone")
    logged_in = client.post("/accounts/login/", {"username": "someone", "password": "пароль-для-тестов-123"})
    assert logged_in.status_code == 302
    session_cookie = logged_in.cookies["sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


def test_with_redis_the_cache_is_shared_by_every_worker():
    """API throttles, the public page cache and live job progress must count across all gunicorn workers and
    Celery workers: with REDIS_URL the cache is Redis, not each process's own memory."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    shared = _manage("shell", "-c", code, env=_production_env(REDIS_URL="redis://127.0.0.1:6379/15"))
    alone = _manage("shell", "-c", code, env=_production_env(REDIS_URL=""))

    assert shared.stdout.split()[-1] == "django.core.cache.backends.redis.RedisCache", shared.stderr
    assert alone.stdout.split()[-1] == "django.core.cache.backends.locmem.LocMemCache", alone.stderr


# --- The image's static files and the compose stack -------------------------------------------------------
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
STATIC_URLS = re.compile(r'(?:src|href)="(/static/[^"?#]+)"')


def test_the_dockerfile_builds_static_files_with_the_shared_script_and_production_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "sh scripts/build-static.sh" in dockerfile
    assert "collectstatic" not in dockerfile  # only through the script the test below runs
    assert "DEBUG=1" not in dockerfile
    script = (ROOT / "scripts" / "build-static.sh").read_text()
    assert "export DEBUG=0" in script and "manage.py collectstatic --noinput" in script
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    assert _manage("shell", "-c", code, env=_production_env()).stdout.split()[-1] == MANIFEST_STORAGE


@pytest.fixture(scope="module")
def built_static(tmp_path_factory) -> Path:
    """scripts/build-static.sh run as the image build runs it: no DEBUG, no SECRET_KEY, no ALLOWED_HOSTS."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    env = _production_env(STATIC_ROOT=str(static_root), PYTHON=sys.executable)
    for name in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"):
        env.pop(name)
    result = subprocess.run(
        ["sh", "scripts/build-static.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return static_root


@pytest.fixture
def production_static(settings, built_static):
    settings.DEBUG = False
    settings.STATIC_ROOT = built_static
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return settings


@pytest.mark.slow
def test_pages_render_with_the_image_static_files_and_their_hashed_urls_resolve(
    production_static, built_static, inspector, administrator, client_for
):
    manifest = json.loads((built_static / "staticfiles.json").read_text())
    assert manifest["paths"]["css/portal.css"] != "css/portal.css"
    pages = [
        (client_for(None), "/quality/"),
        (client_for(None), "/accounts/login/"),
        (client_for(inspector), "/dashboard/"),
        (client_for(inspector), "/schools/"),
        (client_for(administrator), "/admin/"),
    ]
    served = set()
    for client, url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        static_urls = STATIC_URLS.findall(page.content.decode())
        assert static_urls, url
        for static_url in static_urls:
            assert HASHED.search(static_url), (url, static_url)
            if static_url not in served:
                asset = client.get(static_url)
                assert asset.status_code == 200, static_url
                # Reading the stream to its end lets the test client close it the way it closes its own
                # responses; calling close() here would end the test's database connection on PostgreSQL.
                assert b"".join(asset.streaming_content), static_url
                served.add(static_url)
    assert "/static/" + manifest["paths"]["css/portal.css"] in served


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_only_the_proxy_is_published_and_the_portal_trusts_one_proxy_hop():
    services = _compose()["services"]
    assert {name for name, service in services.items() if "ports" in service} == {"proxy"}
    assert services["proxy"]["image"].startswith("caddy:")
    assert services["proxy"]["ports"] == ["80:80", "443:443", "443:443/udp"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    assert services["web"]["expose"] == ["8000"]
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert "{$SITE_ADDRESS:localhost} {" in caddyfile


def _compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_accepts_the_file(tmp_path):
    command = _compose_command()
    if command is None:
        pytest.skip("docker compose не установлен: структуру файла проверяет тест выше")
    # A copy with an empty .env: the real one holds secrets and need not exist on a build machine.
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    (tmp_path / ".env").write_text("")
    result = subprocess.run(
        [*command, "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=_production_env()
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)["services"]
    assert sorted(config) == ["beat", "postgres", "proxy", "redis", "web", "worker"]
    assert "ports" not in config["web"]
    assert config["proxy"]["environment"]["SITE_ADDRESS"] == "localhost"
